import { describe, expect, it } from 'vitest';
import { encodeRows, fitEncoder } from './features.ts';
import { fitLogistic, logisticLogOdds } from './logistic.ts';
import { sigmoid } from './math.ts';
import { rocAuc } from './metrics.ts';
import { logisticData } from './synthetic.ts';
import type { DesignMatrix } from './types.ts';

function design(n: number, coefficients: number[], seed: number) {
  const data = logisticData(n, coefficients, -0.3, seed);
  const x = encodeRows(fitEncoder(data.rows, data.features), data.rows);
  const y = Uint8Array.from(data.outcomes, (o) => (o ? 1 : 0));
  return { data, x, y };
}

describe('fitLogistic', () => {
  const truth = [1.5, -1, 0.5, 0];

  it('recovers the signs and the order of known coefficients', () => {
    const { x, y } = design(4000, truth, 11);
    const model = fitLogistic(x, y);
    // Weights are on standardized columns; the data's columns have unit variance, so they compare.
    const learned = model.weights.map((w, j) => w / (model.scales[j] ?? 1));
    expect(learned.slice(0, 3).map(Math.sign)).toEqual([1, -1, 1]);
    const rank = (v: number[]) =>
      v.map((_, j) => j).sort((a, b) => Math.abs(v[b] ?? 0) - Math.abs(v[a] ?? 0));
    expect(rank(learned)).toEqual(rank(truth));
    learned.forEach((w, j) => expect(Math.abs(w - (truth[j] ?? 0))).toBeLessThan(0.15));
  });

  it('reaches the Bayes-optimal AUC on fresh rows', () => {
    const train = design(4000, truth, 12);
    const test = design(4000, truth, 13);
    const model = fitLogistic(train.x, train.y);
    const auc = rocAuc(logisticLogOdds(model, test.x), test.y) ?? 0;
    const optimal = rocAuc(test.data.probabilities, test.y) ?? 1;
    expect(auc).toBeGreaterThan(optimal - 0.01);
  });

  it('stops where the penalized gradient is zero', () => {
    const { x, y } = design(500, truth, 14);
    const l2 = 2;
    const model = fitLogistic(x, y, { l2 });
    const z = logisticLogOdds(model, x);
    // Gradient in standardized units, computed independently of the solver.
    const gradient = model.weights.map((w, j) => {
      let g = l2 * w;
      for (let i = 0; i < x.rows; i++) {
        const zij =
          ((x.values[i * x.cols + j] ?? 0) - (model.means[j] ?? 0)) / (model.scales[j] ?? 1);
        g += (sigmoid(z[i] ?? 0) - (y[i] ?? 0)) * zij;
      }
      return g;
    });
    gradient.forEach((g) => expect(Math.abs(g)).toBeLessThan(1e-4));
  });

  it('stays finite on separable data and on a constant column', () => {
    const x: DesignMatrix = {
      rows: 6,
      cols: 2,
      values: Float64Array.from([0, 5, 1, 5, 2, 5, 3, 5, 4, 5, 5, 5]),
    };
    const y = Uint8Array.from([0, 0, 0, 1, 1, 1]);
    const model = fitLogistic(x, y);
    expect([...model.weights, model.intercept].every(Number.isFinite)).toBe(true);
    expect(model.weights[1]).toBe(0);
    const z = logisticLogOdds(model, x);
    expect((z[5] ?? 0) > (z[0] ?? 0)).toBe(true);
  });
});
