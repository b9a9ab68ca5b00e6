import { z } from 'zod';
import { idParams, listOf, pageQuery, route } from '../../platform/http/index.js';
import { JOB_STATUSES, type JobStatus } from '../../platform/jobs/index.js';
import { discardJob, getJob, jobStats, listJobs, retryJob } from './jobs.js';

const tags = ['jobs'];
const statusEnum = z.enum(JOB_STATUSES as [JobStatus, ...JobStatus[]]);

const jobSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    status: statusEnum,
    attempts: z.number().int(),
    maxAttempts: z.number().int(),
    runAt: z.string(),
    lastError: z.string().nullable(),
    payload: z.record(z.string(), z.unknown()),
    key: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'Job' });

const statsSchema = z
  .object(
    Object.fromEntries(JOB_STATUSES.map((s) => [s, z.number().int()])) as Record<
      JobStatus,
      z.ZodNumber
    >,
  )
  .meta({ id: 'JobStats' });

const listQuery = pageQuery
  .extend({
    'filter[status]': z
      .enum(JOB_STATUSES as [JobStatus, ...JobStatus[]], {
        message: `must be one of ${JOB_STATUSES.join(', ')}`,
      })
      .optional(),
    'filter[name]': z.string().trim().min(1).max(200).optional(),
  })
  .strict();

/** The background jobs of the organization: the dead-letter list, retry and discard. */
export const jobRoutes = [
  route({
    method: 'GET',
    path: '/api/v1/jobs',
    permission: 'jobs:read',
    summary: 'Background jobs, newest first; filter[status]=failed is the dead-letter list',
    tags,
    query: listQuery,
    response: { status: 200, schema: listOf(jobSchema) },
    handler: ({ ctx, query }) =>
      listJobs(ctx, {
        limit: query.limit,
        count: query.count,
        ...(query.cursor ? { cursor: query.cursor } : {}),
        ...(query['filter[status]'] ? { status: query['filter[status]'] } : {}),
        ...(query['filter[name]'] ? { name: query['filter[name]'] } : {}),
      }),
  }),
  route({
    method: 'GET',
    path: '/api/v1/jobs/stats',
    permission: 'jobs:read',
    summary: 'How many jobs are in each status',
    tags,
    response: { status: 200, schema: statsSchema },
    handler: ({ ctx }) => jobStats(ctx),
  }),
  route({
    method: 'GET',
    path: '/api/v1/jobs/:id',
    permission: 'jobs:read',
    summary: 'Read a job with its last error',
    tags,
    params: idParams,
    response: { status: 200, schema: jobSchema },
    handler: ({ ctx, params }) => getJob(ctx, params.id),
  }),
  route({
    method: 'POST',
    path: '/api/v1/jobs/:id/retry',
    permission: 'jobs:update',
    summary: 'Run a failed or discarded job again now, with its attempts reset (409 otherwise)',
    tags,
    params: idParams,
    response: { status: 200, schema: jobSchema },
    handler: ({ ctx, params }) => retryJob(ctx, params.id),
  }),
  route({
    method: 'POST',
    path: '/api/v1/jobs/:id/discard',
    permission: 'jobs:update',
    summary: 'Give up on a failed job (409 otherwise)',
    tags,
    params: idParams,
    response: { status: 200, schema: jobSchema },
    handler: ({ ctx, params }) => discardJob(ctx, params.id),
  }),
];
