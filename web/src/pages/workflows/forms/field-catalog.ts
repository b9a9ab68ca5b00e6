import type {
  Activity,
  Company,
  Contact,
  CustomField,
  Deal,
  Lead,
  Ticket,
} from '../../../api/types';
import type { WorkflowObject } from '../definition-types';

/** How a field's value is typed in a form and sent in a definition. */
export type FieldKind = 'text' | 'number' | 'date' | 'boolean' | 'enum' | 'tags' | 'id';

/** One field a workflow can read (conditions, placeholders, triggers) and maybe write (record steps). */
export interface FieldInfo {
  /** The path the engine reads: `status`, `custom.size`. */
  key: string;
  label: string;
  kind: FieldKind;
  /** The choices of an enum or multi-select. */
  choices?: readonly string[];
  /** Whether the REST body accepts it, so create/update record steps can set it. */
  writable: boolean;
}

type Def<K extends string> = {
  key: K;
  label: string;
  kind: FieldKind;
  choices?: readonly string[];
  writable?: boolean;
};
/** Field keys are checked against the generated API shapes, so a renamed field fails the type check. */
const fields = <T>(list: ReadonlyArray<Def<keyof T & string>>): FieldInfo[] =>
  list.map((f) => ({ ...f, writable: f.writable ?? true }));

const CREATED = { key: 'createdAt', label: 'Created at', kind: 'date', writable: false } as const;
const UPDATED = { key: 'updatedAt', label: 'Updated at', kind: 'date', writable: false } as const;

/** The standard fields of each record type, in the order people look for them. */
export const STANDARD_FIELDS: Record<WorkflowObject, readonly FieldInfo[]> = {
  contact: fields<Contact>([
    { key: 'firstName', label: 'First name', kind: 'text' },
    { key: 'lastName', label: 'Last name', kind: 'text' },
    { key: 'name', label: 'Full name', kind: 'text', writable: false },
    { key: 'email', label: 'Email', kind: 'text' },
    { key: 'phone', label: 'Phone', kind: 'text' },
    { key: 'title', label: 'Job title', kind: 'text' },
    {
      key: 'status',
      label: 'Status',
      kind: 'enum',
      choices: ['LEAD', 'PROSPECT', 'CUSTOMER', 'INACTIVE'],
    },
    { key: 'source', label: 'Source', kind: 'text' },
    { key: 'tags', label: 'Tags', kind: 'tags' },
    { key: 'ownerId', label: 'Owner', kind: 'id' },
    { key: 'companyId', label: 'Company', kind: 'id' },
    { key: 'leadScore', label: 'Lead score', kind: 'number', writable: false },
    { key: 'lastContactedAt', label: 'Last contacted at', kind: 'date', writable: false },
    CREATED,
    UPDATED,
  ]),
  company: fields<Company>([
    { key: 'name', label: 'Name', kind: 'text' },
    { key: 'domain', label: 'Domain', kind: 'text' },
    { key: 'industry', label: 'Industry', kind: 'text' },
    { key: 'size', label: 'Size', kind: 'text' },
    { key: 'website', label: 'Website', kind: 'text' },
    { key: 'phone', label: 'Phone', kind: 'text' },
    { key: 'ownerId', label: 'Owner', kind: 'id' },
    { key: 'parentId', label: 'Parent company', kind: 'id' },
    CREATED,
    UPDATED,
  ]),
  lead: fields<Lead>([
    { key: 'firstName', label: 'First name', kind: 'text' },
    { key: 'lastName', label: 'Last name', kind: 'text' },
    { key: 'name', label: 'Full name', kind: 'text', writable: false },
    { key: 'email', label: 'Email', kind: 'text' },
    { key: 'phone', label: 'Phone', kind: 'text' },
    { key: 'companyName', label: 'Company name', kind: 'text' },
    { key: 'title', label: 'Job title', kind: 'text' },
    { key: 'country', label: 'Country', kind: 'text' },
    { key: 'companySize', label: 'Company size', kind: 'text' },
    { key: 'source', label: 'Source', kind: 'text' },
    {
      key: 'status',
      label: 'Status',
      kind: 'enum',
      choices: ['new', 'working', 'qualified', 'disqualified', 'converted'],
    },
    { key: 'disqualificationReason', label: 'Disqualification reason', kind: 'text' },
    { key: 'notes', label: 'Notes', kind: 'text' },
    { key: 'tags', label: 'Tags', kind: 'tags' },
    { key: 'score', label: 'Score', kind: 'number', writable: false },
    { key: 'ownerId', label: 'Owner', kind: 'id' },
    { key: 'teamId', label: 'Team', kind: 'id' },
    { key: 'formId', label: 'Web form', kind: 'id', writable: false },
    CREATED,
    UPDATED,
  ]),
  deal: fields<Deal>([
    { key: 'name', label: 'Name', kind: 'text' },
    { key: 'amount', label: 'Amount (minor units)', kind: 'number' },
    { key: 'currency', label: 'Currency', kind: 'text' },
    {
      key: 'status',
      label: 'Status',
      kind: 'enum',
      choices: ['open', 'won', 'lost'],
      writable: false,
    },
    { key: 'probability', label: 'Probability (%)', kind: 'number' },
    { key: 'expectedCloseDate', label: 'Expected close date', kind: 'date' },
    { key: 'pipelineId', label: 'Pipeline', kind: 'id' },
    { key: 'stageId', label: 'Stage', kind: 'id' },
    { key: 'lostReason', label: 'Lost reason', kind: 'text' },
    { key: 'tags', label: 'Tags', kind: 'tags' },
    { key: 'rotting', label: 'Rotting', kind: 'boolean', writable: false },
    { key: 'ownerId', label: 'Owner', kind: 'id' },
    { key: 'contactId', label: 'Contact', kind: 'id' },
    { key: 'companyId', label: 'Company', kind: 'id' },
    { key: 'closedAt', label: 'Closed at', kind: 'date', writable: false },
    CREATED,
    UPDATED,
  ]),
  activity: fields<Activity>([
    {
      key: 'type',
      label: 'Type',
      kind: 'enum',
      choices: ['call', 'email', 'meeting', 'note', 'task'],
    },
    { key: 'subject', label: 'Subject', kind: 'text' },
    { key: 'body', label: 'Body', kind: 'text' },
    { key: 'status', label: 'Status', kind: 'enum', choices: ['open', 'done', 'canceled'] },
    { key: 'dueAt', label: 'Due at', kind: 'date' },
    { key: 'doneAt', label: 'Done at', kind: 'date' },
    { key: 'assigneeId', label: 'Assignee', kind: 'id' },
    { key: 'ownerId', label: 'Owner', kind: 'id', writable: false },
    { key: 'contactId', label: 'Contact', kind: 'id' },
    { key: 'companyId', label: 'Company', kind: 'id' },
    { key: 'dealId', label: 'Deal', kind: 'id' },
    { key: 'leadId', label: 'Lead', kind: 'id' },
    { key: 'ticketId', label: 'Ticket', kind: 'id' },
    CREATED,
    UPDATED,
  ]),
  ticket: fields<Ticket>([
    { key: 'subject', label: 'Subject', kind: 'text' },
    { key: 'description', label: 'Description', kind: 'text' },
    { key: 'number', label: 'Number', kind: 'number', writable: false },
    {
      key: 'status',
      label: 'Status',
      kind: 'enum',
      choices: ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'],
    },
    {
      key: 'priority',
      label: 'Priority',
      kind: 'enum',
      choices: ['low', 'normal', 'high', 'urgent'],
    },
    {
      key: 'channel',
      label: 'Channel',
      kind: 'enum',
      choices: ['web', 'email', 'phone', 'api', 'chat'],
    },
    { key: 'tags', label: 'Tags', kind: 'tags' },
    { key: 'ownerId', label: 'Assignee', kind: 'id' },
    { key: 'teamId', label: 'Team', kind: 'id' },
    { key: 'contactId', label: 'Contact', kind: 'id' },
    { key: 'companyId', label: 'Company', kind: 'id' },
    { key: 'solvedAt', label: 'Solved at', kind: 'date', writable: false },
    { key: 'closedAt', label: 'Closed at', kind: 'date', writable: false },
    { key: 'firstResponseAt', label: 'First response at', kind: 'date', writable: false },
    CREATED,
    UPDATED,
  ]),
};

const CUSTOM_KIND: Record<CustomField['type'], FieldKind> = {
  text: 'text',
  long_text: 'text',
  url: 'text',
  email: 'text',
  phone: 'text',
  number: 'number',
  currency: 'number',
  date: 'date',
  datetime: 'date',
  boolean: 'boolean',
  select: 'enum',
  multi_select: 'tags',
  relation: 'id',
};

/** The choices of a select custom field (its `options.choices`), or none. */
function choicesOf(options: unknown): string[] | undefined {
  if (
    !options ||
    typeof options !== 'object' ||
    !('choices' in options) ||
    !Array.isArray(options.choices)
  )
    return undefined;
  return options.choices.filter((c): c is string => typeof c === 'string');
}

/** A record type's standard fields followed by its custom fields (as `custom.key`). */
export function fieldCatalog(object: WorkflowObject, custom: readonly CustomField[]): FieldInfo[] {
  const own = custom.filter((f) => f.objectType === object).sort((a, b) => a.position - b.position);
  return [
    ...STANDARD_FIELDS[object],
    ...own.map((f): FieldInfo => {
      const choices = choicesOf(f.options);
      return {
        key: `custom.${f.key}`,
        label: f.label,
        kind: CUSTOM_KIND[f.type],
        writable: true,
        ...(choices ? { choices } : {}),
      };
    }),
  ];
}

/** The kind of a field path, `text` for one the catalog does not know (typed by hand or since removed). */
export const kindOf = (catalog: readonly FieldInfo[], key: string): FieldKind =>
  catalog.find((f) => f.key === key)?.kind ?? 'text';

/** The label of a field path, or the path itself. */
export const labelOf = (catalog: readonly FieldInfo[], key: string): string =>
  catalog.find((f) => f.key === key)?.label ?? key;

/** Records a trigger record links to, which a run loads so templates can read them (workflows/objects.ts withLinkedRecords). */
export const LINKED_OBJECTS: Record<WorkflowObject, readonly WorkflowObject[]> = {
  contact: ['company'],
  company: [],
  lead: [],
  deal: ['contact', 'company', 'lead'],
  activity: ['contact', 'company', 'deal', 'lead', 'ticket'],
  ticket: ['contact', 'company'],
};

/** Words for each record type, as forms show them. */
export const OBJECT_LABELS: Record<WorkflowObject, string> = {
  contact: 'Contact',
  company: 'Company',
  lead: 'Lead',
  deal: 'Deal',
  activity: 'Activity (task, call, …)',
  ticket: 'Ticket',
};

/** Record types as a sentence names them ("on a deal's page"). */
export const OBJECT_NOUNS: Record<WorkflowObject, string> = {
  contact: 'contact',
  company: 'company',
  lead: 'lead',
  deal: 'deal',
  activity: 'activity',
  ticket: 'ticket',
};

/** Record types in the order forms offer them. */
export const WORKFLOW_OBJECTS = Object.keys(OBJECT_LABELS) as WorkflowObject[];
