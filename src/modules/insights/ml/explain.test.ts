import { describe, expect, it } from 'vitest';
import { explainRecord, fieldImportance, topReasons } from './explain.ts';
import { encodeRows, fitEncoder } from './features.ts';
import { fitLearner, learnerLogOdds } from './learners.ts';
import { sigmoid } from './math.ts';
import { leadData } from './synthetic.ts';
import type { ModelKind } from './types.ts';

const data = leadData(1500, 31);
const encoder = fitEncoder(data.rows, data.features);
const x = encodeRows(encoder, data.rows);
const y = Uint8Array.from(data.outcomes, Number);
const calibration = { slope: 0.8, offset: -0.2 };

describe.each<ModelKind>(['logistic', 'trees', 'naive-bayes'])('explainRecord (%s)', (kind) => {
  const model = fitLearner(kind, x, y);
  const z = learnerLogOdds(model, x);

  it('adds up: base plus field shares is the calibrated log-odds, points are score minus base', () => {
    for (let i = 0; i < 40; i++) {
      const row = x.values.subarray(i * x.cols, (i + 1) * x.cols);
      const e = explainRecord(model, calibration, encoder, row, data.rows[i] ?? {});
      const expected = calibration.slope * (z[i] ?? NaN) + calibration.offset;
      expect(e.fields.reduce((s, f) => s + f.logOdds, e.baseLogOdds)).toBeCloseTo(expected, 8);
      expect(e.logOdds).toBeCloseTo(expected, 8);
      const points = e.fields.reduce((s, f) => s + f.points, 0);
      expect(points).toBeCloseTo(100 * (sigmoid(expected) - sigmoid(e.baseLogOdds)), 6);
      expect(new Set(e.fields.map((f) => f.field)).size).toBe(e.fields.length);
    }
  });

  it('names source fields and their values in the reasons', () => {
    const e = explainRecord(
      model,
      calibration,
      encoder,
      x.values.subarray(0, x.cols),
      data.rows[0] ?? {},
    );
    const { up, down } = topReasons(e, 3);
    expect(up.length + down.length).toBeGreaterThan(0);
    expect(up.every((r) => r.points > 0)).toBe(true);
    expect(down.every((r) => r.points < 0)).toBe(true);
    const source = e.fields.find((f) => f.field === 'source');
    expect(source?.label).toBe(`source = ${String(data.rows[0]?.source)}`);
  });
});

describe('fieldImportance', () => {
  it('ranks the generating fields above pure noise, shares summing to 1', () => {
    const model = fitLearner('logistic', x, y);
    const importance = fieldImportance(model, encoder);
    expect(importance.reduce((s, f) => s + f.importance, 0)).toBeCloseTo(1, 10);
    const rank = (field: string) => importance.findIndex((f) => f.field === field);
    expect(rank('source')).toBeLessThan(rank('noise0'));
    expect(rank('emailsOpened')).toBeLessThan(rank('noise0'));
  });
});
