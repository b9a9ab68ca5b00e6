import type { components } from '../../api/schema';

/**
 * The workflow definition as the builder edits it, from the generated API types (the server's
 * src/modules/workflows/definition.ts), so a schema change fails the web type check.
 */
type Schemas = components['schemas'];

/** A workflow draft. */
export type Draft = Schemas['WorkflowDefinition'];
/** One step of a draft. */
export type DraftStep = Draft['steps'][number];
/** A step type: `create_task`, `branch`, … */
export type StepType = DraftStep['type'];
/** The step of one type. */
export type StepOf<T extends StepType> = Extract<DraftStep, { type: T }>;
/** What starts a workflow. */
export type Trigger = Schemas['WorkflowTrigger'];
/** A trigger type: `record_created`, `schedule`, … */
export type TriggerType = Trigger['type'];
/** The AND/OR tree of entry conditions and branches. */
export type ConditionTree = Schemas['WorkflowConditions'];
/** An inner group of rules. */
export type ConditionGroup = Schemas['WorkflowConditionGroup'];
/** One comparison of a field with a value. */
export type ConditionRule = Schemas['WorkflowConditionRule'];
/** A comparison operator. */
export type ConditionOp = ConditionRule['op'];
/**
 * A record type's key (`deal`, an admin's `project`): any object GET /api/v1/objects describes with
 * `capabilities.workflows`; the server refuses a draft naming one the organization does not have.
 */
export type WorkflowObject = string;

/** Operators in words, in the order the editor offers them (the server's CONDITION_OPS). */
export const CONDITION_OP_LABELS: Record<ConditionOp, string> = {
  eq: 'is',
  ne: 'is not',
  gt: 'is greater than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  contains: 'contains',
  in: 'is one of',
  isEmpty: 'is empty',
  isNotEmpty: 'is not empty',
  changed: 'changed',
};
export const CONDITION_OPS = Object.keys(CONDITION_OP_LABELS) as ConditionOp[];

/** Operators that compare with nothing: the value input hides. */
export const VALUELESS_OPS: ReadonlySet<ConditionOp> = new Set([
  'isEmpty',
  'isNotEmpty',
  'changed',
]);

/**
 * The names a placeholder may start with besides `record` and the organization's object keys
 * (`GET /objects`): the run's context, as the server's CONTEXT_ROOTS in workflows/validate.ts.
 */
export const CONTEXT_ROOTS = [
  'changes',
  'webhook',
  'workflow',
  'run',
  'now',
  'steps',
  'event',
] as const;

/**
 * What a placeholder may start with: `record`, the object keys (the trigger's too — it may be
 * one the list does not know yet), then the run's context — in the server's order.
 */
export const templateRoots = (
  objectKeys: readonly string[],
  triggerObject: WorkflowObject | null = null,
): string[] => [
  ...new Set([
    'record',
    ...objectKeys,
    ...(triggerObject ? [triggerObject] : []),
    ...CONTEXT_ROOTS,
  ]),
];

/** Step types in words, in the order the add menu offers them. */
export const STEP_LABELS: Record<StepType, string> = {
  create_task: 'Create task',
  send_email: 'Send email',
  notify: 'Notify someone',
  update_record: 'Update record',
  create_record: 'Create record',
  assign_owner: 'Assign owner',
  add_tag: 'Add tag',
  remove_tag: 'Remove tag',
  call_webhook: 'Call webhook',
  wait: 'Wait',
  branch: 'Branch (if / else)',
  stop: 'Stop',
};
export const STEP_TYPES = Object.keys(STEP_LABELS) as StepType[];

/** Trigger types in words, in the order the trigger form offers them. */
export const TRIGGER_LABELS: Record<TriggerType, string> = {
  record_created: 'A record is created',
  record_updated: 'A record is updated',
  record_deleted: 'A record is deleted',
  deal_stage_changed: 'A deal changes stage',
  schedule: 'On a schedule',
  date_relative: 'Days before or after a date',
  form_submitted: 'A web form is submitted',
  inbound_webhook: 'A webhook is received',
  manual: 'Started by hand on a record',
};
export const TRIGGER_TYPES = Object.keys(TRIGGER_LABELS) as TriggerType[];
