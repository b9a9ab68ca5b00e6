import { z } from 'zod';
import { webUrl } from '../../platform/http/index.js';

/**
 * A workflow definition: one trigger, optional entry conditions, and a graph of steps linked by
 * `next` (branches by `then` / `else`). Stored as JSON per version; the same schema validates the
 * API body, types the engine and produces the OpenAPI document the builder is generated from.
 */

/**
 * The key of a record type a workflow starts on or acts on (`deal`, an admin's `project`). Which
 * keys the organization has, and whether they take workflows, is checked when a draft is saved
 * and published (workflows.ts), against the object catalog rather than a list kept here.
 */
export type WorkflowObject = string;
const object = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be an object key such as deal or project');

const stepId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1–40 letters, digits, _ or -');
/** A field path on the record: `amount`, `status`, `custom.size`, `tags`. */
const fieldPath = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/,
    'must be a field name such as `status` or `custom.size`',
  )
  .max(80);
/** A string that may hold `{{path}}` placeholders of the trigger's data. */
const templated = z.string().max(10_000);

export const CONDITION_OPS = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'in',
  'isEmpty',
  'isNotEmpty',
  'changed',
] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

/** One comparison of a record field with a value. */
export const conditionRule = z
  .object({
    field: fieldPath,
    op: z.enum(CONDITION_OPS),
    /** Compared value; a list for `in`; ignored by isEmpty, isNotEmpty and changed. */
    value: z
      .union([
        z.string().max(1000),
        z.number(),
        z.boolean(),
        z.null(),
        z.array(z.union([z.string().max(1000), z.number()])).max(100),
      ])
      .optional(),
  })
  .strict()
  .meta({ id: 'WorkflowConditionRule' });
export type ConditionRule = z.infer<typeof conditionRule>;

const match = z.enum(['all', 'any']);
/** An inner group: rules joined by AND (`all`) or OR (`any`). */
export const conditionGroup = z
  .object({ match, rules: z.array(conditionRule).max(50) })
  .strict()
  .meta({ id: 'WorkflowConditionGroup' });
/** The AND/OR tree: a group of rules and groups (two levels of nesting cover every real rule set). */
export const conditionTree = z
  .object({ match, rules: z.array(z.union([conditionRule, conditionGroup])).max(50) })
  .strict()
  .meta({ id: 'WorkflowConditions' });
export type ConditionGroup = z.infer<typeof conditionGroup>;
export type ConditionTree = z.infer<typeof conditionTree>;

const cronTrigger = z.object({
  type: z.literal('schedule'),
  /** Five-field cron, e.g. `0 9 * * 1-5`. */
  cron: z.string().min(9).max(100),
  /** IANA time zone the cron reads in, e.g. `Europe/Berlin`. */
  timezone: z.string().min(1).max(64).default('UTC'),
});

export const triggerSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('record_created'), object }).strict(),
    z
      .object({
        type: z.literal('record_updated'),
        object,
        /** Only when one of these fields changed (any field when empty). */
        fields: z.array(fieldPath).max(20).default([]),
        /** Only when `fields[0]` changed to this value. */
        toValue: z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]).optional(),
      })
      .strict(),
    z.object({ type: z.literal('record_deleted'), object }).strict(),
    z
      .object({
        type: z.literal('deal_stage_changed'),
        pipelineId: z.uuid().optional(),
        toStageId: z.uuid().optional(),
      })
      .strict(),
    cronTrigger.strict(),
    z
      .object({
        type: z.literal('date_relative'),
        object: z.enum(['deal', 'activity']),
        /** `expectedCloseDate` on deals, `dueAt` on tasks. */
        field: z.enum(['expectedCloseDate', 'dueAt']),
        /** Days after the date (negative: before), e.g. -3 for three days before. */
        offsetDays: z.number().int().min(-365).max(365),
      })
      .strict(),
    z.object({ type: z.literal('inbound_webhook') }).strict(),
    z.object({ type: z.literal('manual'), object }).strict(),
    z.object({ type: z.literal('form_submitted'), formId: z.uuid().optional() }).strict(),
  ])
  .meta({ id: 'WorkflowTrigger' });
export type Trigger = z.infer<typeof triggerSchema>;
export type TriggerType = Trigger['type'];

/** Retries of a failing step before the run fails. */
const retry = z.object({ maxAttempts: z.number().int().min(1).max(10).default(3) }).strict();
const next = stepId.nullable().default(null);
const base = { id: stepId, name: z.string().max(120).optional(), retry: retry.optional() };
/** Field values to write: a template string, or a literal number, boolean, null or list. */
const values = z.record(
  fieldPath,
  z.union([templated, z.number(), z.boolean(), z.null(), z.array(z.string().max(200)).max(100)]),
);
const recipient = z.union([z.literal('owner'), z.uuid()]);

export const stepSchema = z
  .discriminatedUnion('type', [
    z.object({ ...base, type: z.literal('create_record'), object, values, next }).strict(),
    z.object({ ...base, type: z.literal('update_record'), values, next }).strict(),
    z
      .object({
        ...base,
        type: z.literal('create_task'),
        subject: templated.min(1),
        body: templated.optional(),
        /** Due this many days after the step runs. */
        dueInDays: z.number().int().min(0).max(365).optional(),
        assignTo: recipient.default('owner'),
        next,
      })
      .strict(),
    z
      .object({
        ...base,
        type: z.literal('assign_owner'),
        strategy: z.enum(['round_robin', 'user']),
        /** round_robin: the team whose members take turns. */
        teamId: z.uuid().optional(),
        /** user: who becomes the owner. */
        userId: z.uuid().optional(),
        next,
      })
      .strict(),
    z
      .object({ ...base, type: z.literal('add_tag'), tag: z.string().min(1).max(60), next })
      .strict(),
    z
      .object({ ...base, type: z.literal('remove_tag'), tag: z.string().min(1).max(60), next })
      .strict(),
    z
      .object({
        ...base,
        type: z.literal('send_email'),
        /** `contact`: the record's contact (or the lead's own address); otherwise a template yielding an address. */
        to: z.union([z.literal('contact'), templated]).default('contact'),
        subject: templated.min(1),
        /** Plain text with placeholders; the HTML part escapes every inserted value. */
        body: templated.min(1),
        next,
      })
      .strict(),
    z
      .object({
        ...base,
        type: z.literal('notify'),
        userId: recipient.default('owner'),
        title: templated.min(1),
        body: templated.optional(),
        next,
      })
      .strict(),
    z
      .object({
        ...base,
        type: z.literal('call_webhook'),
        url: webUrl(),
        /** A JSON template; placeholders are inserted as JSON strings. Default: the run's trigger data. */
        body: templated.optional(),
        next,
      })
      .strict(),
    z
      .object({
        ...base,
        type: z.literal('wait'),
        /** Wait this long… */
        duration: z
          .object({
            amount: z.number().int().min(1).max(10_000),
            unit: z.enum(['minutes', 'hours', 'days']),
          })
          .strict()
          .optional(),
        /** …or until this date (a template such as `{{deal.expectedCloseDate}}`, or an ISO date). */
        until: templated.optional(),
        next,
      })
      .strict(),
    z
      .object({
        ...base,
        type: z.literal('branch'),
        condition: conditionTree,
        then: next,
        else: next,
      })
      .strict(),
    z.object({ ...base, type: z.literal('stop') }).strict(),
  ])
  .meta({ id: 'WorkflowStep' });
export type Step = z.infer<typeof stepSchema>;
export type StepType = Step['type'];

export const definitionSchema = z
  .object({
    trigger: triggerSchema,
    /** Entry conditions on the trigger record; the run does not start when they are false. */
    conditions: conditionTree.nullable().default(null),
    /** The first step; null for a workflow that has no steps yet. */
    start: stepId.nullable().default(null),
    steps: z.array(stepSchema).max(100).default([]),
    /** Where the builder draws each node; the engine ignores it. */
    layout: z.record(z.string().max(40), z.object({ x: z.number(), y: z.number() })).default({}),
  })
  .strict()
  .meta({ id: 'WorkflowDefinition' });
export type Definition = z.infer<typeof definitionSchema>;

/** The ids a step leads to. */
export function successorsOf(step: Step): string[] {
  if (step.type === 'stop') return [];
  if (step.type === 'branch') return [step.then, step.else].filter((s): s is string => s !== null);
  return step.next === null ? [] : [step.next];
}

/** The record type a trigger starts on, or null for schedules and inbound webhooks. */
export function triggerObject(trigger: Trigger): WorkflowObject | null {
  switch (trigger.type) {
    case 'record_created':
    case 'record_updated':
    case 'record_deleted':
    case 'manual':
    case 'date_relative':
      return trigger.object;
    case 'deal_stage_changed':
      return 'deal';
    case 'form_submitted':
      return 'lead';
    case 'schedule':
    case 'inbound_webhook':
      return null;
  }
}

/** The key an event or sweep looks workflows up by (workflows.trigger_key). */
export function triggerKey(trigger: Trigger): string {
  switch (trigger.type) {
    case 'record_created':
      return `${trigger.object}.created`;
    case 'record_updated':
      return `${trigger.object}.updated`;
    case 'record_deleted':
      return `${trigger.object}.deleted`;
    case 'deal_stage_changed':
      return 'deal.stage_changed';
    case 'form_submitted':
      return 'lead.created';
    case 'schedule':
      return 'schedule';
    case 'date_relative':
      return `date:${trigger.object}.${trigger.field}`;
    case 'inbound_webhook':
      return 'inbound';
    case 'manual':
      return `manual:${trigger.object}`;
  }
}

/** A new workflow's draft: started by hand on a contact, with no steps yet. */
export const EMPTY_DEFINITION: Definition = {
  trigger: { type: 'manual', object: 'contact' },
  conditions: null,
  start: null,
  steps: [],
  layout: {},
};
