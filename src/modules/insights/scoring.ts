import {
  priorScore,
  scoreRecord,
  type FeatureSpec,
  type Reason,
  type ScoreResult,
  type SourceRecord,
  type TrainedModel,
} from './ml/index.js';

/** A score as stored and answered: 0–100, its band and the reasons, strongest first each way. */
export interface ScoredRecord {
  score: number;
  band: ScoreResult['band'];
  probability: number;
  /** Up reasons first, then down ones; `points` carries the sign. */
  reasons: Reason[];
  /** Whether a trained model or the documented prior gave the score. */
  basis: 'model' | 'prior';
}

const isFilled = (value: unknown): boolean =>
  value !== null &&
  value !== undefined &&
  value !== '' &&
  !(Array.isArray(value) && value.length === 0);

/**
 * The prior's inputs read from a record: the share of the prediction's fields that are filled,
 * and its source. Engagement counts come from activities, which the prior does not read yet
 * (derived signals are a later slice), so engagement counts as none.
 */
function priorInputOf(record: SourceRecord, features: readonly FeatureSpec[]) {
  const used = features.filter((f) => f.excluded !== true);
  const filled = used.filter((f) => isFilled(record[f.name])).length;
  const source = record.source;
  return {
    completeness: used.length === 0 ? 0 : filled / used.length,
    engagementCount: 0,
    source: typeof source === 'string' && source !== '' ? source : null,
  };
}

/** Scores one record with the model when there is one, else with the prior. */
export function scoreWith(
  model: TrainedModel | null,
  features: readonly FeatureSpec[],
  record: SourceRecord,
): ScoredRecord {
  const result = model ? scoreRecord(model, record) : priorScore(priorInputOf(record, features));
  return {
    score: result.score,
    band: result.band,
    probability: result.probability,
    reasons: [...result.reasonsUp, ...result.reasonsDown],
    basis: model ? 'model' : 'prior',
  };
}
