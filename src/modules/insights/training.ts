import { authorizeOrganizationWide } from '../../platform/authz/index.js';
import { createCtx, systemActor, type Ctx } from '../../platform/context/index.js';
import { DomainError } from '../../platform/errors/index.js';
import { PermanentJobError, type JobHandler } from '../../platform/jobs/index.js';
import { ensureBuiltIns } from './built-ins.js';
import {
  isReadyToTrain,
  MIN_OUTCOMES_PER_CLASS,
  serializeModel,
  trainModel,
  type FeatureSpec,
  type SourceRecord,
  type TrainedModel,
} from './ml/index.js';
import { featuresOf, recordSourceOf, recordsOf } from './record-source.js';
import { scoreWith, type ScoredRecord } from './scoring.js';
import {
  insightsDb,
  loadPrediction,
  modelOf,
  type PredictionRow,
  type TrainingSummary,
} from './store.js';

/** The durable job that trains one prediction and rescores its open records. */
export const TRAIN_JOB = 'insights.train';

/** Scores written per insert statement. */
const SCORE_BATCH = 500;

/** Queues a training run of the prediction (admins); answers the job's id. */
export async function requestTraining(ctx: Ctx, id: string): Promise<{ jobId: string }> {
  authorizeOrganizationWide(ctx, 'predictions:update');
  return ctx.tx(async (tx) => {
    await ensureBuiltIns(tx, ctx.organizationId);
    const prediction = await loadPrediction(ctx, tx, id);
    const jobId = await ctx.enqueue(tx, {
      name: TRAIN_JOB,
      payload: { predictionId: prediction.id },
    });
    await ctx.audit(tx, {
      action: 'prediction.training_requested',
      targetType: 'prediction',
      targetId: prediction.id,
      diff: { jobId },
    });
    return { jobId };
  });
}

/** The value of the target field as text, custom fields included. */
function targetValue(record: SourceRecord, field: string): string | null {
  const value = record[field];
  return typeof value === 'string' ? value : typeof value === 'boolean' ? String(value) : null;
}

/** Splits records into the labelled ones (the training data) and the open ones (to be scored). */
async function readRecords(ctx: Ctx, prediction: PredictionRow) {
  const source = recordSourceOf(ctx, prediction.object_type);
  const features = (await featuresOf(ctx, source, prediction.excluded_fields)).filter(
    (f) => f.name !== prediction.target_field,
  );
  const labelled: SourceRecord[] = [];
  const outcomes: boolean[] = [];
  const open: SourceRecord[] = [];
  for await (const record of recordsOf(ctx, source)) {
    const value = targetValue(record, prediction.target_field);
    if (value !== null && prediction.positive_values.includes(value)) {
      labelled.push(record);
      outcomes.push(true);
    } else if (value !== null && prediction.negative_values.includes(value)) {
      labelled.push(record);
      outcomes.push(false);
    } else open.push(record);
  }
  return { features, labelled, outcomes, open };
}

/** Trains when there are enough outcomes of each kind; otherwise says why not. */
function fit(
  data: { labelled: SourceRecord[]; outcomes: boolean[]; features: FeatureSpec[] },
  now: Date,
): { model: TrainedModel | null; note: string | null } {
  const { labelled, outcomes, features } = data;
  if (!isReadyToTrain(outcomes)) {
    const positives = outcomes.filter(Boolean).length;
    const note = `Needs ${MIN_OUTCOMES_PER_CLASS} outcomes of each kind to train; has ${positives} positive and ${outcomes.length - positives} negative.`;
    return { model: null, note };
  }
  const trained = trainModel(
    { rows: labelled, outcomes, features, timeField: 'createdAt' },
    { trainedAt: now.toISOString(), seed: 1 },
  );
  return trained.ok
    ? { model: trained.value, note: null }
    : { model: null, note: trained.error.message };
}

/** What one run leaves behind: the model (if it trained), its summary and the new scores. */
interface RunResult {
  model: TrainedModel | null;
  summary: TrainingSummary;
  scores: Array<{ recordId: string; scored: ScoredRecord }>;
}

/**
 * Stores a run in one transaction: the prediction's new state and model, an audit entry, and
 * the scores replacing the previous run's (so a rerun of the job never duplicates them).
 */
async function storeRun(ctx: Ctx, prediction: PredictionRow, run: RunResult, now: Date) {
  const { model, summary } = run;
  // Without a new model, a prediction that had one goes stale; one that never had one collects.
  const state = model ? 'trained' : prediction.model ? 'stale' : 'collecting';
  const version = model ? prediction.model_version + 1 : prediction.model_version;
  await ctx.tx(async (tx) => {
    const db = insightsDb(tx);
    await db
      .updateTable('predictions')
      .set({
        state,
        metrics: JSON.stringify(summary),
        updated_at: now,
        ...(model ? { model: serializeModel(model), model_version: version, trained_at: now } : {}),
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', prediction.id)
      .execute();
    await ctx.audit(tx, {
      action: 'prediction.trained',
      targetType: 'prediction',
      targetId: prediction.id,
      diff: {
        state: { from: prediction.state, to: state },
        method: summary.method,
        rowsUsed: summary.rowsUsed,
        modelVersion: version,
      },
    });
    await db
      .deleteFrom('prediction_scores')
      .where('organization_id', '=', ctx.organizationId)
      .where('prediction_id', '=', prediction.id)
      .execute();
    const rows = run.scores.map(({ recordId, scored }) => ({
      organization_id: ctx.organizationId,
      prediction_id: prediction.id,
      record_id: recordId,
      score: scored.score,
      band: scored.band,
      reasons: JSON.stringify(scored.reasons),
      scored_at: now,
    }));
    for (let i = 0; i < rows.length; i += SCORE_BATCH)
      await db
        .insertInto('prediction_scores')
        .values(rows.slice(i, i + SCORE_BATCH))
        .execute();
  });
}

/**
 * Trains the prediction on its organization's records with a known outcome when there are
 * enough of each kind (else it stays `collecting` and the prior scores), stores the model and
 * its quality, then replaces the scores of every open record.
 */
export async function trainPrediction(ctx: Ctx, id: string): Promise<TrainingSummary> {
  const prediction = await ctx.tx((tx) => loadPrediction(ctx, tx, id));
  const data = await readRecords(ctx, prediction);
  const now = ctx.deps.clock.now();
  const { model, note } = fit(data, now);
  const summary: TrainingSummary = {
    method: model ? model.kind : 'prior',
    rowsUsed: data.outcomes.length,
    positives: data.outcomes.filter(Boolean).length,
    scored: data.open.length,
    holdout: model ? model.quality.holdout : null,
    note,
  };
  // Without a new model, a stale one keeps scoring: it learnt from this organization's outcomes.
  const scoringModel = model ?? modelOf(prediction);
  const scores = data.open.flatMap((record) =>
    typeof record.id === 'string'
      ? [{ recordId: record.id, scored: scoreWith(scoringModel, data.features, record) }]
      : [],
  );
  await storeRun(ctx, prediction, { model, summary, scores }, now);
  return summary;
}

/**
 * Runs a training as the organization's system actor. Rerunning is harmless: the scores are
 * replaced as a whole, so an at-least-once delivery never leaves duplicates.
 */
export const trainJob: JobHandler = {
  name: TRAIN_JOB,
  handle: async (job, deps) => {
    const id = job.payload.predictionId;
    if (typeof id !== 'string') throw new PermanentJobError('the job names no prediction');
    try {
      await trainPrediction(createCtx(deps, systemActor(job.organizationId)), id);
    } catch (error) {
      // A prediction deleted since the job was queued will not come back: retrying is pointless.
      if (error instanceof DomainError && error.kind === 'not_found')
        throw new PermanentJobError(error.message);
      throw error;
    }
  },
};
