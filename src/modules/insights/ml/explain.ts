import { calibrate, type PlattCalibration } from './calibration.ts';
import type { FeatureEncoder } from './features.ts';
import { learnerContributions, learnerImportance, type Learner } from './learners.ts';
import { sigmoid } from './math.ts';
import type { Reason, SourceRecord } from './types.ts';

/** A score taken apart: the base plus each field's share is the (calibrated) log-odds. */
export interface Explanation {
  baseLogOdds: number;
  logOdds: number;
  /** One entry per source field, in log-odds and in points on the 0–100 scale. */
  fields: { field: string; label: string; logOdds: number; points: number }[];
}

/** A field's global weight in the model, shares summing to 1. */
export interface FieldImportance {
  field: string;
  importance: number;
}

function describe(field: string, record: SourceRecord, encoder: FeatureEncoder): string {
  const spec = encoder.fields.find((f) => f.name === field);
  const raw = record[field];
  if (spec === undefined) return field;
  if (spec.kind === 'categorical') {
    const level = typeof raw === 'string' && raw !== '' ? raw : null;
    if (level === null) return `${field} is empty`;
    return spec.levels.includes(level) ? `${field} = ${level}` : `${field} = other`;
  }
  if (spec.kind === 'tags') {
    const tags = Array.isArray(raw) ? raw.filter((t) => typeof t === 'string') : [];
    return tags.length === 0 ? `${field} has none` : `${field} has ${tags.join(', ')}`;
  }
  if (raw === null || raw === undefined || raw === '') return `${field} is missing`;
  if (spec.kind === 'date') {
    const at =
      raw instanceof Date ? raw.getTime() : typeof raw === 'string' ? Date.parse(raw) : NaN;
    const days = Math.round((Date.parse(encoder.referenceTime) - at) / 86_400_000);
    return Number.isFinite(days) ? `${field} ${days} days before training` : `${field} is missing`;
  }
  if (typeof raw === 'number') return `${field} = ${Number(raw.toPrecision(3))}`;
  return `${field} = ${typeof raw === 'boolean' ? String(raw) : JSON.stringify(raw)}`;
}

/**
 * Explains one record. Column contributions are summed per source field and scaled by the
 * calibration slope; points spread the probability change from the base by the sigmoid's secant
 * slope, so they add up exactly to (score − base score) and stay finite when shares cancel.
 */
export function explainRecord(
  model: Learner,
  calibration: PlattCalibration,
  encoder: FeatureEncoder,
  row: Float64Array,
  record: SourceRecord,
): Explanation {
  const { base, contributions } = learnerContributions(model, row);
  const byField = new Map<string, number>();
  encoder.columns.forEach((col, j) => {
    const share = calibration.slope * (contributions[j] ?? 0);
    byField.set(col.field, (byField.get(col.field) ?? 0) + share);
  });
  const baseLogOdds = calibrate(calibration, base);
  let logOdds = baseLogOdds;
  for (const v of byField.values()) logOdds += v;
  const pBase = sigmoid(baseLogOdds);
  const p = sigmoid(logOdds);
  const secant =
    Math.abs(logOdds - baseLogOdds) > 1e-9 ? (p - pBase) / (logOdds - baseLogOdds) : p * (1 - p);
  const fields = [...byField.entries()].map(([field, share]) => ({
    field,
    label: describe(field, record, encoder),
    logOdds: share,
    points: 100 * secant * share,
  }));
  return { baseLogOdds, logOdds, fields };
}

/** The strongest reasons up and down, `limit` of each, ignoring ones under half a point. */
export function topReasons(explanation: Explanation, limit = 3): { up: Reason[]; down: Reason[] } {
  const reasons = explanation.fields
    .filter((f) => Math.abs(f.points) >= 0.5)
    .map(({ field, label, points }) => ({ field, label, points: Math.round(points * 10) / 10 }));
  return {
    up: reasons
      .filter((r) => r.points > 0)
      .sort((a, b) => b.points - a.points)
      .slice(0, limit),
    down: reasons
      .filter((r) => r.points < 0)
      .sort((a, b) => a.points - b.points)
      .slice(0, limit),
  };
}

/** Global importance of each source field, shares of 1, largest first. */
export function fieldImportance(model: Learner, encoder: FeatureEncoder): FieldImportance[] {
  const perColumn = learnerImportance(model, encoder.columns.length);
  const byField = new Map<string, number>(encoder.fields.map((f) => [f.name, 0]));
  encoder.columns.forEach((col, j) => {
    byField.set(col.field, (byField.get(col.field) ?? 0) + (perColumn[j] ?? 0));
  });
  const total = [...byField.values()].reduce((s, v) => s + v, 0);
  return [...byField.entries()]
    .map(([field, v]) => ({ field, importance: total > 0 ? v / total : 0 }))
    .sort((a, b) => b.importance - a.importance);
}
