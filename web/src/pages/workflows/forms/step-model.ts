import type { DraftStep, StepType, WorkflowObject } from '../definition-types';
import {
  EMPTY_CONDITIONS,
  fromConditionForm,
  toConditionForm,
  type ConditionForm,
} from './condition-model';
import { fieldsOf, kindOf, type FieldCatalogs, type FieldInfo } from './field-catalog';
import { parseRecordValue, valueText } from './values';

/** A field a create/update record step writes, with the value as typed. */
export interface ValueRow {
  field: string;
  value: string;
}

/**
 * What a step form holds: one shape for every step type (only the type's own fields are shown and
 * checked), numbers as text so nothing half-typed is lost, links (`next`, `then`, `else`) left to
 * the canvas.
 */
export interface StepFormValues {
  type: StepType;
  name: string;
  /** Retries before the run fails; empty: the default (3). */
  maxAttempts: string;
  /** create_record: the record type to create. */
  object: WorkflowObject;
  values: ValueRow[];
  subject: string;
  body: string;
  dueInDays: string;
  /** create_task: `owner` (the record's owner) or a user id. */
  assignTo: string;
  strategy: 'round_robin' | 'user';
  teamId: string;
  /** notify: `owner` or a user id; assign_owner: the new owner. */
  userId: string;
  tag: string;
  /** send_email: to the record's contact, or to an address template. */
  toMode: 'contact' | 'address';
  to: string;
  title: string;
  url: string;
  waitMode: 'duration' | 'until';
  amount: string;
  unit: 'minutes' | 'hours' | 'days';
  until: string;
  condition: ConditionForm;
}

/** What a new form of any type starts from; stepToForm fills in the step's own settings. */
export const BLANK_STEP_FORM: Omit<StepFormValues, 'type'> = {
  name: '',
  maxAttempts: '',
  object: 'contact',
  values: [],
  subject: '',
  body: '',
  dueInDays: '',
  assignTo: 'owner',
  strategy: 'user',
  teamId: '',
  userId: 'owner',
  tag: '',
  toMode: 'contact',
  to: '',
  title: '',
  url: '',
  waitMode: 'duration',
  amount: '1',
  unit: 'days',
  until: '',
  condition: EMPTY_CONDITIONS,
};

const text = (v: string | undefined) => v ?? '';
const rowsOf = (values: Record<string, unknown>): ValueRow[] =>
  Object.entries(values).map(([field, value]) => ({ field, value: valueText(value) }));

/** The form state of a step. */
export function stepToForm(step: DraftStep): StepFormValues {
  const common = {
    ...BLANK_STEP_FORM,
    type: step.type,
    name: text(step.name),
    maxAttempts: step.retry ? String(step.retry.maxAttempts) : '',
  };
  switch (step.type) {
    case 'create_record':
      return { ...common, object: step.object, values: rowsOf(step.values) };
    case 'update_record':
      return { ...common, values: rowsOf(step.values) };
    case 'create_task':
      return {
        ...common,
        subject: step.subject,
        body: text(step.body),
        dueInDays: step.dueInDays === undefined ? '' : String(step.dueInDays),
        assignTo: step.assignTo,
      };
    case 'assign_owner':
      return {
        ...common,
        strategy: step.strategy,
        teamId: text(step.teamId),
        userId: text(step.userId),
      };
    case 'add_tag':
    case 'remove_tag':
      return { ...common, tag: step.tag };
    case 'send_email':
      return {
        ...common,
        toMode: step.to === 'contact' ? 'contact' : 'address',
        to: step.to === 'contact' ? '' : step.to,
        subject: step.subject,
        body: step.body,
      };
    case 'notify':
      return { ...common, userId: step.userId, title: step.title, body: text(step.body) };
    case 'call_webhook':
      return { ...common, url: step.url, body: text(step.body) };
    case 'wait':
      return step.until !== undefined && !step.duration
        ? { ...common, waitMode: 'until', until: step.until }
        : {
            ...common,
            waitMode: 'duration',
            amount: String(step.duration?.amount ?? 1),
            unit: step.duration?.unit ?? 'days',
          };
    case 'branch':
      return { ...common, condition: toConditionForm(step.condition) };
    case 'stop':
      return common;
  }
}

/** An integer typed as text within bounds, or undefined (the form shows why). */
export function intOf(value: string, min: number, max: number): number | undefined {
  const t = value.trim();
  if (!/^-?\d+$/.test(t)) return undefined;
  const n = Number(t);
  return n >= min && n <= max ? n : undefined;
}

const optional = <K extends string>(key: K, value: string) =>
  (value.trim() ? { [key]: value } : {}) as Partial<Record<K, string>>;

/** What a step form needs to know about the fields of the records it writes. */
export interface StepContext {
  catalogs: FieldCatalogs;
  /** The trigger's record type: what update_record and branch conditions read. */
  triggerObject: WorkflowObject | null;
}

function valuesOf(
  rows: readonly ValueRow[],
  catalog: readonly FieldInfo[],
): Record<string, string | number | boolean | null | string[]> {
  const out: Record<string, string | number | boolean | null | string[]> = {};
  for (const r of rows)
    if (r.field.trim())
      out[r.field.trim()] = parseRecordValue(r.value, kindOf(catalog, r.field.trim()));
  return out;
}

/** The definition's step of a form state; id and links come from the step as the draft has it now. */
export function stepFromForm(v: StepFormValues, current: DraftStep, ctx: StepContext): DraftStep {
  const maxAttempts = intOf(v.maxAttempts, 1, 10);
  const base = {
    id: current.id,
    ...(v.name.trim() ? { name: v.name.trim() } : {}),
    ...(maxAttempts ? { retry: { maxAttempts } } : {}),
  };
  const next = 'next' in current ? current.next : null;
  const triggerCatalog = fieldsOf(ctx.catalogs, ctx.triggerObject);
  switch (v.type) {
    case 'create_record':
      return {
        ...base,
        type: 'create_record',
        object: v.object,
        values: valuesOf(v.values, fieldsOf(ctx.catalogs, v.object)),
        next,
      };
    case 'update_record':
      return { ...base, type: 'update_record', values: valuesOf(v.values, triggerCatalog), next };
    case 'create_task': {
      const dueInDays = intOf(v.dueInDays, 0, 365);
      return {
        ...base,
        type: 'create_task',
        subject: v.subject,
        ...optional('body', v.body),
        ...(dueInDays === undefined ? {} : { dueInDays }),
        assignTo: v.assignTo || 'owner',
        next,
      };
    }
    case 'assign_owner':
      return {
        ...base,
        type: 'assign_owner',
        strategy: v.strategy,
        ...(v.strategy === 'round_robin'
          ? optional('teamId', v.teamId)
          : optional('userId', v.userId === 'owner' ? '' : v.userId)),
        next,
      };
    case 'add_tag':
      return { ...base, type: 'add_tag', tag: v.tag.trim(), next };
    case 'remove_tag':
      return { ...base, type: 'remove_tag', tag: v.tag.trim(), next };
    case 'send_email':
      return {
        ...base,
        type: 'send_email',
        to: v.toMode === 'contact' ? 'contact' : v.to.trim(),
        subject: v.subject,
        body: v.body,
        next,
      };
    case 'notify':
      return {
        ...base,
        type: 'notify',
        userId: v.userId || 'owner',
        title: v.title,
        ...optional('body', v.body),
        next,
      };
    case 'call_webhook':
      return {
        ...base,
        type: 'call_webhook',
        url: v.url.trim(),
        ...optional('body', v.body),
        next,
      };
    case 'wait': {
      if (v.waitMode === 'until')
        return { ...base, type: 'wait', ...optional('until', v.until.trim()), next };
      const amount = intOf(v.amount, 1, 10_000);
      return {
        ...base,
        type: 'wait',
        ...(amount === undefined ? {} : { duration: { amount, unit: v.unit } }),
        next,
      };
    }
    case 'branch': {
      const links =
        current.type === 'branch'
          ? { then: current.then, else: current.else }
          : { then: null, else: null };
      return {
        ...base,
        type: 'branch',
        condition: fromConditionForm(v.condition, (f) => kindOf(triggerCatalog, f)),
        ...links,
      };
    }
    case 'stop':
      return { ...base, type: 'stop' };
  }
}
