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
  type SourceRecord,
  type TrainedModel,
} from './ml/index.js';
import { featuresOf, recordSourceOf, recordsOf } from './record-source.js';
import { scoreWith } from './scoring.js';
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

/**
 * Trains the prediction on its organization's records with a known outcome when there are
 * enough of each kind (else it stays `collecting` and the prior scores), stores the model and
 * its quality, then replaces the scores of every open record.
 */
export async function trainPrediction(ctx: Ctx, id: string): Promise<TrainingSummary> {
  const prediction = await ctx.tx((tx) => loadPrediction(ctx, tx, id));
  const { features, labelled, outcomes, open } = await readRecords(ctx, prediction);
  const now = ctx.deps.clock.now();
  let model: TrainedModel | null = null;
  let note: string | null = null;
  if (isReadyToTrain(outcomes)) {
    const trained = trainModel(
      { rows: labelled, outcomes, features, timeField: 'createdAt' },
      { trainedAt: now.toISOString(), seed: 1 },
    );
    if (trained.ok) model = trained.value;
    else note = trained.error.message;
  } else {
    const positives = outcomes.filter(Boolean).length;
    note = `Needs ${MIN_OUTCOMES_PER_CLASS} outcomes of each kind to train; has ${positives} positive and ${outcomes.length - positives} negative.`;
  }
  const summary: TrainingSummary = {
    method: model ? model.kind : 'prior',
    rowsUsed: outcomes.length,
    positives: outcomes.filter(Boolean).length,
    scored: open.length,
    holdout: model ? model.quality.holdout : null,
    note,
  };
  // Without a new model, a stale one keeps scoring: it learnt from this organization's outcomes.
  const scoringModel = model ?? modelOf(prediction);
  const scores = open.flatMap((record) => {
    const recordId = record.id;
    if (typeof recordId !== 'string') return [];
    const s = scoreWith(scoringModel, features, record);
    return [
      {
        organization_id: ctx.organizationId,
        prediction_id: prediction.id,
        record_id: recordId,
        score: s.score,
        band: s.band,
        reasons: JSON.stringify(s.reasons),
        scored_at: now,
      },
    ];
  });
  await ctx.tx(async (tx) => {
    const db = insightsDb(tx);
    await db
      .updateTable('predictions')
      .set({
        metrics: JSON.stringify(summary),
        updated_at: now,
        ...(model
          ? {
              state: 'trained' as const,
              model: serializeModel(model),
              model_version: prediction.model_version + 1,
              trained_at: now,
            }
          : { state: prediction.model ? ('stale' as const) : ('collecting' as const) }),
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', prediction.id)
      .execute();
    await db
      .deleteFrom('prediction_scores')
      .where('organization_id', '=', ctx.organizationId)
      .where('prediction_id', '=', prediction.id)
      .execute();
    for (let i = 0; i < scores.length; i += SCORE_BATCH)
      await db
        .insertInto('prediction_scores')
        .values(scores.slice(i, i + SCORE_BATCH))
        .execute();
  });
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
