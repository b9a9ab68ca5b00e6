import { describe, expect, it } from 'vitest';
import type { Draft } from '../definition-types';
import {
  checkDraft,
  isTriggerProblem,
  pathInWords,
  stepFieldOf,
  stepIndexOf,
  stepProblemPath,
  triggerFieldOf,
  triggerProblemPath,
} from './problem-paths';

/** The built-in objects' keys, as `GET /objects` lists them. */
const OBJECT_KEYS = ['contact', 'company', 'deal', 'lead', 'activity', 'ticket'];

describe('problem paths', () => {
  it('maps server paths to the form field they are about', () => {
    const rows = [
      { field: 'email', value: '' },
      { field: 'custom.size', value: '' },
    ];
    expect(stepFieldOf('retry.maxAttempts', rows)).toBe('maxAttempts');
    expect(stepFieldOf('duration', rows)).toBe('amount');
    expect(stepFieldOf('values.email', rows)).toBe('values.0.value');
    expect(stepFieldOf('values.customFields.size', rows)).toBe('values.1.value');
    expect(stepFieldOf('values.2.field', rows)).toBe('values.2.field');
    expect(stepFieldOf('values.phone', rows)).toBe('values');
    expect(stepFieldOf('condition.rules.0.value', rows)).toBe('condition');
    expect(stepFieldOf('next', rows)).toBeNull();
    expect(triggerFieldOf('draft.trigger.cron')).toBe('cron');
    expect(triggerFieldOf('trigger.field')).toBe('dateTarget');
    expect(triggerFieldOf('conditions.rules.1.value')).toBe('conditions');
    expect(triggerFieldOf('start')).toBeNull();
    expect(stepIndexOf('draft.steps.12.next')).toBe(12);
    expect(stepIndexOf('trigger.cron')).toBeNull();
    expect(isTriggerProblem('draft.conditions.rules.0')).toBe(true);
    expect(isTriggerProblem('steps.0.subject')).toBe(false);
  });

  it('names form paths as the definition does, so the problems list reads the same for both', () => {
    expect(stepProblemPath(3, 'maxAttempts')).toBe('steps.3.retry.maxAttempts');
    expect(stepProblemPath(0, 'amount')).toBe('steps.0.duration.amount');
    expect(stepProblemPath(1, 'values.2.field')).toBe('steps.1.values.2.field');
    expect(triggerProblemPath('dateTarget')).toBe('trigger.field');
    expect(triggerProblemPath('conditions.rules.0.value')).toBe('conditions.rules.0.value');
  });

  it('says a path in words for the problems list', () => {
    expect(pathInWords('condition.rules.2.rules.0.value')).toBe(
      'condition › rule 3 › rule 1 › value',
    );
    expect(pathInWords('values.1.field')).toBe('field 2 › field');
    expect(pathInWords('retry.maxAttempts')).toBe('retry › max attempts');
  });

  it("checks the whole draft with the forms' rules, naming paths as the server does", () => {
    const draft: Draft = {
      trigger: { type: 'schedule', cron: 'nope', timezone: 'UTC' },
      conditions: { match: 'all', rules: [{ field: 'amount', op: 'eq' }] },
      start: 'a',
      steps: [
        { id: 'a', type: 'create_task', subject: 'Fine', assignTo: 'owner', next: 'b' },
        {
          id: 'b',
          type: 'wait',
          duration: { amount: 1, unit: 'days' },
          retry: { maxAttempts: 11 },
          next: null,
        },
        { id: 'c', type: 'notify', userId: 'owner', title: '', next: null },
      ],
      layout: {},
    };
    expect(checkDraft(draft, OBJECT_KEYS)).toEqual([
      { path: 'conditions.rules.0.value', message: 'enter a value (or use "is empty")' },
      { path: 'trigger.cron', message: expect.stringMatching(/five fields/) },
      {
        path: 'steps.1.retry.maxAttempts',
        message: 'must be a whole number from 1 to 10 (empty: 3)',
      },
      { path: 'steps.2.title', message: 'give the notification a title' },
    ]);
  });

  it("lets a custom object's workflow read its record under the object's key, as the server does", () => {
    const draft = (object: string): Draft => ({
      trigger: { type: 'record_created', object },
      conditions: null,
      start: 's1',
      steps: [
        {
          id: 's1',
          type: 'update_record',
          values: { name: '{{project.name}} (checked)' },
          next: null,
        },
      ],
      layout: {},
    });
    expect(checkDraft(draft('project'), OBJECT_KEYS)).toEqual([]);
    expect(checkDraft(draft('deal'), OBJECT_KEYS)).toEqual([
      {
        path: 'steps.0.values.0.value',
        message: expect.stringMatching(/^\{\{project\.name\}\}: "project" is unknown/),
      },
    ]);
  });
});
