import { sql, type Kysely } from 'kysely';
import { publishConfirmed, type ConfirmChannel } from '../amqp/index.js';
import { tryAdvisoryLock, withSystem, type PlatformTables } from '../db/index.js';
import { dueJobMessage, type DueJob, type JobTopology } from './amqp-topology.js';

/** How one dispatch pass runs. */
export interface DispatchOptions {
  now: Date;
  batchSize: number;
  confirmTimeoutMs: number;
  /** A dispatch mark older than this is taken for a lost message and the job is dispatched again. */
  redispatchMs: number;
  /** Told of the jobs about to be published (the queue tracks what runDue waits for). */
  beforePublish?: (jobs: readonly DueJob[]) => void;
}

/** What one pass did. */
export interface DispatchResult {
  /** Jobs the broker confirmed, now marked dispatched. */
  dispatched: DueJob[];
  /** Jobs selected but not confirmed: they stay undispatched for the next pass. */
  unconfirmed: DueJob[];
  /** The batch was full: more may be due. */
  more: boolean;
}

// Advisory lock class of the job dispatcher (apart from the event relay's); the second key is the prefix.
const DISPATCH_LOCK_CLASS = 0x0ce2b1;

interface Candidate extends DueJob {
  attempts: number;
}

/**
 * Publishes a message for each job that became due and has none out: pending jobs whose run_at
 * has come, and running jobs whose worker stopped renewing the lease (killed mid-job). One
 * dispatcher runs at a time across processes (the others skip the pass), so a job is not
 * published twice by two of them. The mark is written only after the broker's confirm and only
 * if the job was not claimed meanwhile (its attempts unchanged); a claim clears the mark, so the
 * job's next turn — a retry, a takeover — is dispatched again. Duplicates that slip through are
 * harmless: a worker whose claim finds the job taken or not due just acks.
 */
export async function dispatchDueJobs(
  db: Kysely<PlatformTables>,
  channel: ConfirmChannel,
  topology: JobTopology,
  options: DispatchOptions,
): Promise<DispatchResult> {
  const { now, batchSize } = options;
  return withSystem(db, async (tx) => {
    if (!(await tryAdvisoryLock(tx, DISPATCH_LOCK_CLASS, topology.prefix)))
      return { dispatched: [], unconfirmed: [], more: false };
    const stale = new Date(now.getTime() - options.redispatchMs);
    await sql`update jobs set dispatched_at = null where dispatched_at < ${stale} and status in ('pending', 'running')`.execute(
      tx,
    );
    const rows = await sql<{ organization_id: string; id: string; attempts: number }>`
      (select organization_id, id, attempts from jobs
        where status = 'pending' and dispatched_at is null and run_at <= ${now} order by run_at limit ${batchSize})
      union all
      (select organization_id, id, attempts from jobs
        where status = 'running' and dispatched_at is null and leased_until <= ${now} order by leased_until limit ${batchSize})
      limit ${batchSize}`.execute(tx);
    const candidates: Candidate[] = rows.rows.map((r) => ({
      organizationId: r.organization_id,
      id: r.id,
      attempts: r.attempts,
    }));
    if (candidates.length === 0) return { dispatched: [], unconfirmed: [], more: false };
    const jobs = candidates.map(({ organizationId, id }) => ({ organizationId, id }));
    options.beforePublish?.(jobs);
    const acked = await publishConfirmed(
      channel,
      jobs.map((job) => dueJobMessage(topology, job)),
      options.confirmTimeoutMs,
    );
    const confirmed = candidates.filter((_, i) => acked[i]);
    if (confirmed.length > 0) {
      const keys = sql.join(
        confirmed.map((c) => sql`(${c.organizationId}::uuid, ${c.id}::uuid, ${c.attempts}::int)`),
      );
      await sql`update jobs set dispatched_at = ${now}
        where (organization_id, id, attempts) in (${keys}) and status in ('pending', 'running')`.execute(
        tx,
      );
    }
    return {
      dispatched: jobs.filter((_, i) => acked[i]),
      unconfirmed: jobs.filter((_, i) => !acked[i]),
      more: candidates.length === batchSize,
    };
  });
}
