import { z } from 'zod';
import { STEP_TYPES, type StepType, type WorkflowObject } from '../definition-types';
import { conditionFormSchema, FIELD_PATH } from './condition-model';
import { jsonTemplateProblem, templateProblems } from './placeholders';
import { intOf, type StepFormValues } from './step-model';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HTTP_URL = /^https?:\/\/[^\s/]+/i;
/** Text fields of each step type that take `{{placeholders}}`, checked like the server's publish check. */
const TEMPLATE_FIELDS: Partial<
  Record<StepType, ReadonlyArray<'subject' | 'body' | 'to' | 'title' | 'until'>>
> = {
  create_task: ['subject', 'body'],
  send_email: ['to', 'subject', 'body'],
  notify: ['title', 'body'],
  call_webhook: ['body'],
  wait: ['until'],
};

type Issue = (path: Array<string | number>, message: string) => void;

function checkRequiredText(v: StepFormValues, issue: Issue): void {
  const required = (key: 'subject' | 'body' | 'title' | 'tag' | 'url', label = 'is required') => {
    if (!v[key].trim()) issue([key], label);
  };
  switch (v.type) {
    case 'create_task':
      required('subject', 'give the task a subject');
      break;
    case 'send_email':
      required('subject', 'give the email a subject');
      required('body', 'write the email');
      if (v.toMode === 'address' && !v.to.trim())
        issue(['to'], 'enter an address or a placeholder such as {{contact.email}}');
      break;
    case 'notify':
      required('title', 'give the notification a title');
      break;
    case 'add_tag':
    case 'remove_tag':
      required('tag', 'name the tag');
      if (v.tag.trim().length > 60) issue(['tag'], 'at most 60 characters');
      break;
    case 'call_webhook':
      if (!HTTP_URL.test(v.url.trim()))
        issue(['url'], 'must be an http(s) URL, e.g. https://example.com/hooks/cerebro');
      {
        const problem = jsonTemplateProblem(v.body);
        if (problem) issue(['body'], problem);
      }
      break;
    default:
  }
}

function checkPeopleAndTimes(v: StepFormValues, issue: Issue): void {
  if (v.type === 'create_task') {
    if (v.dueInDays.trim() && intOf(v.dueInDays, 0, 365) === undefined)
      issue(['dueInDays'], 'must be a whole number of days from 0 to 365');
    if (v.assignTo !== 'owner' && !UUID.test(v.assignTo))
      issue(['assignTo'], 'choose the record owner or a user');
  }
  if (v.type === 'notify' && v.userId !== 'owner' && !UUID.test(v.userId))
    issue(['userId'], 'choose the record owner or a user');
  if (v.type === 'assign_owner') {
    if (v.strategy === 'round_robin' && !UUID.test(v.teamId))
      issue(['teamId'], 'choose the team whose members take turns');
    if (v.strategy === 'user' && !UUID.test(v.userId))
      issue(['userId'], 'choose who becomes the owner');
  }
  if (v.type === 'wait') {
    if (v.waitMode === 'duration' && intOf(v.amount, 1, 10_000) === undefined)
      issue(['amount'], 'must be a whole number from 1 to 10,000');
    if (v.waitMode === 'until' && !v.until.trim())
      issue(
        ['until'],
        'enter a date (YYYY-MM-DD) or a placeholder such as {{deal.expectedCloseDate}}',
      );
  }
}

function checkValueRows(
  v: StepFormValues,
  issue: Issue,
  root: WorkflowObject | null,
  objectKeys: readonly string[] | null,
): void {
  if (v.type !== 'create_record' && v.type !== 'update_record') return;
  if (v.type === 'update_record' && v.values.length === 0)
    issue(['values'], 'add at least one field to change');
  const seen = new Set<string>();
  v.values.forEach((row, i) => {
    const field = row.field.trim();
    if (!field) issue(['values', i, 'field'], 'choose a field');
    else if (!FIELD_PATH.test(field))
      issue(['values', i, 'field'], 'must be a field name such as status or custom.size');
    else if (seen.has(field)) issue(['values', i, 'field'], 'this field is already set above');
    seen.add(field);
    for (const p of templateProblems(row.value, root, objectKeys)) issue(['values', i, 'value'], p);
  });
}

/** An object key as the server takes it (objects/definition.ts). */
const OBJECT_KEY = /^[a-z][a-z0-9_]*$/;

/**
 * The step form's rules: what the server's schema and publish check require, said next to each
 * field. Templates may start with `record`, any object key (`{{project.name}}`) or the context.
 */
export const stepFormSchemaFor = (
  triggerObject: WorkflowObject | null,
  /** The organization's object keys (placeholder roots); null while they load. */
  objectKeys: readonly string[] | null,
) =>
  z
    .object({
      type: z.enum(STEP_TYPES as [StepType, ...StepType[]]),
      name: z.string().max(120, 'at most 120 characters'),
      maxAttempts: z
        .string()
        .refine(
          (s) => !s.trim() || intOf(s, 1, 10) !== undefined,
          'must be a whole number from 1 to 10 (empty: 3)',
        ),
      object: z.string().regex(OBJECT_KEY, 'choose a record type'),
      values: z
        .array(
          z.object({
            field: z.string(),
            value: z.string().max(10_000, 'at most 10,000 characters'),
          }),
        )
        .max(100, 'at most 100 fields'),
      subject: z.string().max(10_000),
      body: z.string().max(10_000, 'at most 10,000 characters'),
      dueInDays: z.string(),
      assignTo: z.string(),
      strategy: z.enum(['round_robin', 'user']),
      teamId: z.string(),
      userId: z.string(),
      tag: z.string(),
      toMode: z.enum(['contact', 'address']),
      to: z.string().max(10_000),
      title: z.string().max(10_000),
      url: z.string().max(2000, 'at most 2,000 characters'),
      waitMode: z.enum(['duration', 'until']),
      amount: z.string(),
      unit: z.enum(['minutes', 'hours', 'days']),
      until: z.string().max(10_000),
      condition: conditionFormSchema,
    })
    .superRefine((v, ctx) => {
      const issue: Issue = (path, message) => ctx.addIssue({ code: 'custom', path, message });
      checkRequiredText(v, issue);
      checkPeopleAndTimes(v, issue);
      checkValueRows(v, issue, triggerObject, objectKeys);
      if (v.type === 'branch' && v.condition.rules.length === 0)
        issue(['condition'], 'add at least one rule; the branch takes "then" when it holds');
      for (const key of TEMPLATE_FIELDS[v.type] ?? []) {
        if (key === 'to' && v.toMode === 'contact') continue;
        if (key === 'until' && v.waitMode !== 'until') continue;
        for (const p of templateProblems(v[key], triggerObject, objectKeys)) issue([key], p);
      }
    });
