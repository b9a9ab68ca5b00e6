import { describe, expect, it } from 'vitest';
import { choicesOf, fieldsMappedTwice, isSameMapping, mappingOf } from './mapping';

describe('import column mapping', () => {
  it('offers every column, unmapped ones as "don\'t import", and sends only the mapped ones', () => {
    const choices = choicesOf(['Given', 'Mail', 'Notes'], { Mail: 'email' });
    expect(choices).toEqual({ Given: '', Mail: 'email', Notes: '' });
    expect(mappingOf({ ...choices, Given: 'firstName' })).toEqual({
      Given: 'firstName',
      Mail: 'email',
    });
  });

  it('tells an edited mapping from the one already checked', () => {
    expect(isSameMapping({ A: 'email' }, { A: 'email' })).toBe(true);
    expect(isSameMapping({ A: 'email' }, { A: 'phone' })).toBe(false);
    expect(isSameMapping({ A: 'email' }, { A: 'email', B: 'phone' })).toBe(false);
  });

  it('finds a field that two columns would fill', () => {
    expect(fieldsMappedTwice({ A: 'email', B: 'email', C: '', D: '' })).toEqual(['email']);
    expect(fieldsMappedTwice({ A: 'email', B: 'phone' })).toEqual([]);
  });
});
