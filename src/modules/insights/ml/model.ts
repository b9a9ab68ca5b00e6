import type { PlattCalibration } from './calibration.ts';
import {
  selectModel,
  type CandidateResult,
  type TrainingData,
  type TrainingOptions,
} from './evaluate.ts';
import { explainRecord, fieldImportance, topReasons, type FieldImportance } from './explain.ts';
import { encodeRecord, encodeRows, fitEncoder, type FeatureEncoder } from './features.ts';
import { fitLearner, type Learner } from './learners.ts';
import { sigmoid } from './math.ts';
import type { Metrics } from './metrics.ts';
import { trainedModelSchema } from './model-json.ts';
import type { ModelKind, Outcome, ScoreResult, SourceRecord } from './types.ts';

/** Default band limits on the 0–100 score. */
export const DEFAULT_BANDS = { hot: 70, warm: 40 };

/** A trained model: plain JSON, versioned, everything scoring and explaining needs. */
export interface TrainedModel {
  format: 'cerebro.insights.model';
  version: 1;
  trainedAt: string;
  kind: ModelKind;
  encoder: FeatureEncoder;
  learner: Learner;
  calibration: PlattCalibration;
  /** Scores at or above `hot` are hot, at or above `warm` warm, else cold. */
  bands: { hot: number; warm: number };
  /** How well the model did on rows it was not fitted on, shown beside every score. */
  quality: {
    split: 'time' | 'stratified';
    rows: number;
    positives: number;
    holdout: Metrics;
    candidates: CandidateResult[];
  };
  importance: FieldImportance[];
}

/** Options of `trainModel` beyond the learning ones. */
export interface TrainModelOptions extends TrainingOptions {
  /** When training happened (ISO); the caller's clock keeps this function pure. */
  trainedAt: string;
  bands?: { hot: number; warm: number };
}

function checkData(data: TrainingData): Outcome<Uint8Array> {
  if (data.rows.length === 0) {
    return {
      ok: false,
      error: { code: 'INSIGHTS_TRAINING_EMPTY', message: 'No rows to learn from.' },
    };
  }
  if (data.outcomes.length !== data.rows.length) {
    const message = `${data.rows.length} rows but ${data.outcomes.length} outcomes.`;
    return { ok: false, error: { code: 'INSIGHTS_TRAINING_LABELS_MISMATCH', message } };
  }
  if (!data.features.some((f) => f.excluded !== true)) {
    const message = 'Every feature is excluded.';
    return { ok: false, error: { code: 'INSIGHTS_TRAINING_NO_FEATURES', message } };
  }
  const labels = Uint8Array.from(data.outcomes, (o) => (o ? 1 : 0));
  const positives = labels.reduce((s, v) => s + v, 0);
  // Two of each are needed so both the fitting part and the holdout see each outcome.
  if (Math.min(positives, labels.length - positives) < 2) {
    const message = `Need at least 2 rows of each outcome; have ${positives} with and ${labels.length - positives} without.`;
    return { ok: false, error: { code: 'INSIGHTS_TRAINING_ONE_CLASS', message } };
  }
  return { ok: true, value: labels };
}

/**
 * Trains the prediction engine: candidates are compared on a holdout, the winner is calibrated
 * there, then refitted on all rows (trees with the number of trees the holdout run kept).
 */
export function trainModel(data: TrainingData, options: TrainModelOptions): Outcome<TrainedModel> {
  const checked = checkData(data);
  if (!checked.ok) return checked;
  const labels = checked.value;
  const selection = selectModel(data, labels, options);
  const encoder = fitEncoder(data.rows, data.features, options);
  const x = encodeRows(encoder, data.rows);
  const fitted = selection.fitted;
  const treeCount = fitted.kind === 'trees' ? Math.max(fitted.trees.length, 1) : 0;
  const learner = fitLearner(selection.kind, x, labels, {
    ...options,
    trees: { ...options.trees, maxIterations: treeCount, validationFraction: 0 },
  });
  const model: TrainedModel = {
    format: 'cerebro.insights.model',
    version: 1,
    trainedAt: options.trainedAt,
    kind: selection.kind,
    encoder,
    learner,
    calibration: selection.calibration,
    bands: options.bands ?? DEFAULT_BANDS,
    quality: {
      split: selection.split,
      rows: labels.length,
      positives: labels.reduce((s, v) => s + v, 0),
      holdout: selection.holdout,
      candidates: selection.candidates,
    },
    importance: fieldImportance(learner, encoder),
  };
  return { ok: true, value: model };
}

/** The band of a 0–100 score. */
export function bandOf(score: number, bands: { hot: number; warm: number }): ScoreResult['band'] {
  if (score >= bands.hot) return 'hot';
  return score >= bands.warm ? 'warm' : 'cold';
}

/** Scores one record: calibrated probability, 0–100 score, band and the top reasons each way. */
export function scoreRecord(model: TrainedModel, record: SourceRecord): ScoreResult {
  const row = encodeRecord(model.encoder, record);
  const explanation = explainRecord(model.learner, model.calibration, model.encoder, row, record);
  const probability = sigmoid(explanation.logOdds);
  const score = Math.round(probability * 100);
  const { up, down } = topReasons(explanation);
  return { probability, score, band: bandOf(score, model.bands), reasonsUp: up, reasonsDown: down };
}

/** The model as JSON text, to store. */
export function serializeModel(model: TrainedModel): string {
  return JSON.stringify(model);
}

/** Reads a stored model back, checking its shape and version. */
export function deserializeModel(text: string): Outcome<TrainedModel> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: { code: 'INSIGHTS_MODEL_INVALID', message: 'Not JSON.' } };
  }
  const parsed = trainedModelSchema.safeParse(json);
  if (!parsed.success) {
    const message = `Not a version 1 model: ${parsed.error.issues[0]?.path.join('.') ?? ''}`;
    return { ok: false, error: { code: 'INSIGHTS_MODEL_INVALID', message } };
  }
  return { ok: true, value: parsed.data };
}
