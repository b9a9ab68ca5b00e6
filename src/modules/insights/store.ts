import type { Selectable } from 'kysely';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { deserializeModel, type Metrics, type TrainedModel } from './ml/index.js';
import type { InsightsTables, PredictionTable } from './schema.js';

/** A stored prediction row. */
export type PredictionRow = Selectable<PredictionTable>;

/** This module's tables in a transaction. */
export const insightsDb = (tx: Tx) => tx.withTables<InsightsTables>();

/** What a training run stores beside the model, shown on the model card. */
export interface TrainingSummary {
  /** `model` when a model was trained; `prior` while too few outcomes are known. */
  method: 'logistic' | 'trees' | 'naive-bayes' | 'prior';
  rowsUsed: number;
  positives: number;
  /** Records with an open outcome, scored by this run. */
  scored: number;
  holdout: Metrics | null;
  /** Why the run did not train, when it did not. */
  note: string | null;
}

/** One prediction of the organization, or 404 (another organization's id answers the same). */
export async function loadPrediction(ctx: Ctx, tx: Tx, id: string): Promise<PredictionRow> {
  const row = await insightsDb(tx)
    .selectFrom('predictions')
    .selectAll()
    .where('organization_id', '=', ctx.organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw errors.notFound('Prediction');
  return row;
}

/** The stored model of a trained prediction; null while collecting or when it cannot be read. */
export function modelOf(row: PredictionRow): TrainedModel | null {
  if (row.model === null || row.model === undefined) return null;
  const read = deserializeModel(JSON.stringify(row.model));
  return read.ok ? read.value : null;
}

/** The summary of the last training run, if any. */
export function summaryOf(row: PredictionRow): TrainingSummary | null {
  return row.metrics && typeof row.metrics === 'object' ? (row.metrics as TrainingSummary) : null;
}
