import { describe, expect, it } from 'vitest';
import { IDENTITY_CALIBRATION, calibrate, fitPlatt } from './calibration.ts';
import { chooseSplit, selectModel } from './evaluate.ts';
import { logit, sigmoid } from './math.ts';
import { brierScore, logLoss } from './metrics.ts';
import { createRandom } from './random.ts';
import { stratifiedSplit } from './split.ts';
import { leadData, logisticData, xorData } from './synthetic.ts';

const labelsOf = (outcomes: boolean[]) => Uint8Array.from(outcomes, Number);

describe('splits', () => {
  it('stratified: keeps each class in proportion on both sides, deterministically', () => {
    const labels = Uint8Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 1 : 0));
    const a = stratifiedSplit(labels, 0.2, 5);
    const b = stratifiedSplit(labels, 0.2, 5);
    expect(Array.from(a.holdout)).toEqual(Array.from(b.holdout));
    expect(a.train.length + a.holdout.length).toBe(1000);
    const positives = Array.from(a.holdout).filter((i) => labels[i] === 1).length;
    expect(positives).toBe(20);
  });

  it('holds out the latest rows when rows have dates', () => {
    const data = leadData(500, 1);
    const labels = labelsOf(data.outcomes);
    const { split, kind } = chooseSplit({ ...data, timeField: 'createdAt' }, labels, 0.2, 1);
    expect(kind).toBe('time');
    const time = (i: number) => Date.parse(String(data.rows[i]?.createdAt));
    const latestTrain = Math.max(...Array.from(split.train, time));
    const earliestHoldout = Math.min(...Array.from(split.holdout, time));
    expect(latestTrain).toBeLessThanOrEqual(earliestHoldout);
    expect(split.holdout.length).toBe(100);
  });

  it('falls back to a stratified split when the latest rows hold one outcome only', () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({
      at: new Date(Date.UTC(2026, 0, i + 1)).toISOString(),
    }));
    const labels = Uint8Array.from(rows, (_, i) => (i < 25 && i % 2 === 0 ? 1 : 0));
    const { kind, split } = chooseSplit(
      { rows, outcomes: [], features: [], timeField: 'at' },
      labels,
      0.2,
      1,
    );
    expect(kind).toBe('stratified');
    expect(Array.from(split.holdout).some((i) => labels[i] === 1)).toBe(true);
  });
});

describe('selectModel', () => {
  it('picks trees for an XOR-like outcome', () => {
    const data = xorData(3000, 21);
    const selection = selectModel(data, labelsOf(data.outcomes));
    expect(selection.kind).toBe('trees');
    const loss = (kind: string) =>
      selection.candidates.find((c) => c.kind === kind)?.metrics.logLoss ?? 0;
    expect(loss('trees')).toBeLessThan(loss('logistic'));
  });

  it('picks a linear model when the truth is linear and offers naive Bayes only on small data', () => {
    const small = logisticData(600, [1, -1, 0.5], 0, 22);
    const selection = selectModel(small, labelsOf(small.outcomes));
    expect(selection.candidates.map((c) => c.kind)).toContain('naive-bayes');
    expect(selection.kind).not.toBe('trees');
    const large = logisticData(2500, [1, -1, 0.5], 0, 23);
    const kinds = selectModel(large, labelsOf(large.outcomes), {
      candidates: ['logistic', 'naive-bayes'],
    });
    expect(kinds.candidates.map((c) => c.kind)).toEqual(['logistic']);
  });
});

describe('fitPlatt', () => {
  it('reduces the Brier score of an overconfident model on fresh rows', () => {
    const random = createRandom(9);
    const truth = Array.from({ length: 4000 }, () => random() * 0.9 + 0.05);
    const y = Uint8Array.from(truth, (p) => (random() < p ? 1 : 0));
    // Three times the true log-odds plus a shift: right order, wrong probabilities.
    const raw = Float64Array.from(truth, (p) => 3 * logit(p) + 0.7);
    const fit = (a: number, b: number) => ({ raw: raw.subarray(a, b), y: y.subarray(a, b) });
    const first = fit(0, 2000);
    const second = fit(2000, 4000);
    const calibration = fitPlatt(first.raw, first.y);
    const before = Array.from(second.raw, sigmoid);
    const after = Array.from(second.raw, (z) => sigmoid(calibrate(calibration, z)));
    expect(brierScore(after, second.y)).toBeLessThan(brierScore(before, second.y));
    expect(logLoss(after, second.y)).toBeLessThan(logLoss(before, second.y));
    expect(calibration.slope).toBeGreaterThan(0.25);
    expect(calibration.slope).toBeLessThan(0.45);
  });

  it('keeps the identity when the holdout has one class', () => {
    expect(fitPlatt(Float64Array.from([1, 2, 3]), new Uint8Array(3))).toEqual(IDENTITY_CALIBRATION);
    expect(fitPlatt(new Float64Array(0), new Uint8Array(0))).toEqual(IDENTITY_CALIBRATION);
  });
});
