import { describe, expect, it } from 'vitest';
import { flattenErrors, isDirtyAt, messageAt } from './form-messages';

describe('form messages', () => {
  const errors = {
    subject: { type: 'custom', message: 'give the task a subject' },
    condition: { rules: [undefined, { value: { type: 'custom', message: 'enter a value' } }] },
    values: { message: 'add at least one field', type: 'custom' },
  };

  it('lists every message of a nested errors tree with its path', () => {
    expect(flattenErrors(errors)).toEqual([
      { path: 'subject', message: 'give the task a subject' },
      { path: 'condition.rules.1.value', message: 'enter a value' },
      { path: 'values', message: 'add at least one field' },
    ]);
    expect(flattenErrors(undefined)).toEqual([]);
  });

  it('reads one message or dirty flag by path', () => {
    expect(messageAt(errors, 'condition.rules.1.value')).toBe('enter a value');
    expect(messageAt(errors, 'condition.rules.0.value')).toBeUndefined();
    expect(isDirtyAt({ values: [{ field: true }] }, 'values.0.field')).toBe(true);
    expect(isDirtyAt({}, 'subject')).toBe(false);
  });
});
