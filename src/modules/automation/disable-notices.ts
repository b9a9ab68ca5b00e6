import { createCtx, systemActor, type Ctx, type Deps } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { runDueJobsNamed, type JobHandler, type JobRun } from '../../platform/jobs/index.js';
import { listAdminRecipients } from '../identity/index.js';
import type { AutomationTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<AutomationTables>();

/** The job that tells the admins, by email, that Cerebro switched a webhook off after failures. */
export const WEBHOOK_DISABLED_NOTICE_JOB = 'automation.webhook-disabled-notice';

/**
 * Queues the notice in the transaction that switches the webhook off: it exists iff the disable
 * commits. Keyed by webhook and time, so one disable gets one notice and a later one its own.
 */
export async function queueDisabledNotice(
  ctx: Ctx,
  tx: Tx,
  webhook: { id: string; consecutiveFailures: number; disabledAt: Date },
): Promise<void> {
  await ctx.enqueue(tx, {
    name: WEBHOOK_DISABLED_NOTICE_JOB,
    payload: { webhookId: webhook.id, consecutiveFailures: webhook.consecutiveFailures },
    key: `${webhook.id}@${webhook.disabledAt.toISOString()}`,
  });
}

/**
 * Mails the admins and marks the webhook notified in one tenant transaction, which also records
 * the job's success: with the dev mailbox all of it commits together, and when SMTP is down the
 * mark rolls back and the job is retried with the platform's backoff (then dead-lettered on the
 * failed-jobs page) — a notice is sent at least once, never silently lost. Nothing is sent when a
 * person enabled the webhook again first, or the webhook is gone.
 */
async function sendNotice(job: JobRun, deps: Deps): Promise<void> {
  const ctx = createCtx(deps, systemActor(job.organizationId));
  const webhookId = String(job.payload.webhookId);
  const failures = Number(job.payload.consecutiveFailures);
  await ctx.tx(async (tx) => {
    const hook = await db(tx)
      .selectFrom('webhooks')
      .select(['id', 'url', 'description'])
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', webhookId)
      .where('disabled_reason', 'is not', null)
      .where('disabled_notified_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!hook) return;
    const name = hook.description ? `"${hook.description}" (${hook.url})` : hook.url;
    for (const admin of await listAdminRecipients(tx, ctx.organizationId)) {
      await deps.mailer.send(tx, {
        organizationId: ctx.organizationId,
        to: admin.email,
        subject: `Cerebro switched off the webhook to ${new URL(hook.url).host}`,
        text:
          `Hello ${admin.name},\n\nThe webhook ${name} failed ${failures} deliveries in a row, so Cerebro switched it off. ` +
          `Events are no longer queued for it.\n\nWebhook id: ${hook.id}\n\n` +
          `Once the receiver works again, re-enable the webhook (PATCH /api/v1/webhooks/${hook.id} with {"active": true}) and ` +
          `catch up on what it missed with POST /api/v1/webhooks/${hook.id}/replay.\n`,
      });
    }
    await db(tx)
      .updateTable('webhooks')
      .set({ disabled_notified_at: deps.clock.now() })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', hook.id)
      .execute();
    await job.complete(tx);
  });
}

/** Tells the admins of an organization that a webhook was switched off. */
export const webhookDisabledNoticeJob: JobHandler = {
  name: WEBHOOK_DISABLED_NOTICE_JOB,
  handle: sendNotice,
};

/**
 * Runs now, in this process, the due notice jobs and answers how many ran; for scripts and tests
 * (workers leave them to the job runner).
 */
export const notifyDisabledWebhooks = (deps: Deps): Promise<number> =>
  runDueJobsNamed(deps, WEBHOOK_DISABLED_NOTICE_JOB);
