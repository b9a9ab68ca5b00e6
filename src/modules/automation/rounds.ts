import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { onCommit, type Tx } from '../../platform/db/index.js';
import { enqueueJobs } from '../../platform/jobs/index.js';

/** The job that makes the attempts of one round at one delivery (delivery-job.ts). */
export const WEBHOOK_DELIVERY_JOB = 'automation.webhook-delivery';

/**
 * Attempts in a round unless a person asked for one more: with the platform's backoff (full
 * jitter in windows of 2 s doubling to a cap of 1 h, platform/jobs/backoff.ts) a receiver that
 * stays down gets its last try about 2.5 h after the first on average and at most about 5 h.
 */
export const DELIVERY_MAX_ATTEMPTS = 16;

/** How a round starts. */
export interface RoundOptions {
  /** Attempts before the delivery is failed and its job dead-lettered. */
  maxAttempts: number;
  /** When the first attempt is due. */
  now: Date;
  /** Wakes this process's job runner; called after the commit. */
  wake: () => void;
}

/**
 * Starts a new round of attempts at each of these deliveries of the organization: one job each,
 * due now, named on the delivery row, which becomes pending again. The job of an earlier round,
 * should it still run (retried from the failed-jobs page), finds itself replaced and does nothing.
 */
export async function startRounds(
  tx: Tx,
  organizationId: string,
  deliveryIds: readonly string[],
  options: RoundOptions,
): Promise<void> {
  if (deliveryIds.length === 0) return;
  const links = deliveryIds.map((deliveryId) => ({ deliveryId, jobId: uuidv7() }));
  await enqueueJobs(
    tx,
    links.map((l) => ({
      organizationId,
      id: l.jobId,
      name: WEBHOOK_DELIVERY_JOB,
      payload: { deliveryId: l.deliveryId },
      maxAttempts: options.maxAttempts,
      runAt: options.now,
    })),
  );
  const values = sql.join(links.map((l) => sql`(${l.deliveryId}::uuid, ${l.jobId}::uuid)`));
  await sql`
    update webhook_deliveries d
    set job_id = v.job_id, status = 'pending', delivered_at = null
    from (values ${values}) as v(id, job_id)
    where d.organization_id = ${organizationId} and d.id = v.id`.execute(tx);
  onCommit(tx, options.wake);
}
