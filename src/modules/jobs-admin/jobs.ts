import type { Selectable } from 'kysely';
import { z } from 'zod';
import { authorizeOrganizationWide } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { decodeCursor, encodeCursor } from '../../platform/http/index.js';
import {
  JOB_STATUSES,
  type JobStatus,
  type JobTable,
  type JobTables,
} from '../../platform/jobs/index.js';
import { jobNotDiscardable, jobNotRetryable } from './errors.js';

const db = (tx: Tx) => tx.withTables<JobTables>();
type JobRow = Selectable<JobTable>;

/** A background job as the API presents it. */
export interface JobView {
  id: string;
  /** The handler's name, e.g. workflow.step. */
  name: string;
  status: JobStatus;
  /** Attempts started so far. */
  attempts: number;
  maxAttempts: number;
  /** When it runs (pending), or when it last became due. */
  runAt: string;
  /** The error of the latest failed attempt (kept while a retry is pending). */
  lastError: string | null;
  payload: Record<string, unknown>;
  /** The enqueuer's dedupe key, e.g. `schedule@2030-01-01T08:00:00.000Z` for a cron fire. */
  key: string | null;
  createdAt: string;
  /** When the latest attempt started. */
  startedAt: string | null;
  /** When it succeeded or failed for good. */
  finishedAt: string | null;
}

function presentJob(r: JobRow): JobView {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    runAt: r.run_at.toISOString(),
    lastError: r.last_error,
    payload: r.payload,
    key: r.key,
    createdAt: r.created_at.toISOString(),
    startedAt: r.started_at?.toISOString() ?? null,
    finishedAt: r.finished_at?.toISOString() ?? null,
  };
}

/** Filters and page of GET /jobs. */
export interface JobListQuery {
  limit: number;
  cursor?: string;
  count: boolean;
  status?: JobStatus;
  /** Exact handler name. */
  name?: string;
}

const CURSOR = z.uuid();

/** The organization's jobs, newest first, optionally of one status and name. */
export async function listJobs(
  ctx: Ctx,
  q: JobListQuery,
): Promise<{ data: JobView[]; meta: { nextCursor: string | null; total?: number } }> {
  authorizeOrganizationWide(ctx, 'jobs:read');
  const before = decodeCursor(q.cursor, CURSOR);
  if (q.cursor && !before) throw errors.validation([{ path: 'cursor', message: 'is malformed' }]);
  return ctx.tx(async (tx) => {
    let base = db(tx).selectFrom('jobs').where('organization_id', '=', ctx.organizationId);
    if (q.status) base = base.where('status', '=', q.status);
    if (q.name) base = base.where('name', '=', q.name);
    const total = q.count
      ? Number(
          (await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n,
        )
      : undefined;
    // Ids are UUIDv7, so their order is creation order.
    const rows = await (before ? base.where('id', '<', before) : base)
      .selectAll()
      .orderBy('id', 'desc')
      .limit(q.limit + 1)
      .execute();
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      data: page.map(presentJob),
      meta: {
        nextCursor: rows.length > q.limit && last ? encodeCursor(last.id) : null,
        ...(total !== undefined ? { total } : {}),
      },
    };
  });
}

async function loadJob(ctx: Ctx, tx: Tx, id: string, forUpdate = false): Promise<JobRow> {
  let q = db(tx)
    .selectFrom('jobs')
    .selectAll()
    .where('organization_id', '=', ctx.organizationId)
    .where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw errors.notFound('Job');
  return row;
}

/** One job of the organization, or 404. */
export async function getJob(ctx: Ctx, id: string): Promise<JobView> {
  authorizeOrganizationWide(ctx, 'jobs:read');
  return ctx.tx(async (tx) => presentJob(await loadJob(ctx, tx, id)));
}

/** How many of the organization's jobs are in each status (every status present). */
export async function jobStats(ctx: Ctx): Promise<Record<JobStatus, number>> {
  authorizeOrganizationWide(ctx, 'jobs:read');
  const rows = await ctx.tx((tx) =>
    db(tx)
      .selectFrom('jobs')
      .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('organization_id', '=', ctx.organizationId)
      .groupBy('status')
      .execute(),
  );
  const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/**
 * Runs a failed or discarded job again now, with a fresh set of attempts; the last error stays
 * until an attempt succeeds. Other statuses answer 409: the job is still on its way.
 */
export async function retryJob(ctx: Ctx, id: string): Promise<JobView> {
  authorizeOrganizationWide(ctx, 'jobs:update');
  const now = ctx.deps.clock.now();
  const job = await ctx.tx(async (tx) => {
    const current = await loadJob(ctx, tx, id, true);
    if (current.status !== 'failed' && current.status !== 'discarded')
      throw jobNotRetryable(current.status);
    const row = await db(tx)
      .updateTable('jobs')
      .set({
        status: 'pending',
        attempts: 0,
        run_at: now,
        finished_at: null,
        lease_id: null,
        leased_until: null,
        dispatched_at: null,
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await ctx.audit(tx, {
      action: 'job.retried',
      targetType: 'job',
      targetId: id,
      diff: {
        status: { from: current.status, to: 'pending' },
        attempts: { from: current.attempts, to: 0 },
      },
    });
    return presentJob(row);
  });
  ctx.deps.jobs.wake();
  return job;
}

/** Gives up on a failed job: it leaves the dead-letter list and is kept as discarded. */
export async function discardJob(ctx: Ctx, id: string): Promise<JobView> {
  authorizeOrganizationWide(ctx, 'jobs:update');
  return ctx.tx(async (tx) => {
    const current = await loadJob(ctx, tx, id, true);
    if (current.status !== 'failed') throw jobNotDiscardable(current.status);
    const row = await db(tx)
      .updateTable('jobs')
      .set({ status: 'discarded' })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await ctx.audit(tx, {
      action: 'job.discarded',
      targetType: 'job',
      targetId: id,
      diff: { status: { from: 'failed', to: 'discarded' } },
    });
    return presentJob(row);
  });
}
