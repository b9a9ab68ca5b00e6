import { describe, expect, it } from 'vitest';
import { formatBytes, importFileProblem, MAX_IMPORT_BYTES } from './file-size';

describe('formatBytes', () => {
  it('shows small files in bytes instead of "0 KB"', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1)).toBe('1 B');
    expect(formatBytes(312)).toBe('312 B');
    expect(formatBytes(1023)).toBe('1023 B');
  });

  it('uses the largest fitting unit, one decimal below 10', () => {
    expect(formatBytes(1024)).toBe('1 KB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(4300)).toBe('4.2 KB');
    expect(formatBytes(12 * 1024 * 1024)).toBe('12 MB');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2 GB');
    expect(formatBytes(2.5 * 1024 ** 3)).toBe('2.5 GB');
  });

  it('does not show 1024 of a unit when rounding reaches the next one', () => {
    expect(formatBytes(1024 * 1024 - 1)).toBe('1 MB');
  });
});

describe('importFileProblem', () => {
  it('accepts a file up to the server limit', () => {
    expect(importFileProblem({ size: 10 })).toBeNull();
    expect(importFileProblem({ size: MAX_IMPORT_BYTES })).toBeNull();
  });

  it('refuses an empty file and one over the limit, saying both sizes', () => {
    expect(importFileProblem({ size: 0 })).toBe('This file is empty.');
    expect(importFileProblem({ size: MAX_IMPORT_BYTES + 1 })).not.toBeNull();
    expect(importFileProblem({ size: 2.5 * 1024 ** 3 })).toBe(
      'This file is 2.5 GB; imports take files up to 2 GB. Split it into smaller files.',
    );
  });
});
