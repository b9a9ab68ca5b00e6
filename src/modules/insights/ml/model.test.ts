import { describe, expect, it } from 'vitest';
import { deserializeModel, scoreRecord, serializeModel, trainModel } from './model.ts';
import { rocAuc } from './metrics.ts';
import { leadData, logisticData } from './synthetic.ts';

const trainedAt = '2026-06-01T00:00:00.000Z';

describe('trainModel errors', () => {
  const features = [{ name: 'x0', kind: 'numeric' as const }];

  it('answers an error value for no rows, one class, mismatched outcomes or no features', () => {
    const cases = [
      [{ rows: [], outcomes: [], features }, 'INSIGHTS_TRAINING_EMPTY'],
      [
        { rows: [{ x0: 1 }, { x0: 2 }, { x0: 3 }], outcomes: [true, true, true], features },
        'INSIGHTS_TRAINING_ONE_CLASS',
      ],
      [
        { rows: [{ x0: 1 }, { x0: 2 }, { x0: 3 }], outcomes: [true, false, false], features },
        'INSIGHTS_TRAINING_ONE_CLASS',
      ],
      [
        { rows: [{ x0: 1 }], outcomes: [true, false], features },
        'INSIGHTS_TRAINING_LABELS_MISMATCH',
      ],
      [
        {
          rows: [{ x0: 1 }],
          outcomes: [true],
          features: [{ ...features[0], name: 'x0', kind: 'numeric' as const, excluded: true }],
        },
        'INSIGHTS_TRAINING_NO_FEATURES',
      ],
    ] as const;
    for (const [data, code] of cases) {
      const result = trainModel(data, { trainedAt });
      expect(result.ok ? 'ok' : result.error.code).toBe(code);
    }
  });

  it('trains on the smallest data it accepts without NaN', () => {
    const rows = [{ x0: 1 }, { x0: 2 }, { x0: null }, { x0: 4 }];
    const result = trainModel(
      { rows, outcomes: [false, true, false, true], features },
      { trainedAt },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { probability } = scoreRecord(result.value, { x0: 3 });
    expect(Number.isFinite(probability)).toBe(true);
  });
});

describe('trainModel on a lead-like table', () => {
  const train = leadData(3000, 41);
  const test = leadData(2000, 42);
  const result = trainModel({ ...train, timeField: 'createdAt' }, { trainedAt });
  if (!result.ok) throw new Error(result.error.message);
  const model = result.value;

  it('reports held-out quality and scores fresh records close to the best possible ranking', () => {
    expect(model.quality.split).toBe('time');
    expect(model.quality.rows).toBe(3000);
    expect(model.quality.holdout.auc).not.toBeNull();
    const scores = test.rows.map((r) => scoreRecord(model, r).probability);
    const labels = test.outcomes.map(Number);
    const optimal = rocAuc(test.probabilities, labels) ?? 1;
    expect(rocAuc(scores, labels) ?? 0).toBeGreaterThan(optimal - 0.04);
  });

  it('scores with a band matching the score and reasons naming fields', () => {
    for (const record of test.rows.slice(0, 30)) {
      const s = scoreRecord(model, record);
      expect(s.score).toBe(Math.round(s.probability * 100));
      const expectedBand =
        s.score >= model.bands.hot ? 'hot' : s.score >= model.bands.warm ? 'warm' : 'cold';
      expect(s.band).toBe(expectedBand);
      const fields = new Set(model.encoder.fields.map((f) => f.name));
      expect([...s.reasonsUp, ...s.reasonsDown].every((r) => fields.has(r.field))).toBe(true);
    }
  });

  it('round-trips through JSON to identical scores', () => {
    const back = deserializeModel(serializeModel(model));
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    for (const record of test.rows.slice(0, 100)) {
      expect(scoreRecord(back.value, record)).toEqual(scoreRecord(model, record));
    }
  });

  it('refuses text that is not a version 1 model', () => {
    const wrongVersion = JSON.stringify({ ...JSON.parse(serializeModel(model)), version: 2 });
    for (const text of ['not json', '{}', wrongVersion]) {
      const back = deserializeModel(text);
      expect(back.ok ? 'ok' : back.error.code).toBe('INSIGHTS_MODEL_INVALID');
    }
  });
});

describe('trainModel on a known logistic truth', () => {
  it('keeps the calibrated probabilities close to the true ones', () => {
    const data = logisticData(8000, [1, -0.5], -0.5, 43);
    const result = trainModel(data, { trainedAt });
    if (!result.ok) throw new Error(result.error.message);
    const fresh = logisticData(500, [1, -0.5], -0.5, 44);
    const errors = fresh.rows.map((r, i) =>
      Math.abs(scoreRecord(result.value, r).probability - (fresh.probabilities[i] ?? 0)),
    );
    expect(errors.reduce((s, e) => s + e, 0) / errors.length).toBeLessThan(0.04);
  });
});
