import { describe, expect, it } from 'vitest';
import type { ConditionTree, Trigger } from '../definition-types';
import { catalogsOf } from './field-catalog';
import { OBJECTS_FIXTURE } from './objects.fixture';
import {
  definitionOfTriggerForm,
  triggerFormSchema,
  triggerObjectOf,
  triggerToForm,
  type TriggerFormValues,
} from './trigger-model';

const catalogs = catalogsOf(OBJECTS_FIXTURE);
const problems = (v: TriggerFormValues) =>
  (triggerFormSchema.safeParse(v).error?.issues ?? []).map(
    (i) => `${i.path.join('.')}: ${i.message}`,
  );
const PIPELINE = '0190a0b0-0000-7000-8000-00000000000a';
const STAGE = '0190a0b0-0000-7000-8000-00000000000b';

describe('trigger forms and definitions', () => {
  const triggers: Trigger[] = [
    { type: 'record_created', object: 'lead' },
    { type: 'record_updated', object: 'deal', fields: ['amount'], toValue: 10000 },
    { type: 'record_updated', object: 'contact', fields: [] },
    { type: 'record_deleted', object: 'company' },
    { type: 'deal_stage_changed', pipelineId: PIPELINE, toStageId: STAGE },
    { type: 'deal_stage_changed' },
    { type: 'schedule', cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' },
    { type: 'date_relative', object: 'deal', field: 'expectedCloseDate', offsetDays: -3 },
    { type: 'date_relative', object: 'activity', field: 'dueAt', offsetDays: 1 },
    { type: 'inbound_webhook' },
    { type: 'manual', object: 'activity' },
    { type: 'form_submitted', formId: PIPELINE },
  ];
  it.each(triggers)('keeps a $type trigger through the form unchanged', (trigger) => {
    const form = triggerToForm(trigger, null);
    expect(definitionOfTriggerForm(form, catalogs)).toEqual({ trigger, conditions: null });
    expect(problems(form)).toEqual([]);
  });

  it('words date offsets as before/after and keeps entry conditions typed by the trigger record', () => {
    const conditions: ConditionTree = {
      match: 'all',
      rules: [{ field: 'amount', op: 'gte', value: 500 }],
    };
    const form = triggerToForm(
      { type: 'date_relative', object: 'deal', field: 'expectedCloseDate', offsetDays: -7 },
      conditions,
    );
    expect(form).toMatchObject({
      dateTarget: 'deal.expectedCloseDate',
      offsetDays: '7',
      offsetDirection: 'before',
    });
    expect(
      definitionOfTriggerForm(
        {
          ...form,
          offsetDirection: 'after',
          conditions: {
            match: 'all',
            rules: [{ kind: 'rule', field: 'amount', op: 'gte', value: '500' }],
          },
        },
        catalogs,
      ),
    ).toEqual({
      trigger: { type: 'date_relative', object: 'deal', field: 'expectedCloseDate', offsetDays: 7 },
      conditions,
    });
  });

  it('drops a stage without a pipeline and an unset "changed to"', () => {
    const form = triggerToForm(
      { type: 'deal_stage_changed', pipelineId: PIPELINE, toStageId: STAGE },
      null,
    );
    expect(definitionOfTriggerForm({ ...form, pipelineId: '' }, catalogs).trigger).toEqual({
      type: 'deal_stage_changed',
    });
    const updated = triggerToForm(
      { type: 'record_updated', object: 'lead', fields: ['status'], toValue: 'qualified' },
      null,
    );
    expect(definitionOfTriggerForm({ ...updated, toValue: ' ' }, catalogs).trigger).toEqual({
      type: 'record_updated',
      object: 'lead',
      fields: ['status'],
    });
  });

  it('says what is wrong: a bad cron or zone, "changed to" without exactly one field, a bad offset', () => {
    const schedule = triggerToForm({ type: 'schedule', cron: '0 9 * * *', timezone: 'UTC' }, null);
    expect(problems({ ...schedule, cron: '61 * * * *', timezone: 'Mars/Olympus' })).toEqual([
      'timezone: choose a time zone such as Europe/Berlin or UTC',
      expect.stringMatching(/^cron: is not a valid cron pattern/),
    ]);
    const updated = triggerToForm(
      { type: 'record_updated', object: 'deal', fields: ['amount', 'name'] },
      null,
    );
    expect(problems({ ...updated, toValue: '5' })).toEqual([
      'toValue: choose exactly one field above to use "changed to"',
    ]);
    const dated = triggerToForm(
      { type: 'date_relative', object: 'deal', field: 'expectedCloseDate', offsetDays: 0 },
      null,
    );
    expect(problems({ ...dated, offsetDays: '-1' })).toEqual([
      'offsetDays: must be a whole number of days from 0 to 365',
    ]);
  });

  it('knows the record each trigger starts on', () => {
    expect(triggerObjectOf({ type: 'deal_stage_changed' })).toBe('deal');
    expect(triggerObjectOf({ type: 'form_submitted' })).toBe('lead');
    expect(triggerObjectOf({ type: 'schedule', cron: '* * * * *', timezone: 'UTC' })).toBeNull();
  });
});
