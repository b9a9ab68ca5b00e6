import { describe, expect, it } from 'vitest';
import { brierScore, calibrationTable, logLoss, rocAuc } from './metrics.ts';
import { createRandom } from './random.ts';

/** AUC by its definition: over all positive–negative pairs, wins count 1 and ties ½. */
function pairwiseAuc(scores: number[], labels: number[]): number {
  let wins = 0;
  let pairs = 0;
  labels.forEach((li, i) => {
    if (li !== 1) return;
    labels.forEach((lj, j) => {
      if (lj !== 0) return;
      pairs++;
      const a = scores[i] ?? 0;
      const b = scores[j] ?? 0;
      wins += a > b ? 1 : a === b ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

describe('rocAuc', () => {
  it('matches the pairwise definition, ties included', () => {
    const random = createRandom(3);
    // Scores rounded to one decimal so many of them tie.
    const scores = Array.from({ length: 300 }, () => Math.round(random() * 10) / 10);
    const labels = scores.map((s) => (random() < s ? 1 : 0));
    expect(rocAuc(scores, labels)).toBeCloseTo(pairwiseAuc(scores, labels), 12);
  });

  it('answers null with one class and ½ when every score ties', () => {
    expect(rocAuc([0.2, 0.4], [1, 1])).toBeNull();
    expect(rocAuc([], [])).toBeNull();
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0])).toBe(0.5);
  });
});

describe('logLoss and brierScore', () => {
  it('compute the mean loss of each row', () => {
    const p = [0.9, 0.2, 0.6];
    const y = [1, 0, 0];
    const expected = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.4)) / 3;
    expect(logLoss(p, y)).toBeCloseTo(expected, 12);
    expect(brierScore(p, y)).toBeCloseTo((0.01 + 0.04 + 0.36) / 3, 12);
  });

  it('stay finite for a certain miss', () => {
    expect(Number.isFinite(logLoss([0], [1]))).toBe(true);
    expect(logLoss([0], [1])).toBeGreaterThan(30);
  });
});

describe('calibrationTable', () => {
  it('puts every row in one of ten bins with its observed rate', () => {
    const p = [0.05, 0.05, 0.55, 0.99, 1];
    const y = [0, 1, 1, 1, 0];
    const table = calibrationTable(p, y);
    expect(table).toHaveLength(10);
    expect(table.reduce((s, b) => s + b.count, 0)).toBe(p.length);
    expect(table[0]?.observedRate).toBe(0.5);
    expect(table[9]?.count).toBe(2);
    expect(table[3]?.observedRate).toBeNull();
  });
});
