import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_BASE_MS, RETRY_CAP_MS, retryDelayMs } from './backoff.js';

describe('job retry backoff', () => {
  it('doubles the window with every failed attempt, from the 2 s base up to the 1 h cap', () => {
    const top = () => 1 - 1e-12;
    const windows = Array.from({ length: 14 }, (_, i) =>
      retryDelayMs(i + 1, DEFAULT_RETRY_BASE_MS, top),
    );
    expect(windows.slice(0, 5)).toEqual([1999, 3999, 7999, 15999, 31999]);
    for (let i = 1; i < windows.length; i++)
      expect(windows[i]).toBeGreaterThanOrEqual(windows[i - 1] ?? 0);
    expect(windows.at(-1)).toBe(RETRY_CAP_MS - 1);
    // Far past the cap (and past 2^40 doublings) the delay stays bounded.
    expect(retryDelayMs(500, DEFAULT_RETRY_BASE_MS, top)).toBe(RETRY_CAP_MS - 1);
    expect(retryDelayMs(3, 0, top)).toBe(0);
  });

  it('draws each delay uniformly from the whole window (full jitter)', () => {
    expect(retryDelayMs(3, 1000, () => 0)).toBe(0);
    expect(retryDelayMs(3, 1000, () => 0.5)).toBe(2000);
    const samples = Array.from({ length: 400 }, () => retryDelayMs(4, 1000));
    for (const s of samples) {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThan(8000);
    }
    // Jobs that failed together spread out: low and high parts of the window both occur.
    expect(Math.min(...samples)).toBeLessThan(1000);
    expect(Math.max(...samples)).toBeGreaterThan(7000);
    expect(new Set(samples).size).toBeGreaterThan(300);
  });
});
