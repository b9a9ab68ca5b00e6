import { describe, expect, it } from 'vitest';
import type { DraftStep } from '../definition-types';
import { catalogsOf } from './field-catalog';
import { OBJECTS_FIXTURE } from './objects.fixture';
import { stepFromForm, stepToForm, type StepContext, type StepFormValues } from './step-model';
import { stepFormSchemaFor } from './step-schema';

const catalogs = catalogsOf(OBJECTS_FIXTURE);
const ctx: StepContext = { catalogs, triggerObject: 'deal' };
const roundTrip = (step: DraftStep) => stepFromForm(stepToForm(step), step, ctx);
const problems = (v: StepFormValues) =>
  (stepFormSchemaFor('deal', [...catalogs.keys()]).safeParse(v).error?.issues ?? []).map(
    (i) => `${i.path.join('.')}: ${i.message}`,
  );

describe('step forms and definitions', () => {
  const steps: DraftStep[] = [
    {
      id: 'a',
      type: 'create_task',
      name: 'Call',
      retry: { maxAttempts: 5 },
      subject: 'Call {{deal.name}}',
      body: 'Notes',
      dueInDays: 2,
      assignTo: 'owner',
      next: 'b',
    },
    {
      id: 'b',
      type: 'send_email',
      to: 'contact',
      subject: 'Hi',
      body: 'Hello {{contact.firstName}}',
      next: null,
    },
    { id: 'c', type: 'send_email', to: '{{contact.email}}', subject: 'Hi', body: 'x', next: null },
    {
      id: 'd',
      type: 'notify',
      userId: '0190a0b0-0000-7000-8000-000000000001',
      title: 'Won',
      next: null,
    },
    {
      id: 'e',
      type: 'assign_owner',
      strategy: 'round_robin',
      teamId: '0190a0b0-0000-7000-8000-000000000002',
      next: null,
    },
    { id: 'f', type: 'wait', duration: { amount: 3, unit: 'hours' }, next: null },
    { id: 'g', type: 'wait', until: '{{deal.expectedCloseDate}}', next: null },
    {
      id: 'h',
      type: 'branch',
      condition: { match: 'any', rules: [{ field: 'amount', op: 'gt', value: 1000 }] },
      then: 'a',
      else: null,
    },
    {
      id: 'i',
      type: 'update_record',
      values: {
        amount: 5000,
        tags: ['vip', 'hot'],
        lostReason: null,
        name: '{{deal.name}} (renewal)',
      },
      next: null,
    },
    {
      id: 'j',
      type: 'create_record',
      object: 'contact',
      values: { firstName: '{{lead.firstName}}', status: 'PROSPECT' },
      next: null,
    },
    {
      id: 'k',
      type: 'call_webhook',
      url: 'https://example.com/h',
      body: '{"id": {{deal.id}}}',
      next: null,
    },
    { id: 'l', type: 'remove_tag', tag: 'cold', next: null },
    { id: 'm', type: 'stop' },
  ];
  it.each(steps)('keeps a $type step ($id) through the form unchanged', (step) => {
    expect(roundTrip(step)).toEqual(step);
    expect(problems(stepToForm(step))).toEqual([]);
  });

  it('writes typed values by field kind: numbers, tag lists, empty clears, placeholders stay templates', () => {
    const step: DraftStep = { id: 'u', type: 'update_record', values: {}, next: 'z' };
    const form = {
      ...stepToForm(step),
      values: [
        { field: 'probability', value: '80' },
        { field: 'tags', value: 'a, b' },
        { field: 'currency', value: '' },
        { field: 'amount', value: '{{deal.amount}}' },
      ],
    };
    expect(stepFromForm(form, step, ctx)).toEqual({
      id: 'u',
      type: 'update_record',
      values: { probability: 80, tags: ['a', 'b'], currency: null, amount: '{{deal.amount}}' },
      next: 'z',
    });
  });

  it("types an admin's object's fields from its description, top-level, in create and update steps", () => {
    const step: DraftStep = {
      id: 'p',
      type: 'create_record',
      object: 'project',
      values: {},
      next: null,
    };
    const form = {
      ...stepToForm(step),
      values: [
        { field: 'name', value: 'Follow-up of {{deal.name}}' },
        { field: 'budget', value: '5000' },
      ],
    };
    expect(stepFromForm(form, step, ctx)).toMatchObject({
      object: 'project',
      values: { name: 'Follow-up of {{deal.name}}', budget: 5000 },
    });
    const update: DraftStep = { id: 'u', type: 'update_record', values: {}, next: null };
    expect(
      stepFromForm({ ...stepToForm(update), values: [{ field: 'budget', value: '12' }] }, update, {
        catalogs,
        triggerObject: 'project',
      }),
    ).toMatchObject({ values: { budget: 12 } });
  });

  it('keeps the links the canvas drew, whatever the form holds', () => {
    const form = stepToForm({ id: 'x', type: 'add_tag', tag: 'vip', next: null });
    expect(
      stepFromForm(
        { ...form, tag: ' gold ' },
        { id: 'x', type: 'add_tag', tag: 'vip', next: 'y' },
        ctx,
      ),
    ).toEqual({ id: 'x', type: 'add_tag', tag: 'gold', next: 'y' });
  });

  it('leaves out what is not set: no name, default retries, no due date, a half-typed number', () => {
    const step: DraftStep = {
      id: 't',
      type: 'create_task',
      subject: 'S',
      assignTo: 'owner',
      next: null,
    };
    expect(
      stepFromForm(
        { ...stepToForm(step), name: '  ', maxAttempts: '', dueInDays: 'tw' },
        step,
        ctx,
      ),
    ).toEqual(step);
  });

  it('says what each type is missing, next to the field', () => {
    const task = stepToForm({
      id: 't',
      type: 'create_task',
      subject: '',
      assignTo: 'owner',
      next: null,
    });
    expect(
      problems({ ...task, dueInDays: '400', maxAttempts: '0', subject: 'Hi {{person.name}}' }),
    ).toEqual([
      'maxAttempts: must be a whole number from 1 to 10 (empty: 3)',
      'dueInDays: must be a whole number of days from 0 to 365',
      expect.stringMatching(/^subject: \{\{person\.name\}\}: "person" is unknown/),
    ]);
    expect(problems(task)).toEqual(['subject: give the task a subject']);
    const email = stepToForm({
      id: 'e',
      type: 'send_email',
      to: 'contact',
      subject: '',
      body: '',
      next: null,
    });
    expect(problems({ ...email, toMode: 'address' })).toEqual([
      'subject: give the email a subject',
      'body: write the email',
      'to: enter an address or a placeholder such as {{contact.email}}',
    ]);
    const assign = stepToForm({ id: 'a', type: 'assign_owner', strategy: 'user', next: null });
    expect(problems(assign)).toEqual(['userId: choose who becomes the owner']);
    expect(problems({ ...assign, strategy: 'round_robin' })).toEqual([
      'teamId: choose the team whose members take turns',
    ]);
    const wait = stepToForm({
      id: 'w',
      type: 'wait',
      duration: { amount: 1, unit: 'days' },
      next: null,
    });
    expect(problems({ ...wait, amount: '0' })).toEqual([
      'amount: must be a whole number from 1 to 10,000',
    ]);
    expect(problems({ ...wait, waitMode: 'until' })).toEqual([
      expect.stringMatching(/^until: enter a date/),
    ]);
    expect(
      problems(
        stepToForm({
          id: 'b',
          type: 'branch',
          condition: { match: 'all', rules: [] },
          then: null,
          else: null,
        }),
      ),
    ).toEqual(['condition: add at least one rule; the branch takes "then" when it holds']);
    expect(
      problems(
        stepToForm({
          id: 'h',
          type: 'call_webhook',
          url: 'ftp://x',
          body: '{"a": "{{deal.id}}"}',
          next: null,
        }),
      ),
    ).toEqual([
      'url: must be an http(s) URL, e.g. https://example.com/hooks/cerebro',
      expect.stringMatching(/^body: is not valid JSON/),
    ]);
  });

  it('wants every written field named once, and at least one for an update', () => {
    const update = stepToForm({ id: 'u', type: 'update_record', values: {}, next: null });
    expect(problems(update)).toEqual(['values: add at least one field to change']);
    expect(
      problems({
        ...update,
        values: [
          { field: 'name', value: 'a' },
          { field: 'name', value: 'b' },
          { field: '', value: 'c' },
          { field: 'title', value: '{{x y}}' },
        ],
      }),
    ).toEqual([
      'values.1.field: this field is already set above',
      'values.2.field: choose a field',
      expect.stringMatching(/^values\.3\.value: "\{\{x y\}\}" is not a placeholder/),
    ]);
  });
});
