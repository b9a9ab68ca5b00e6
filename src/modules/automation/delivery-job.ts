import { v7 as uuidv7 } from 'uuid';
import { createCtx, systemActor, type Ctx, type Deps } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { runDueJobsNamed, type JobHandler, type JobRun } from '../../platform/jobs/index.js';
import { WEBHOOK_DELIVERY_JOB } from './rounds.js';
import type { AutomationTables } from './schema.js';
import { isDelivered, sendDelivery, type Outcome, type Sendable } from './send.js';
import { countVerdict } from './verdict.js';

// Webhook deliveries as durable jobs (platform/jobs): the job holds the lease (no delivery is sent
// by two workers at once), counts the attempts, backs off and is dead-lettered after the last
// one; the delivery row keeps what people see — its status and every attempt with the answer.

const db = (tx: Tx) => tx.withTables<AutomationTables>();

/** Thrown to fail an attempt the receiver did not accept, so the runner retries it. */
export class WebhookDeliveryFailed extends Error {
  override readonly name = 'WebhookDeliveryFailed';
}

interface Due extends Sendable {
  webhook_id: string;
  active: boolean;
}

const deliveryOf = (job: Pick<JobRun, 'payload'>): string => String(job.payload.deliveryId);
const systemCtx = (deps: Deps, job: Pick<JobRun, 'organizationId'>): Ctx =>
  createCtx(deps, systemActor(job.organizationId));

/**
 * The delivery this job is the current round of, with its webhook: none when the delivery is gone
 * (its webhook deleted, retention), was delivered, or a newer round replaced this job.
 */
async function loadDue(ctx: Ctx, job: JobRun): Promise<Due | undefined> {
  return ctx.tx((tx) =>
    db(tx)
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhooks as w', (j) =>
        j.onRef('w.organization_id', '=', 'd.organization_id').onRef('w.id', '=', 'd.webhook_id'),
      )
      .select([
        'd.id',
        'd.webhook_id',
        'd.event_type',
        'd.body',
        'w.url',
        'w.secret_enc',
        'w.active',
      ])
      .where('d.organization_id', '=', ctx.organizationId)
      .where('d.id', '=', deliveryOf(job))
      .where('d.job_id', '=', job.id)
      .where('d.status', '<>', 'delivered')
      .executeTakeFirst(),
  );
}

/**
 * Records an attempt on the delivery: delivered on 2xx (the job succeeds in the same
 * transaction), failed after the job's last attempt, else pending for the runner's retry. A
 * final verdict counts on the webhook. Answers false when the round was replaced meanwhile.
 */
async function recordAttempt(ctx: Ctx, job: JobRun, outcome: Outcome): Promise<boolean> {
  const delivered = isDelivered(outcome);
  const final = !delivered && job.attempt >= job.maxAttempts;
  return ctx.tx(async (tx) => {
    const now = ctx.deps.clock.now();
    const row = await db(tx)
      .updateTable('webhook_deliveries')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        status: delivered ? 'delivered' : final ? 'failed' : 'pending',
        last_status_code: outcome.statusCode,
        last_error: outcome.error,
        ...(delivered ? { delivered_at: now } : {}),
      }))
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', deliveryOf(job))
      .where('job_id', '=', job.id)
      .where('status', '<>', 'delivered')
      .returning(['attempts', 'webhook_id'])
      .executeTakeFirst();
    if (!row) return false;
    await db(tx)
      .insertInto('webhook_attempts')
      .values({
        organization_id: ctx.organizationId,
        id: uuidv7(),
        delivery_id: deliveryOf(job),
        number: row.attempts,
        started_at: outcome.startedAt,
        duration_ms: outcome.durationMs,
        status_code: outcome.statusCode,
        response_body: outcome.responseBody,
        error: outcome.error,
      })
      .execute();
    if (delivered) await job.complete(tx);
    if (delivered || final) await countVerdict(ctx, tx, row.webhook_id, delivered);
    return true;
  });
}

/**
 * Sends one attempt of a delivery. A delivery of a disabled webhook waits, with no job, until a
 * person enables the webhook again (webhooks.ts queues it then); sending it now would spend its
 * attempts on a receiver the admins switched off.
 */
async function deliver(job: JobRun, deps: Deps): Promise<void> {
  const ctx = systemCtx(deps, job);
  const due = await loadDue(ctx, job);
  if (!due) return;
  if (!due.active) {
    await ctx.tx((tx) =>
      db(tx)
        .updateTable('webhook_deliveries')
        .set({ job_id: null })
        .where('organization_id', '=', ctx.organizationId)
        .where('id', '=', due.id)
        .where('job_id', '=', job.id)
        .where('status', '=', 'pending')
        .execute(),
    );
    return;
  }
  const outcome = await sendDelivery(deps, due);
  const recorded = await recordAttempt(ctx, job, outcome);
  if (recorded && !isDelivered(outcome))
    throw new WebhookDeliveryFailed(outcome.error ?? 'the receiver did not accept the delivery');
}

/** The worker died during the job's last attempt: the delivery fails, and counts so on its webhook. */
async function abandon(job: Omit<JobRun, 'complete'>, error: string, deps: Deps): Promise<void> {
  const ctx = systemCtx(deps, job);
  await ctx.tx(async (tx) => {
    const row = await db(tx)
      .updateTable('webhook_deliveries')
      .set({ status: 'failed', last_error: error })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', deliveryOf(job))
      .where('job_id', '=', job.id)
      .where('status', '=', 'pending')
      .returning('webhook_id')
      .executeTakeFirst();
    if (row) await countVerdict(ctx, tx, row.webhook_id, false);
  });
}

/** One round of attempts at one delivery. */
export const webhookDeliveryJob: JobHandler = {
  name: WEBHOOK_DELIVERY_JOB,
  handle: deliver,
  abandoned: abandon,
};

/**
 * Runs now, in this process, one attempt of each due delivery job and answers how many ran; for
 * scripts and tests (workers leave them to the job runner).
 */
export const deliverDueWebhooks = (deps: Deps): Promise<number> =>
  runDueJobsNamed(deps, WEBHOOK_DELIVERY_JOB);
