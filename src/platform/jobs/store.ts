import { sql, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { withSystem, type PlatformTables, type Tx } from '../db/index.js';
import type { JobTables } from './tables.js';

/**
 * The runner's SQL: claiming due jobs under a lease, renewing it, recording outcomes guarded by
 * it, and the sweeps. Every statement runs as the owner across organizations (like the outbox
 * dispatcher) and names organization_id explicitly; none holds a transaction while a handler runs.
 */

const db = (tx: Tx) => tx.withTables<JobTables>();

/** A job this runner holds the lease of. `attempts` already counts the attempt being made. */
export interface ClaimedJob {
  organization_id: string;
  id: string;
  name: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
  lease_id: string;
}

/** What happened to one attempt. */
export type AttemptResult =
  { ok: true } | { ok: false; error: string; final: boolean; retryAt: Date };

/** Restricts a claim to one job (runOne). */
export interface OneJob {
  organizationId: string;
  id: string;
}

/** `last_error` of a job whose worker vanished during its last attempt. */
export const LEASE_EXPIRED_ERROR =
  'The worker running the last attempt stopped before it finished (its lease expired); no attempts are left';

/**
 * Claims up to `limit` due jobs: pending ones whose run_at has come, and running ones whose
 * worker stopped renewing the lease (killed mid-job). SKIP LOCKED lets concurrent runners take
 * disjoint rows, and the lease keeps a claimed job out of every other claim after this
 * transaction commits. A vanished worker's job with no attempts left is failed instead of run
 * past maxAttempts, and answered as `abandoned`, so its handler can record the failure (a
 * workflow run must not stay "running" behind a dead job).
 *
 * A claim of one named job (a RabbitMQ message) waits for a lock on its row instead of skipping
 * it: the row may be locked by the dispatcher marking it sent, and skipping would drop the
 * message's job until its re-dispatch. A competing claim, once committed, fails the re-check.
 */
export async function claimDue(
  database: Kysely<PlatformTables>,
  now: Date,
  leaseMs: number,
  limit: number,
  only?: OneJob,
): Promise<{ claimed: ClaimedJob[]; abandoned: ClaimedJob[] }> {
  if (limit <= 0) return { claimed: [], abandoned: [] };
  const lease = uuidv7();
  const until = new Date(now.getTime() + leaseMs);
  const one = only ? sql`and organization_id = ${only.organizationId} and id = ${only.id}` : sql``;
  return withSystem(database, async (tx) => {
    const abandoned = await sql<ClaimedJob>`
      update jobs set status = 'failed', finished_at = ${now}, lease_id = null, leased_until = null, last_error = ${LEASE_EXPIRED_ERROR}
      where status = 'running' and leased_until <= ${now} and attempts >= max_attempts ${one}
      returning organization_id, id, name, payload, attempts, max_attempts, lease_id`.execute(tx);
    const claimed = await sql<ClaimedJob>`
      with due as (
        select organization_id, id from jobs
        where ((status = 'pending' and run_at <= ${now}) or (status = 'running' and leased_until <= ${now})) ${one}
        order by run_at
        limit ${limit}
        ${only ? sql`for update` : sql`for update skip locked`}
      )
      update jobs j
      set status = 'running', lease_id = ${lease}, leased_until = ${until}, attempts = j.attempts + 1, started_at = ${now}, dispatched_at = null
      from due
      where j.organization_id = due.organization_id and j.id = due.id
      returning j.organization_id, j.id, j.name, j.payload, j.attempts, j.max_attempts, j.lease_id`.execute(
      tx,
    );
    return { claimed: claimed.rows, abandoned: abandoned.rows };
  });
}

/** Extends the lease while the handler runs; false when the lease is no longer this runner's. */
export async function renewLease(
  database: Kysely<PlatformTables>,
  job: ClaimedJob,
  until: Date,
): Promise<boolean> {
  return withSystem(database, async (tx) => {
    const r = await db(tx)
      .updateTable('jobs')
      .set({ leased_until: until })
      .where('organization_id', '=', job.organization_id)
      .where('id', '=', job.id)
      .where('lease_id', '=', job.lease_id)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  });
}

/**
 * Records an attempt: succeeded; pending again at `retryAt`; or failed (the dead-letter list).
 * Only the lease holder may record — a worker that lost its lease (it stalled past it and another
 * runner took the job over) drops its outcome. Answers whether the outcome was recorded.
 */
export async function recordAttempt(
  database: Kysely<PlatformTables>,
  job: ClaimedJob,
  result: AttemptResult,
  now: Date,
): Promise<boolean> {
  return withSystem(database, async (tx) => {
    // A dispatch mark left by a takeover message that found the lease renewed must not hold up the next turn.
    const cleared = { lease_id: null, leased_until: null, dispatched_at: null };
    const set = result.ok
      ? { ...cleared, status: 'succeeded' as const, finished_at: now, last_error: null }
      : result.final
        ? { ...cleared, status: 'failed' as const, finished_at: now, last_error: result.error }
        : {
            ...cleared,
            status: 'pending' as const,
            run_at: result.retryAt,
            last_error: result.error,
          };
    const r = await db(tx)
      .updateTable('jobs')
      .set(set)
      .where('organization_id', '=', job.organization_id)
      .where('id', '=', job.id)
      .where('lease_id', '=', job.lease_id)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  });
}

/**
 * Marks the job succeeded inside the handler's own transaction, so its effect and its outcome
 * commit together (the runner then records nothing). Guarded by the lease like recordAttempt.
 */
export async function completeInTx(tx: Tx, job: ClaimedJob, now: Date): Promise<void> {
  await db(tx)
    .updateTable('jobs')
    .set({
      status: 'succeeded',
      finished_at: now,
      last_error: null,
      lease_id: null,
      leased_until: null,
      dispatched_at: null,
    })
    .where('organization_id', '=', job.organization_id)
    .where('id', '=', job.id)
    .where('lease_id', '=', job.lease_id)
    .where('status', '=', 'running')
    .execute();
}

/** What a job left running by a crashed embedded process says until its next attempt ends. */
export const PROCESS_STOPPED_NOTE =
  'The process stopped while running it (a crash or a kill); that attempt was given back once';

/**
 * Embedded database only: one process owns the data directory (its lock proves any earlier owner
 * is dead), so jobs left running by that process are claimable now rather than after their lease.
 * The whole process died, not the job: its attempt is given back — once in a row, so a job that
 * itself kills the process still runs out of attempts instead of crashing every start.
 */
export async function releaseOrphanedJobs(
  database: Kysely<PlatformTables>,
  now: Date,
): Promise<number> {
  return withSystem(database, async (tx) => {
    const r = await db(tx)
      .updateTable('jobs')
      .set({
        leased_until: now,
        attempts: sql<number>`case when last_error is distinct from ${PROCESS_STOPPED_NOTE} and attempts > 0 then attempts - 1 else attempts end`,
        last_error: PROCESS_STOPPED_NOTE,
      })
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  });
}

/** Succeeded jobs are kept this long (for people to look at), then deleted. */
export const SUCCEEDED_RETENTION_DAYS = 7;
const SWEEP_BATCH = 5_000;

/** Deletes succeeded jobs older than the retention in batches; failed and discarded ones stay. */
export async function purgeSucceededJobs(
  database: Kysely<PlatformTables>,
  now: Date,
): Promise<number> {
  const cutoff = new Date(now.getTime() - SUCCEEDED_RETENTION_DAYS * 86_400_000);
  let purged = 0;
  for (;;) {
    const n = await withSystem(database, async (tx) => {
      const gone = await db(tx)
        .deleteFrom('jobs')
        .where(
          sql<boolean>`(organization_id, id) in (
          select organization_id, id from jobs where status = 'succeeded' and finished_at < ${cutoff} limit ${SWEEP_BATCH})`,
        )
        .executeTakeFirst();
      return Number(gone.numDeletedRows);
    });
    purged += n;
    if (n < SWEEP_BATCH) return purged;
  }
}
