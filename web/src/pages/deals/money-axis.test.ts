import { describe, expect, it } from 'vitest';
import { moneyAxis, moneyTickFormatter, moneyTicks } from './money-axis';

const SUFFIX: Record<string, number> = { '': 1, K: 1e3, M: 1e6, B: 1e9, T: 1e12 };
/** "$1.5M" → 1500000: what a reader takes the label to mean. */
const valueOf = (label: string) => {
  const m = /^\$([\d.]+)([KMBT]?)$/.exec(label);
  return m ? Number(m[1]) * (SUFFIX[m[2] ?? ''] ?? NaN) : NaN;
};

describe('money axis', () => {
  it('prints every tick exactly and never two alike, over maxima from $1 to $10B', () => {
    // Every max of the form m × 10^e for m in 1.00…9.99: the whole range of leading digits.
    for (let e = 0; e <= 9; e++)
      for (let m = 100; m < 1000; m += 7) {
        const max = (m / 100) * 10 ** e;
        const { ticks, format } = moneyAxis(max, 'USD', 'en-US');
        const labels = ticks.map(format);
        expect(new Set(labels).size, `${max}: ${labels.join(' ')}`).toBe(labels.length);
        labels.forEach((label, i) =>
          expect(valueOf(label), `${max}: ${label}`).toBeCloseTo(ticks[i] ?? NaN, 6),
        );
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
    // Unique with no digits ("$2M" twice is not the only failure): 1.5M must not print as "$2M".
    const short = [0, 500_000, 1_000_000, 1_500_000];
    expect(short.map(moneyTickFormatter(short, 'USD', 'en-US'))).toEqual([
      '$0',
      '$500K',
      '$1M',
      '$1.5M',
    ]);
    const round = [0, 1_000_000, 2_000_000];
    expect(round.map(moneyTickFormatter(round, 'USD', 'en-US'))).toEqual(['$0', '$1M', '$2M']);
  });
});
