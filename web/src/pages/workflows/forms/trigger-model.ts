import { z } from 'zod';
import {
  TRIGGER_TYPES,
  type ConditionTree,
  type Trigger,
  type TriggerType,
  type WorkflowObject,
} from '../definition-types';
import {
  conditionFormSchema,
  entryConditions,
  FIELD_PATH,
  toConditionForm,
  type ConditionForm,
} from './condition-model';
import { cronProblem, isTimeZone } from './cron-preview';
import { fieldsOf, kindOf, type FieldCatalogs } from './field-catalog';
import { intOf } from './step-model';
import { parseScalar, valueText } from './values';

/** The date a date_relative trigger counts from: a deal's expected close date or a task's due date. */
export type DateTarget = 'deal.expectedCloseDate' | 'activity.dueAt';

/** What the trigger form holds: every type's settings (only the chosen type's are shown), plus the entry conditions. */
export interface TriggerFormValues {
  type: TriggerType;
  object: WorkflowObject;
  /** record_updated: only when one of these changed (any field when empty). */
  fields: string[];
  /** record_updated: only when the (single) field changed to this; empty: any change. */
  toValue: string;
  pipelineId: string;
  toStageId: string;
  cron: string;
  timezone: string;
  dateTarget: DateTarget;
  offsetDays: string;
  offsetDirection: 'before' | 'after';
  formId: string;
  conditions: ConditionForm;
}

/** Trigger types that start on a record type the user picks. */
export const TYPES_WITH_OBJECT: ReadonlySet<TriggerType> = new Set([
  'record_created',
  'record_updated',
  'record_deleted',
  'manual',
]);

/** The record type a trigger starts on (workflows/definition.ts triggerObject), or null for schedules and webhooks. */
export function triggerObjectOf(t: Trigger): WorkflowObject | null {
  switch (t.type) {
    case 'record_created':
    case 'record_updated':
    case 'record_deleted':
    case 'manual':
    case 'date_relative':
      return t.object;
    case 'deal_stage_changed':
      return 'deal';
    case 'form_submitted':
      return 'lead';
    case 'schedule':
    case 'inbound_webhook':
      return null;
  }
}

const BLANK: Omit<TriggerFormValues, 'type' | 'conditions'> = {
  object: 'contact',
  fields: [],
  toValue: '',
  pipelineId: '',
  toStageId: '',
  cron: '0 9 * * 1-5',
  timezone: 'UTC',
  dateTarget: 'deal.expectedCloseDate',
  offsetDays: '3',
  offsetDirection: 'before',
  formId: '',
};

/** The form state of a trigger and its entry conditions. */
export function triggerToForm(t: Trigger, conditions: ConditionTree | null): TriggerFormValues {
  const common = { ...BLANK, type: t.type, conditions: toConditionForm(conditions) };
  switch (t.type) {
    case 'record_created':
    case 'record_deleted':
    case 'manual':
      return { ...common, object: t.object };
    case 'record_updated':
      return {
        ...common,
        object: t.object,
        fields: t.fields,
        toValue: valueText(t.toValue),
      };
    case 'deal_stage_changed':
      return { ...common, pipelineId: t.pipelineId ?? '', toStageId: t.toStageId ?? '' };
    case 'schedule':
      return { ...common, cron: t.cron, timezone: t.timezone };
    case 'date_relative':
      return {
        ...common,
        dateTarget: t.object === 'activity' ? 'activity.dueAt' : 'deal.expectedCloseDate',
        offsetDays: String(Math.abs(t.offsetDays)),
        offsetDirection: t.offsetDays < 0 ? 'before' : 'after',
      };
    case 'form_submitted':
      return { ...common, formId: t.formId ?? '' };
    case 'inbound_webhook':
      return common;
  }
}

const optional = <K extends string>(key: K, value: string) =>
  (value ? { [key]: value } : {}) as Partial<Record<K, string>>;

/** The trigger of a form state. */
export function triggerFromForm(v: TriggerFormValues, catalogs: FieldCatalogs): Trigger {
  switch (v.type) {
    case 'record_created':
    case 'record_deleted':
    case 'manual':
      return { type: v.type, object: v.object };
    case 'record_updated': {
      const first = v.fields[0];
      const to =
        v.toValue.trim() && first
          ? { toValue: parseScalar(v.toValue, kindOf(fieldsOf(catalogs, v.object), first)) }
          : {};
      return { type: 'record_updated', object: v.object, fields: v.fields, ...to };
    }
    case 'deal_stage_changed':
      return {
        type: 'deal_stage_changed',
        ...optional('pipelineId', v.pipelineId),
        ...(v.pipelineId ? optional('toStageId', v.toStageId) : {}),
      };
    case 'schedule':
      return { type: 'schedule', cron: v.cron.trim(), timezone: v.timezone };
    case 'date_relative': {
      const days = intOf(v.offsetDays, 0, 365) ?? 0;
      const [object, field] =
        v.dateTarget === 'activity.dueAt'
          ? (['activity', 'dueAt'] as const)
          : (['deal', 'expectedCloseDate'] as const);
      return {
        type: 'date_relative',
        object,
        field,
        offsetDays: v.offsetDirection === 'before' && days !== 0 ? -days : days,
      };
    }
    case 'form_submitted':
      return { type: 'form_submitted', ...optional('formId', v.formId) };
    case 'inbound_webhook':
      return { type: 'inbound_webhook' };
  }
}

/** The trigger and entry conditions of a form state (no rule: no conditions). */
export function definitionOfTriggerForm(
  v: TriggerFormValues,
  catalogs: FieldCatalogs,
): { trigger: Trigger; conditions: ConditionTree | null } {
  const trigger = triggerFromForm(v, catalogs);
  const object = triggerObjectOf(trigger);
  return {
    trigger,
    conditions: entryConditions(v.conditions, (f) => kindOf(fieldsOf(catalogs, object), f)),
  };
}

/** The trigger form's rules, said next to each field; the server's publish check says the same. */
export const triggerFormSchema = z
  .object({
    type: z.enum(TRIGGER_TYPES as [TriggerType, ...TriggerType[]]),
    object: z.string().regex(/^[a-z][a-z0-9_]*$/, 'choose a record type'),
    fields: z
      .array(z.string().regex(FIELD_PATH, 'must be a field name'))
      .max(20, 'choose at most 20 fields'),
    toValue: z.string().max(1000, 'at most 1,000 characters'),
    pipelineId: z.string(),
    toStageId: z.string(),
    cron: z.string().max(100, 'at most 100 characters'),
    timezone: z.string(),
    dateTarget: z.enum(['deal.expectedCloseDate', 'activity.dueAt']),
    offsetDays: z.string(),
    offsetDirection: z.enum(['before', 'after']),
    formId: z.string(),
    conditions: conditionFormSchema,
  })
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    if (v.type === 'schedule') {
      if (!isTimeZone(v.timezone))
        issue('timezone', 'choose a time zone such as Europe/Berlin or UTC');
      const problem = cronProblem(v.cron, v.timezone);
      if (problem) issue('cron', problem);
    }
    if (v.type === 'record_updated' && v.toValue.trim() && v.fields.length !== 1)
      issue('toValue', 'choose exactly one field above to use "changed to"');
    if (v.type === 'date_relative' && intOf(v.offsetDays, 0, 365) === undefined)
      issue('offsetDays', 'must be a whole number of days from 0 to 365');
  });
