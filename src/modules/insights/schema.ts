import type { ColumnType } from 'kysely';
import type { GeneratedTimestamp, Timestamp } from '../../platform/db/index.js';

/** A column with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;
/** A jsonb column: written as JSON text, read back parsed. */
type JsonColumn<T> = ColumnType<T, string, string>;

/** Where a prediction stands: too few outcomes yet, a model in use, or a model gone out of date. */
export type PredictionState = 'collecting' | 'trained' | 'stale';

export interface PredictionTable {
  organization_id: string;
  id: string;
  name: string;
  object_type: string;
  target_field: string;
  positive_values: string[];
  negative_values: string[];
  excluded_fields: Defaulted<string[]>;
  /** `lead_conversion`, `deal_win`: one of each per organization; null for an admin's own. */
  built_in: string | null;
  state: Defaulted<PredictionState>;
  model: ColumnType<unknown, string | null | undefined, string | null>;
  model_version: Defaulted<number>;
  metrics: ColumnType<unknown, string | null | undefined, string | null>;
  trained_at: Timestamp | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface PredictionScoreTable {
  organization_id: string;
  prediction_id: string;
  record_id: string;
  score: number;
  band: 'hot' | 'warm' | 'cold';
  reasons: JsonColumn<unknown>;
  scored_at: Defaulted<Date>;
}

/** This module's tables. */
export type InsightsTables = {
  predictions: PredictionTable;
  prediction_scores: PredictionScoreTable;
};
