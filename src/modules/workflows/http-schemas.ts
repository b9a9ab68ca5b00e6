import { z } from 'zod';
import { pageQuery } from '../../platform/http/index.js';
import { definitionSchema } from './definition.js';

const name = z.string().trim().min(1, 'is required').max(120);

export const workflowCreateBody = z
  .object({
    name,
    description: z.string().max(1000).nullable().optional(),
    draft: definitionSchema.optional(),
    ownerId: z.uuid().nullable().optional(),
  })
  .strict();
export const workflowUpdateBody = z
  .object({
    name: name.optional(),
    description: z.string().max(1000).nullable().optional(),
    draft: definitionSchema.optional(),
    ownerId: z.uuid().nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export const workflowSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    enabled: z.boolean(),
    draft: definitionSchema,
    publishedVersion: z.number().int().nullable(),
    hasUnpublishedChanges: z.boolean(),
    triggerKey: z.string().nullable(),
    inboundUrl: z.string().nullable(),
    signingSecret: z.string(),
    ownerId: z.uuid().nullable(),
    createdBy: z.uuid().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Workflow' });

export const workflowListQuery = pageQuery.extend({
  triggerKey: z.string().max(80).optional(),
  enabled: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
});

export const versionSchema = z
  .object({
    version: z.number().int(),
    definition: definitionSchema,
    publishedAt: z.string(),
    publishedBy: z.uuid().nullable(),
  })
  .meta({ id: 'WorkflowVersion' });

export const testBody = z
  .object({
    recordId: z.uuid().optional(),
    webhookBody: z.unknown().optional(),
    published: z.boolean().optional(),
  })
  .strict();
const detail = z.object({ path: z.string(), message: z.string() });
export const testRunSchema = z
  .object({
    version: z.union([z.literal('draft'), z.number().int()]),
    conditionsMet: z.boolean(),
    note: z.string().nullable(),
    steps: z.array(
      z.object({
        stepId: z.string(),
        type: z.string(),
        name: z.string().nullable(),
        summary: z.string(),
        input: z.record(z.string(), z.unknown()),
        problems: z.array(detail),
      }),
    ),
  })
  .meta({ id: 'WorkflowTestRun' });

export const manualRunBody = z.object({ recordId: z.uuid() }).strict();
export const startedSchema = z
  .object({ runId: z.uuid().nullable(), status: z.string(), reason: z.string().nullable() })
  .meta({ id: 'WorkflowStarted' });

const RUN_STATUSES = ['running', 'waiting', 'succeeded', 'failed', 'stopped'] as const;
export const runSchema = z
  .object({
    id: z.uuid(),
    workflowId: z.uuid(),
    version: z.number().int(),
    status: z.enum(RUN_STATUSES),
    triggerType: z.string(),
    recordType: z.string().nullable(),
    recordId: z.uuid().nullable(),
    depth: z.number().int(),
    currentStep: z.string().nullable(),
    error: z.string().nullable(),
    stopReason: z.string().nullable(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'WorkflowRun' });
export const runDetailSchema = runSchema
  .extend({
    steps: z.array(
      z.object({
        seq: z.number().int(),
        stepId: z.string(),
        stepType: z.string(),
        status: z.enum(['succeeded', 'failed', 'retrying', 'waiting']),
        attempt: z.number().int(),
        input: z.unknown(),
        output: z.unknown(),
        error: z.string().nullable(),
        startedAt: z.string(),
        finishedAt: z.string(),
        durationMs: z.number(),
      }),
    ),
  })
  .meta({ id: 'WorkflowRunDetail' });

export const runListQuery = pageQuery.extend({
  workflowId: z.uuid().optional(),
  status: z.enum(RUN_STATUSES).optional(),
  recordId: z.uuid().optional(),
});
