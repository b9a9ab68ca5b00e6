import type { Tx } from '../db/index.js';
import type { JobStatus, JobTables } from './tables.js';

/**
 * What a module may read and change of the jobs it enqueued, in its own tenant transaction: the
 * module keeps the job's id on its row and shows people when the work runs next, or brings it
 * forward when they ask for it now. The runner alone claims, retries and fails jobs.
 */

const db = (tx: Tx) => tx.withTables<JobTables>();

/** Where a job stands. */
export interface JobState {
  status: JobStatus;
  /** When it runs (pending), or when it last became due. */
  runAt: Date;
  attempts: number;
  maxAttempts: number;
}

/** The state of each of these jobs of the organization that still exists, by id. */
export async function jobStates(
  tx: Tx,
  organizationId: string,
  ids: readonly string[],
): Promise<Map<string, JobState>> {
  if (ids.length === 0) return new Map();
  const rows = await db(tx)
    .selectFrom('jobs')
    .select(['id', 'status', 'run_at', 'attempts', 'max_attempts'])
    .where('organization_id', '=', organizationId)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      { status: r.status, runAt: r.run_at, attempts: r.attempts, maxAttempts: r.max_attempts },
    ]),
  );
}

/**
 * Makes these jobs due at `now` when they wait for a later time (a backoff, a delay); running and
 * finished jobs are left alone. Answers how many were brought forward; the caller wakes the runner
 * after its commit.
 */
export async function hastenJobs(
  tx: Tx,
  organizationId: string,
  ids: readonly string[],
  now: Date,
): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await db(tx)
    .updateTable('jobs')
    .set({ run_at: now })
    .where('organization_id', '=', organizationId)
    .where('id', 'in', [...new Set(ids)])
    .where('status', '=', 'pending')
    .where('run_at', '>', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
