import { z } from 'zod';
import { authorizeOrganizationWide } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import { errors } from '../../platform/errors/index.js';
import {
  decodeCursor,
  encodeCursor,
  pageOfAll,
  type PageRequest,
} from '../../platform/http/index.js';
import { ensureBuiltIns } from './built-ins.js';
import {
  PRIOR_ENGAGEMENT_SCALE,
  PRIOR_SOURCE_QUALITY,
  PRIOR_WEIGHTS,
  type CalibrationBin,
  type FieldImportance,
  type Reason,
} from './ml/index.js';
import { featuresOf, flattenRecord, recordSourceOf } from './record-source.js';
import type { PredictionState } from './schema.js';
import { scoreWith, type ScoredRecord } from './scoring.js';
import { insightsDb, loadPrediction, modelOf, summaryOf, type PredictionRow } from './store.js';

/** A prediction as the list shows it. */
export interface PredictionView {
  id: string;
  name: string;
  objectType: string;
  target: { field: string; positiveValues: string[]; negativeValues: string[] };
  excludedFields: string[];
  builtIn: string | null;
  state: PredictionState;
  modelVersion: number;
  trainedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The model card: the prediction with its honest account of how good its scores are. */
export interface ModelCard extends PredictionView {
  /** One sentence on where the scores come from now. */
  statement: string;
  method: string | null;
  rowsUsed: number | null;
  positiveRate: number | null;
  metrics: {
    auc: number | null;
    logLoss: number;
    brier: number;
    rows: number;
    calibration: CalibrationBin[];
  } | null;
  importance: FieldImportance[];
  /** While collecting: the documented rule of thumb that scores instead. */
  prior: {
    weights: Record<string, number>;
    sourceQuality: Record<string, number>;
    engagementScale: number;
  } | null;
}

function present(row: PredictionRow): PredictionView {
  return {
    id: row.id,
    name: row.name,
    objectType: row.object_type,
    target: {
      field: row.target_field,
      positiveValues: row.positive_values,
      negativeValues: row.negative_values,
    },
    excludedFields: row.excluded_fields,
    builtIn: row.built_in,
    state: row.state,
    modelVersion: row.model_version,
    trainedAt: row.trained_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * The organization's predictions (the built-in ones created on first use), oldest first. They are
 * a handful per organization, so the list is read whole and paged in memory.
 */
export async function listPredictions(ctx: Ctx, page: PageRequest) {
  authorizeOrganizationWide(ctx, 'predictions:read');
  const rows = await ctx.tx(async (tx) => {
    await ensureBuiltIns(tx, ctx.organizationId);
    // Ids are UUIDv7, so their order is creation order.
    return insightsDb(tx)
      .selectFrom('predictions')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .orderBy('id')
      .execute();
  });
  return pageOfAll(rows.map(present), page);
}

/** The model card of one prediction, or 404. */
export async function getModelCard(ctx: Ctx, id: string): Promise<ModelCard> {
  authorizeOrganizationWide(ctx, 'predictions:read');
  const row = await ctx.tx(async (tx) => {
    await ensureBuiltIns(tx, ctx.organizationId);
    return loadPrediction(ctx, tx, id);
  });
  const model = modelOf(row);
  const summary = summaryOf(row);
  const holdout = model?.quality.holdout ?? null;
  const statement =
    row.state === 'collecting' || !model
      ? `Too few outcomes to learn from yet, so scores come from a documented prior (profile completeness, engagement and source), not from this organization's data.${summary?.note ? ` ${summary.note}` : ''}`
      : row.state === 'stale'
        ? 'The model is out of date: scores still come from it, but it no longer reflects the latest outcomes.'
        : `Scores come from a ${model.kind} model trained on ${model.quality.rows} records with a known outcome, measured on records it did not learn from.`;
  return {
    ...present(row),
    statement,
    method: model ? model.kind : summary ? summary.method : null,
    rowsUsed: model?.quality.rows ?? summary?.rowsUsed ?? null,
    positiveRate: model
      ? model.quality.positives / Math.max(1, model.quality.rows)
      : summary && summary.rowsUsed > 0
        ? summary.positives / summary.rowsUsed
        : null,
    metrics: holdout,
    importance: model?.importance ?? [],
    prior: model
      ? null
      : {
          weights: { ...PRIOR_WEIGHTS },
          sourceQuality: { ...PRIOR_SOURCE_QUALITY },
          engagementScale: PRIOR_ENGAGEMENT_SCALE,
        },
  };
}

/** One stored score of a record. */
export interface ScoreView {
  recordId: string;
  score: number;
  band: 'hot' | 'warm' | 'cold';
  reasons: Reason[];
  scoredAt: string;
}

const SCORE_CURSOR = z.object({ score: z.number().int(), recordId: z.uuid() });

/**
 * The prediction's scores of open records, highest first, or 404 for an unknown prediction. The
 * list spans the whole organization, so it also needs the object's read right on all records: a
 * rep who sees only their team's leads must not learn of the others through their scores.
 */
export async function listScores(ctx: Ctx, id: string, page: PageRequest) {
  authorizeOrganizationWide(ctx, 'predictions:read');
  const after = decodeCursor(page.cursor, SCORE_CURSOR);
  if (page.cursor && !after) throw errors.validation([{ path: 'cursor', message: 'is malformed' }]);
  return ctx.tx(async (tx) => {
    await ensureBuiltIns(tx, ctx.organizationId);
    const prediction = await loadPrediction(ctx, tx, id);
    authorizeOrganizationWide(
      ctx,
      `${recordSourceOf(ctx, prediction.object_type).def.resource}:read`,
    );
    const base = insightsDb(tx)
      .selectFrom('prediction_scores')
      .where('organization_id', '=', ctx.organizationId)
      .where('prediction_id', '=', prediction.id);
    const total = page.count
      ? Number(
          (await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n,
        )
      : undefined;
    const rows = await (
      after
        ? base.where((eb) =>
            eb.or([
              eb('score', '<', after.score),
              eb.and([eb('score', '=', after.score), eb('record_id', '>', after.recordId)]),
            ]),
          )
        : base
    )
      .selectAll()
      .orderBy('score', 'desc')
      .orderBy('record_id')
      .limit(page.limit + 1)
      .execute();
    const data = rows.slice(0, page.limit);
    const last = data[data.length - 1];
    return {
      data: data.map((r): ScoreView => ({
        recordId: r.record_id,
        score: r.score,
        band: r.band,
        reasons: Array.isArray(r.reasons) ? (r.reasons as Reason[]) : [],
        scoredAt: r.scored_at.toISOString(),
      })),
      meta: {
        nextCursor:
          rows.length > page.limit && last
            ? encodeCursor({ score: last.score, recordId: last.record_id })
            : null,
        ...(total !== undefined ? { total } : {}),
      },
    };
  });
}

/**
 * Scores a record that is not saved (what-if): the body is checked like the object's create
 * body, so a bad value answers 400 naming its field, then scored like a stored record.
 */
export async function scoreUnsaved(
  ctx: Ctx,
  id: string,
  body: Record<string, unknown>,
): Promise<ScoredRecord> {
  authorizeOrganizationWide(ctx, 'predictions:read');
  const row = await ctx.tx(async (tx) => {
    await ensureBuiltIns(tx, ctx.organizationId);
    return loadPrediction(ctx, tx, id);
  });
  const source = recordSourceOf(ctx, row.object_type);
  const parsed = source.def.createBody.safeParse(body);
  if (!parsed.success)
    throw errors.validation(
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    );
  const features = (await featuresOf(ctx, source, row.excluded_fields)).filter(
    (f) => f.name !== row.target_field,
  );
  const record = flattenRecord(parsed.data as Record<string, unknown>);
  return scoreWith(modelOf(row), features, record);
}
