import { calibrate, fitPlatt, type PlattCalibration } from './calibration.ts';
import { encodeRows, fitEncoder, type EncoderOptions } from './features.ts';
import { fitLearner, learnerLogOdds, type Learner, type LearnerOptions } from './learners.ts';
import { sigmoid } from './math.ts';
import { measure, type Metrics } from './metrics.ts';
import { stratifiedSplit, timeOrderedSplit, type Split } from './split.ts';
import type { FeatureSpec, ModelKind, SourceRecord } from './types.ts';

/** Naive Bayes is only a candidate below this many rows, where its strong assumptions pay off. */
export const NAIVE_BAYES_MAX_ROWS = 2000;

/** What the engine learns from. */
export interface TrainingData {
  rows: readonly SourceRecord[];
  /** Whether the outcome happened, one per row. */
  outcomes: readonly boolean[];
  features: readonly FeatureSpec[];
  /** A date field (e.g. `createdAt`) that orders rows in time, for a time-ordered holdout. */
  timeField?: string;
}

/** Settings of training; every one has a default. */
export interface TrainingOptions extends LearnerOptions, EncoderOptions {
  /** Share of rows held out to choose and calibrate the model. */
  holdoutFraction?: number;
  seed?: number;
  /** Families to try; by default logistic, trees and (for small data) naive Bayes. */
  candidates?: ModelKind[];
}

/** One candidate's held-out quality, before calibration. */
export interface CandidateResult {
  kind: ModelKind;
  metrics: Metrics;
}

/** The outcome of model selection on the holdout. */
export interface Selection {
  kind: ModelKind;
  /** The chosen model as fitted on the training part (trees: how many it kept). */
  fitted: Learner;
  calibration: PlattCalibration;
  split: 'time' | 'stratified';
  candidates: CandidateResult[];
  /** The chosen model's held-out quality after calibration (fitted on the same holdout). */
  holdout: Metrics;
}

function readTimes(rows: readonly SourceRecord[], field: string): Float64Array {
  return Float64Array.from(rows, (row) => {
    const v = row[field];
    const t = typeof v === 'string' || v instanceof Date ? new Date(v).getTime() : NaN;
    return Number.isFinite(t) ? t : -Infinity;
  });
}

function hasBothClasses(labels: Uint8Array, rows: Uint32Array): boolean {
  let positives = 0;
  for (const i of rows) positives += labels[i] ?? 0;
  return positives > 0 && positives < rows.length;
}

/**
 * A time-ordered holdout when most rows have a time, else (or when the latest rows hold only one
 * outcome) a seeded stratified random one.
 */
export function chooseSplit(
  data: TrainingData,
  labels: Uint8Array,
  fraction: number,
  seed: number,
): { split: Split; kind: 'time' | 'stratified' } {
  if (data.timeField !== undefined) {
    const times = readTimes(data.rows, data.timeField);
    const dated = times.filter(Number.isFinite).length;
    if (dated >= data.rows.length / 2) {
      const split = timeOrderedSplit(times, fraction);
      if (hasBothClasses(labels, split.train) && hasBothClasses(labels, split.holdout)) {
        return { split, kind: 'time' };
      }
    }
  }
  return { split: stratifiedSplit(labels, fraction, seed), kind: 'stratified' };
}

function pick<T>(items: readonly T[], indices: Uint32Array): T[] {
  return Array.from(indices).flatMap((i) => {
    const item = items[i];
    return item === undefined ? [] : [item];
  });
}

/** The candidate families for a data set of `rows` rows. */
export function candidateKinds(rows: number, options: TrainingOptions): ModelKind[] {
  const all: ModelKind[] = ['logistic', 'trees', 'naive-bayes'];
  return (options.candidates ?? all).filter(
    (kind) => kind !== 'naive-bayes' || rows < NAIVE_BAYES_MAX_ROWS,
  );
}

/**
 * Fits every candidate on the training part, keeps the one with the best held-out log loss, and
 * fits Platt scaling for it on the holdout. The caller refits the winner on all rows.
 */
export function selectModel(
  data: TrainingData,
  labels: Uint8Array,
  options: TrainingOptions = {},
): Selection {
  const { split, kind: splitKind } = chooseSplit(
    data,
    labels,
    options.holdoutFraction ?? 0.2,
    options.seed ?? 1,
  );
  const trainRows = pick(data.rows, split.train);
  // Levels and medians come from the training part only, as they would for unseen records.
  const encoder = fitEncoder(trainRows, data.features, options);
  const xTrain = encodeRows(encoder, trainRows);
  const xHoldout = encodeRows(encoder, pick(data.rows, split.holdout));
  const yTrain = Uint8Array.from(split.train, (i) => labels[i] ?? 0);
  const yHoldout = Uint8Array.from(split.holdout, (i) => labels[i] ?? 0);
  const fits = candidateKinds(data.rows.length, options).map((kind) => {
    const fitted = fitLearner(kind, xTrain, yTrain, options);
    const raw = learnerLogOdds(fitted, xHoldout);
    return { kind, fitted, raw, metrics: measure(raw.map(sigmoid), yHoldout) };
  });
  const best = fits.reduce((a, b) => (b.metrics.logLoss < a.metrics.logLoss ? b : a));
  const calibration = fitPlatt(best.raw, yHoldout);
  const calibrated = best.raw.map((z) => sigmoid(calibrate(calibration, z)));
  return {
    kind: best.kind,
    fitted: best.fitted,
    calibration,
    split: splitKind,
    candidates: fits.map(({ kind, metrics }) => ({ kind, metrics })),
    holdout: measure(calibrated, yHoldout),
  };
}
