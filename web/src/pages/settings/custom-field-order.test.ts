import { describe, expect, it } from 'vitest';
import { keyOf } from './custom-field-dialog';
import { moved } from './custom-field-list';

describe('custom field settings', () => {
  it('derives an API key from a label', () => {
    expect(keyOf('Renewal date')).toBe('renewalDate');
    expect(keyOf('  NPS score (0-10) ')).toBe('npsScore010');
    expect(keyOf('2nd owner')).toBe('field2ndOwner');
  });

  it('moves one field and keeps the others in order; a move off either end changes nothing', () => {
    expect(moved(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
    expect(moved(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moved(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moved(['a', 'b', 'c'], 2, 3)).toEqual(['a', 'b', 'c']);
  });
});
