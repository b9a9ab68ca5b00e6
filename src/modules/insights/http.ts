import { z } from 'zod';
import { idParams, listOf, pageQuery, route } from '../../platform/http/index.js';
import { getModelCard, listPredictions, listScores, scoreUnsaved } from './predictions.js';
import { requestTraining } from './training.js';

const tags = ['predictions'];

const reasonSchema = z
  .object({ field: z.string(), label: z.string(), points: z.number() })
  .meta({ id: 'ScoreReason' });

const predictionSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    objectType: z.string(),
    target: z.object({
      field: z.string(),
      positiveValues: z.array(z.string()),
      negativeValues: z.array(z.string()),
    }),
    excludedFields: z.array(z.string()),
    builtIn: z.string().nullable(),
    state: z.enum(['collecting', 'trained', 'stale']),
    modelVersion: z.number().int(),
    trainedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Prediction' });

const calibrationBinSchema = z.object({
  from: z.number(),
  to: z.number(),
  count: z.number().int(),
  meanPredicted: z.number(),
  observedRate: z.number().nullable(),
});

const modelCardSchema = predictionSchema
  .extend({
    statement: z.string(),
    method: z.string().nullable(),
    rowsUsed: z.number().int().nullable(),
    positiveRate: z.number().nullable(),
    metrics: z
      .object({
        auc: z.number().nullable(),
        logLoss: z.number(),
        brier: z.number(),
        rows: z.number().int(),
        calibration: z.array(calibrationBinSchema),
      })
      .nullable(),
    importance: z.array(z.object({ field: z.string(), importance: z.number() })),
    prior: z
      .object({
        weights: z.record(z.string(), z.number()),
        sourceQuality: z.record(z.string(), z.number()),
        engagementScale: z.number(),
      })
      .nullable(),
  })
  .meta({ id: 'PredictionModelCard' });

const scoreSchema = z
  .object({
    recordId: z.uuid(),
    score: z.number().int(),
    band: z.enum(['hot', 'warm', 'cold']),
    reasons: z.array(reasonSchema),
    scoredAt: z.string(),
  })
  .meta({ id: 'PredictionScore' });

const whatIfSchema = z
  .object({
    score: z.number().int(),
    band: z.enum(['hot', 'warm', 'cold']),
    probability: z.number(),
    reasons: z.array(reasonSchema),
    basis: z.enum(['model', 'prior']),
  })
  .meta({ id: 'PredictionWhatIf' });

/** /api/v1/predictions: the predictions, their model cards, scores, what-if scoring and training. */
export const predictionRoutes = [
  route({
    method: 'GET',
    path: '/api/v1/predictions',
    permission: 'predictions:read',
    summary: "The organization's predictions, the built-in ones included",
    tags,
    query: pageQuery,
    response: { status: 200, schema: listOf(predictionSchema) },
    handler: ({ ctx, query }) => listPredictions(ctx, query),
  }),
  route({
    method: 'GET',
    path: '/api/v1/predictions/:id',
    permission: 'predictions:read',
    summary: 'The model card: state, method, held-out quality, calibration and what matters most',
    tags,
    params: idParams,
    response: { status: 200, schema: modelCardSchema },
    handler: ({ ctx, params }) => getModelCard(ctx, params.id),
  }),
  route({
    method: 'GET',
    path: '/api/v1/predictions/:id/scores',
    permission: 'predictions:read',
    summary: 'Scores of the records whose outcome is open, highest first, with their reasons',
    tags,
    params: idParams,
    query: pageQuery,
    response: { status: 200, schema: listOf(scoreSchema) },
    handler: ({ ctx, params, query }) => listScores(ctx, params.id, query),
  }),
  route({
    method: 'POST',
    path: '/api/v1/predictions/:id/score',
    permission: 'predictions:read',
    summary: "Score a record that is not saved (what-if); the body is the object's create body",
    tags,
    params: idParams,
    body: z.record(z.string(), z.unknown()),
    response: { status: 200, schema: whatIfSchema },
    handler: ({ ctx, params, body }) => scoreUnsaved(ctx, params.id, body),
  }),
  route({
    method: 'POST',
    path: '/api/v1/predictions/:id/train',
    permission: 'predictions:update',
    summary: 'Train the prediction now (a background job) and rescore its open records',
    tags,
    params: idParams,
    response: { status: 202, schema: z.object({ jobId: z.uuid() }).meta({ id: 'TrainingJob' }) },
    handler: ({ ctx, params }) => requestTraining(ctx, params.id),
  }),
];
