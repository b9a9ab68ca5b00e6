import { z } from 'zod';

// The stored form of a trained model, checked field by field when it is read back, so a model
// saved by an older version or edited by hand fails with a clear error instead of scoring NaN.

const numbers = z.array(z.number());

const columnSchema = z.object({
  field: z.string(),
  kind: z.enum(['numeric', 'categorical', 'boolean', 'date', 'tags']),
  role: z.enum(['value', 'missing', 'level', 'other', 'tag']),
  value: z.string().optional(),
  label: z.string(),
});

const encodedFieldSchema = z.union([
  z.object({
    name: z.string(),
    kind: z.enum(['numeric', 'date', 'boolean']),
    median: z.number(),
    hasMissing: z.boolean(),
  }),
  z.object({ name: z.string(), kind: z.literal('categorical'), levels: z.array(z.string()) }),
  z.object({ name: z.string(), kind: z.literal('tags'), tags: z.array(z.string()) }),
]);

const learnerSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('logistic'),
    means: numbers,
    scales: numbers,
    weights: numbers,
    intercept: z.number(),
  }),
  z.object({
    kind: z.literal('trees'),
    init: z.number(),
    trees: z.array(
      z.object({
        feature: numbers,
        threshold: numbers,
        left: numbers,
        right: numbers,
        value: numbers,
        gain: numbers,
      }),
    ),
  }),
  z.object({
    kind: z.literal('naive-bayes'),
    priorLogOdds: z.number(),
    meanContribution: numbers,
    columns: z.array(
      z.union([
        z.object({ type: z.literal('bernoulli'), p1: z.number(), p0: z.number() }),
        z.object({
          type: z.literal('gaussian'),
          mean1: z.number(),
          var1: z.number(),
          mean0: z.number(),
          var0: z.number(),
        }),
      ]),
    ),
  }),
]);

const metricsSchema = z.object({
  auc: z.number().nullable(),
  logLoss: z.number(),
  brier: z.number(),
  rows: z.number(),
  calibration: z.array(
    z.object({
      from: z.number(),
      to: z.number(),
      count: z.number(),
      meanPredicted: z.number(),
      observedRate: z.number().nullable(),
    }),
  ),
});

/** The JSON schema of a stored model, version 1. */
export const trainedModelSchema = z.object({
  format: z.literal('cerebro.insights.model'),
  version: z.literal(1),
  trainedAt: z.string(),
  kind: z.enum(['logistic', 'trees', 'naive-bayes']),
  encoder: z.object({
    referenceTime: z.string(),
    fields: z.array(encodedFieldSchema),
    columns: z.array(columnSchema),
  }),
  learner: learnerSchema,
  calibration: z.object({ slope: z.number(), offset: z.number() }),
  bands: z.object({ hot: z.number(), warm: z.number() }),
  quality: z.object({
    split: z.enum(['time', 'stratified']),
    rows: z.number(),
    positives: z.number(),
    holdout: metricsSchema,
    candidates: z.array(
      z.object({ kind: z.enum(['logistic', 'trees', 'naive-bayes']), metrics: metricsSchema }),
    ),
  }),
  importance: z.array(z.object({ field: z.string(), importance: z.number() })),
});
