/** The kinds of source field the feature builder understands. */
export type FeatureKind = 'numeric' | 'categorical' | 'boolean' | 'date' | 'tags';

/** One source field to learn from. */
export interface FeatureSpec {
  /** The record's property name, e.g. `source` or `employeeCount`. */
  name: string;
  /** How the value is read and turned into columns. */
  kind: FeatureKind;
  /** Left out of the model (kept in the spec so an admin's choice is remembered). */
  excluded?: boolean;
}

/** A plain record as read from the database: numbers, strings, booleans, ISO dates, tag arrays, nulls. */
export type SourceRecord = Readonly<Record<string, unknown>>;

/** A dense row-major matrix of `rows` × `cols` numbers. */
export interface DesignMatrix {
  rows: number;
  cols: number;
  /** `values[row * cols + col]`. */
  values: Float64Array;
}

/** The model families the engine can train. */
export type ModelKind = 'logistic' | 'trees' | 'naive-bayes';

/** A reason is a source field's share of a score, in points on the 0–100 scale. */
export interface Reason {
  /** Source field name, e.g. `source`. */
  field: string;
  /** Human-readable factor, e.g. `source = Referral`. */
  label: string;
  /** Signed points this field adds to (or takes from) the score. */
  points: number;
}

/** What scoring one record answers. */
export interface ScoreResult {
  /** Calibrated probability of the outcome, 0–1. */
  probability: number;
  /** The probability on a 0–100 scale, rounded. */
  score: number;
  band: 'hot' | 'warm' | 'cold';
  /** Factors that raise the score, strongest first. */
  reasonsUp: Reason[];
  /** Factors that lower the score, strongest first. */
  reasonsDown: Reason[];
}

/** A failure as a value with a stable code, never a NaN model. */
export interface MlError {
  code:
    | 'INSIGHTS_TRAINING_EMPTY'
    | 'INSIGHTS_TRAINING_ONE_CLASS'
    | 'INSIGHTS_TRAINING_LABELS_MISMATCH'
    | 'INSIGHTS_TRAINING_NO_FEATURES'
    | 'INSIGHTS_MODEL_INVALID';
  message: string;
}

/** Either a value or an error value. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: MlError };
