import { describe, expect, it } from 'vitest';
import { moneyAxis, moneyTickFormatter, moneyTicks } from './money-axis';

describe('money axis', () => {
  it('never prints two ticks alike, over maxima from $1 to $10B', () => {
    // Every max of the form m × 10^e for m in 1.00…9.99: the whole range of leading digits.
    for (let e = 0; e <= 9; e++)
      for (let m = 100; m < 1000; m += 7) {
        const max = (m / 100) * 10 ** e;
        const { ticks, format } = moneyAxis(max, 'USD', 'en-US');
        const labels = ticks.map(format);
        expect(new Set(labels).size, `${max}: ${labels.join(' ')}`).toBe(labels.length);
      }
  });

  it('covers the largest value in at most five round steps from zero', () => {
    expect(moneyTicks(1_800_000)).toEqual([0, 500_000, 1_000_000, 1_500_000, 2_000_000]);
    expect(moneyTicks(0)).toEqual([0]);
    for (const max of [3, 42, 999, 12_345, 7_654_321]) {
      const ticks = moneyTicks(max);
      expect(ticks.length).toBeLessThanOrEqual(5);
      expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(max);
    }
  });

  it('adds a fraction digit only when the labels would repeat', () => {
    const ticks = [0, 500_000, 1_000_000, 1_500_000, 2_000_000];
    expect(ticks.map(moneyTickFormatter(ticks, 'USD', 'en-US'))).toEqual([
      '$0',
      '$500K',
      '$1M',
      '$1.5M',
      '$2M',
    ]);
    const round = [0, 1_000_000, 2_000_000];
    expect(round.map(moneyTickFormatter(round, 'USD', 'en-US'))).toEqual(['$0', '$1M', '$2M']);
  });
});
