import { v7 as uuidv7 } from 'uuid';
import type { Tx } from '../db/index.js';
import { errors } from '../errors/index.js';
import type { JobTables } from './tables.js';

const db = (tx: Tx) => tx.withTables<JobTables>();

/** Attempts a job gets unless its enqueuer says otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 5;
/** The database refuses more (a CHECK in 0015_jobs.sql); past this a job is a loop, not a retry. */
export const MAX_MAX_ATTEMPTS = 100;

/** A job as enqueued. Jobs are tenant rows (organization_id NOT NULL, RLS). */
export interface JobInput {
  organizationId: string;
  /** The handler's name, e.g. 'workflow.step'. */
  name: string;
  payload: Record<string, unknown>;
  /** Not before (delayed jobs); default now. */
  runAt?: Date;
  /** Default 5. */
  maxAttempts?: number;
  /** Dedupe: at most one job per (organization, name, key) ever; enqueueing again returns the existing id. */
  key?: string;
  /**
   * The job's id (a UUIDv7), when the enqueuer links its own row to the job before enqueueing it;
   * a new one by default.
   */
  id?: string;
}

/** A job as it was enqueued: enough to run it (`JobRunner.runOne`). */
export interface EnqueuedJob {
  organizationId: string;
  id: string;
}

/** A claim held from the start: the job is inserted running, leased to the runner that will run it after the commit. */
export interface InitialLease {
  leaseId: string;
  leasedUntil: Date;
  startedAt: Date;
}

/** Inserts the job in the caller's transaction: it exists iff the caller's change commits. */
export async function enqueueJob(tx: Tx, job: JobInput): Promise<string> {
  return (await insertJob(tx, job, null)).id;
}

/**
 * Inserts many jobs without dedupe keys in one statement (a replay queues thousands); answers
 * their ids in the order given. Like enqueueJob, they exist iff the caller's change commits.
 */
export async function enqueueJobs(
  tx: Tx,
  jobs: ReadonlyArray<Omit<JobInput, 'key'>>,
): Promise<string[]> {
  if (jobs.length === 0) return [];
  const rows = jobs.map((job) => ({ ...pendingValues(job), key: null }));
  await db(tx).insertInto('jobs').values(rows).execute();
  return rows.map((r) => r.id);
}

/**
 * Inserts jobs that each carry a dedupe key in one statement, skipping every one whose
 * (organization, name, key) was ever enqueued — by this call, an earlier one, or a concurrent one
 * (which the unique index makes wait for the winner). Answers the new ones. For sources that find
 * the same due work on every pass (sources.ts).
 */
export async function enqueueUniqueJobs(
  tx: Tx,
  jobs: ReadonlyArray<JobInput & { key: string }>,
): Promise<EnqueuedJob[]> {
  if (jobs.length === 0) return [];
  const rows = jobs.map((job) => ({ ...pendingValues(job), key: job.key }));
  const inserted = await db(tx)
    .insertInto('jobs')
    .values(rows)
    .onConflict((oc) => oc.columns(['organization_id', 'name', 'key']).doNothing())
    .returning(['organization_id', 'id'])
    .execute();
  return inserted.map((r) => ({ organizationId: r.organization_id, id: r.id }));
}

/** The columns of a new pending job, after checking what the database would refuse less clearly. */
function pendingValues(job: JobInput) {
  const maxAttempts = job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > MAX_MAX_ATTEMPTS) {
    throw errors.validation([
      { path: 'maxAttempts', message: `must be an integer from 1 to ${MAX_MAX_ATTEMPTS}` },
    ]);
  }
  if (!job.name.trim()) throw errors.validation([{ path: 'name', message: 'is required' }]);
  return {
    organization_id: job.organizationId,
    id: job.id ?? uuidv7(),
    name: job.name,
    payload: JSON.stringify(job.payload),
    max_attempts: maxAttempts,
    run_at: job.runAt ?? new Date(),
    last_error: null,
    finished_at: null,
    lease_id: null,
    leased_until: null,
    started_at: null,
  };
}

/**
 * Inserts the job, pending or (given `lease`) already running under that lease with its first
 * attempt counted, as a claim would leave it. `leased` is false when a job of the same dedupe key
 * existed: its id is returned and the lease was not taken.
 */
export async function insertJob(
  tx: Tx,
  job: JobInput,
  lease: InitialLease | null,
): Promise<{ id: string; leased: boolean }> {
  const base = pendingValues(job);
  const id = base.id;
  const values = {
    ...base,
    key: job.key ?? null,
    ...(lease
      ? {
          status: 'running' as const,
          attempts: 1,
          lease_id: lease.leaseId,
          leased_until: lease.leasedUntil,
          started_at: lease.startedAt,
        }
      : {}),
  };
  if (job.key === undefined) {
    await db(tx).insertInto('jobs').values(values).execute();
    return { id, leased: lease !== null };
  }
  // A concurrent enqueue of the same key waits on the unique index and then finds the winner's row.
  const inserted = await db(tx)
    .insertInto('jobs')
    .values(values)
    .onConflict((oc) => oc.columns(['organization_id', 'name', 'key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, leased: lease !== null };
  const existing = await db(tx)
    .selectFrom('jobs')
    .select('id')
    .where('organization_id', '=', job.organizationId)
    .where('name', '=', job.name)
    .where('key', '=', job.key)
    .executeTakeFirstOrThrow();
  return { id: existing.id, leased: false };
}
