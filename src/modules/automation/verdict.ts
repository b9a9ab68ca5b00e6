import { sql } from 'kysely';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { queueDisabledNotice } from './disable-notices.js';
import { WEBHOOK_DISABLED, type WebhookDisabledPayload } from './events.js';
import type { AutomationTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<AutomationTables>();

/** Deliveries in a row that ended failed before the webhook is switched off. */
export const DISABLE_AFTER_FAILURES = 10;

/** Counts a delivery's final verdict on its webhook, switching the webhook off after too many failures. */
export async function countVerdict(
  ctx: Ctx,
  tx: Tx,
  webhookId: string,
  delivered: boolean,
): Promise<void> {
  const now = ctx.deps.clock.now();
  const scope = () =>
    db(tx)
      .updateTable('webhooks')
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', webhookId);
  if (delivered) {
    await scope().set({ consecutive_failures: 0 }).where('consecutive_failures', '>', 0).execute();
    return;
  }
  const hook = await scope()
    .set({ consecutive_failures: sql<number>`consecutive_failures + 1` })
    .returning(['url', 'active', 'consecutive_failures'])
    .executeTakeFirst();
  if (!hook || !hook.active || hook.consecutive_failures < DISABLE_AFTER_FAILURES) return;
  await scope()
    .set({
      active: false,
      disabled_reason: 'failures',
      disabled_at: now,
      disabled_notified_at: null,
      version: sql<number>`version + 1`,
      updated_at: now,
    })
    .execute();
  await ctx.audit(tx, {
    action: 'webhook.disabled',
    targetType: 'webhook',
    targetId: webhookId,
    diff: { active: { from: true, to: false }, disabledReason: { from: null, to: 'failures' } },
  });
  const payload: WebhookDisabledPayload = {
    webhookId,
    url: hook.url,
    reason: 'failures',
    consecutiveFailures: hook.consecutive_failures,
  };
  await ctx.emit(tx, {
    type: WEBHOOK_DISABLED,
    aggregateType: 'webhook',
    aggregateId: webhookId,
    payload: { ...payload },
  });
  await queueDisabledNotice(ctx, tx, {
    id: webhookId,
    consecutiveFailures: hook.consecutive_failures,
    disabledAt: now,
  });
}
