import { describe, expect, it } from 'vitest';
import { binMatrix, binOf, fitBinEdges } from './binning.ts';
import { encodeRows, fitEncoder } from './features.ts';
import { fitLogistic, logisticLogOdds } from './logistic.ts';
import { rocAuc } from './metrics.ts';
import { xorData } from './synthetic.ts';
import { fitTrees, treesContributions, treesImportance, treesLogOdds } from './trees.ts';
import type { DesignMatrix } from './types.ts';

function xorDesign(n: number, seed: number) {
  const data = xorData(n, seed);
  const encoder = fitEncoder(data.rows, data.features);
  return {
    data,
    encoder,
    x: encodeRows(encoder, data.rows),
    y: Uint8Array.from(data.outcomes, Number),
  };
}

describe('binning', () => {
  it('gives each distinct value its own bin when there are few, in order', () => {
    const x: DesignMatrix = { rows: 5, cols: 1, values: Float64Array.from([3, 1, 2, 2, 1]) };
    const binned = binMatrix(x, fitBinEdges(x));
    expect(Array.from(binned.bins)).toEqual([2, 0, 1, 1, 0]);
    expect(binOf(binned.edges[0] ?? new Float64Array(), 100)).toBe(2);
  });

  it('caps many distinct values at 255 bins of similar size', () => {
    const n = 10_000;
    const x: DesignMatrix = {
      rows: n,
      cols: 1,
      values: Float64Array.from({ length: n }, (_, i) => i),
    };
    const binned = binMatrix(x, fitBinEdges(x));
    const counts = new Map<number, number>();
    for (const b of binned.bins) counts.set(b, (counts.get(b) ?? 0) + 1);
    expect(counts.size).toBeLessThanOrEqual(255);
    expect(Math.max(...counts.values())).toBeLessThan(3 * (n / 255));
  });
});

describe('fitTrees', () => {
  it('captures an XOR interaction that logistic regression cannot', () => {
    const train = xorDesign(3000, 1);
    const test = xorDesign(3000, 2);
    const trees = fitTrees(train.x, train.y);
    const linear = fitLogistic(train.x, train.y);
    const xTest = encodeRows(train.encoder, test.data.rows);
    const treeAuc = rocAuc(treesLogOdds(trees, xTest), test.y) ?? 0;
    const linearAuc = rocAuc(logisticLogOdds(linear, xTest), test.y) ?? 0;
    const optimal = rocAuc(test.data.probabilities, test.y) ?? 1;
    expect(linearAuc).toBeLessThan(0.6);
    expect(treeAuc).toBeGreaterThan(optimal - 0.03);
  });

  it('stops early: fewer trees than the limit when the validation loss stops improving', () => {
    const { x, y } = xorDesign(3000, 3);
    const model = fitTrees(x, y, { maxIterations: 500 });
    expect(model.trees.length).toBeGreaterThan(0);
    expect(model.trees.length).toBeLessThan(500);
  });

  it('explains each row exactly: base plus contributions is the log-odds', () => {
    const { x, y } = xorDesign(1000, 4);
    const model = fitTrees(x, y);
    const z = treesLogOdds(model, x);
    for (let i = 0; i < 50; i++) {
      const { base, contributions } = treesContributions(
        model,
        x.values.subarray(i * x.cols, (i + 1) * x.cols),
      );
      expect(contributions.reduce((s, v) => s + v, base)).toBeCloseTo(z[i] ?? NaN, 9);
    }
    // The noise column should matter far less than the two that decide the outcome.
    const importance = treesImportance(model, x.cols);
    expect(Math.min(importance[0] ?? 0, importance[1] ?? 0)).toBeGreaterThan(importance[2] ?? 0);
  });

  it('learns nothing from constant columns but stays at the base rate', () => {
    const n = 600;
    const x: DesignMatrix = { rows: n, cols: 2, values: new Float64Array(n * 2).fill(4) };
    const y = Uint8Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const model = fitTrees(x, y);
    expect(model.trees.every((t) => t.feature.every((f) => f === -1))).toBe(true);
    const p = 1 / (1 + Math.exp(-(treesLogOdds(model, x)[0] ?? NaN)));
    expect(p).toBeCloseTo(0.25, 2);
  });

  it('stays finite on a single class', () => {
    const x: DesignMatrix = {
      rows: 50,
      cols: 1,
      values: Float64Array.from({ length: 50 }, (_, i) => i),
    };
    const model = fitTrees(x, new Uint8Array(50));
    expect(Array.from(treesLogOdds(model, x)).every(Number.isFinite)).toBe(true);
  });
});
