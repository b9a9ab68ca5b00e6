import { describe, expect, it } from 'vitest';
import { formatDuration } from './trigger-words';

describe('formatDuration', () => {
  it('reads a step as milliseconds, seconds, or the two largest units of a long wait', () => {
    expect(formatDuration(42)).toBe('42 ms');
    expect(formatDuration(1540)).toBe('1.5 s');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000 + 7000)).toBe('2 h 5 min');
    expect(formatDuration(86_400_000 + 30_000)).toBe('1 d');
    expect(formatDuration(-3)).toBe('0 ms');
  });
});
