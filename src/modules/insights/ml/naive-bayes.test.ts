import { describe, expect, it } from 'vitest';
import { fitNaiveBayes, naiveBayesContributions, naiveBayesLogOdds } from './naive-bayes.ts';
import type { DesignMatrix } from './types.ts';

// Column 0 is binary (Bernoulli), column 1 continuous (Gaussian), column 2 constant.
const x: DesignMatrix = {
  rows: 6,
  cols: 3,
  values: Float64Array.from([1, 2.0, 7, 1, 2.5, 7, 0, 1.5, 7, 0, -1.0, 7, 1, -0.5, 7, 0, -1.5, 7]),
};
const y = Uint8Array.from([1, 1, 1, 0, 0, 0]);

describe('fitNaiveBayes', () => {
  const model = fitNaiveBayes(x, y);

  it('treats 0/1 columns as Bernoulli with Laplace smoothing', () => {
    // Class 1 has the flag in 2 of 3 rows: (2 + 1) / (3 + 2).
    expect(model.columns[0]).toEqual({ type: 'bernoulli', p1: 3 / 5, p0: 2 / 5 });
    expect(model.columns[1]?.type).toBe('gaussian');
  });

  it('ranks rows of the positive class higher and stays finite on a constant column', () => {
    const z = naiveBayesLogOdds(model, x);
    expect(Array.from(z).every(Number.isFinite)).toBe(true);
    expect(Math.min(z[0] ?? 0, z[1] ?? 0, z[2] ?? 0)).toBeGreaterThan(
      Math.max(z[3] ?? 0, z[4] ?? 0, z[5] ?? 0),
    );
  });

  it('splits the log-odds into a base and per-column contributions that add up', () => {
    const z = naiveBayesLogOdds(model, x);
    for (let i = 0; i < x.rows; i++) {
      const { base, contributions } = naiveBayesContributions(
        model,
        x.values.subarray(i * 3, i * 3 + 3),
      );
      expect(contributions.reduce((s, v) => s + v, base)).toBeCloseTo(z[i] ?? NaN, 10);
      expect(contributions[2]).toBeCloseTo(0, 12);
    }
  });
});
