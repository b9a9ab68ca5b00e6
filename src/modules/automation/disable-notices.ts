import type { Deps } from '../../platform/context/index.js';
import { withSystem, withTenant, type Tx } from '../../platform/db/index.js';
import { listAdminRecipients } from '../identity/index.js';
import { DISABLE_AFTER_FAILURES } from './verdict.js';
import type { AutomationTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<AutomationTables>();

/**
 * Tells the admins of each organization, by email, that a webhook was switched off after failing.
 * The notice is sent and marked in one tenant transaction: with the dev mailbox both commit
 * together, and when SMTP is down the mark rolls back and the next run tries again — a notice is
 * sent at least once, never silently lost. Answers how many webhooks were notified about.
 */
export async function notifyDisabledWebhooks(deps: Deps): Promise<number> {
  const pending = await withSystem(deps.database.db, (tx) =>
    db(tx)
      .selectFrom('webhooks')
      .select(['organization_id', 'id'])
      .where('disabled_reason', 'is not', null)
      .where('disabled_notified_at', 'is', null)
      .orderBy('disabled_at')
      .limit(50)
      .execute(),
  );
  let notified = 0;
  for (const p of pending) {
    try {
      const sent = await withTenant(deps.database.db, p.organization_id, async (tx) => {
        const hook = await db(tx)
          .selectFrom('webhooks')
          .select(['id', 'url', 'description'])
          .where('organization_id', '=', p.organization_id)
          .where('id', '=', p.id)
          .where('disabled_reason', 'is not', null)
          .where('disabled_notified_at', 'is', null)
          .forUpdate()
          .executeTakeFirst();
        if (!hook) return false;
        const name = hook.description ? `"${hook.description}" (${hook.url})` : hook.url;
        for (const admin of await listAdminRecipients(tx, p.organization_id)) {
          await deps.mailer.send(tx, {
            organizationId: p.organization_id,
            to: admin.email,
            subject: `Cerebro switched off the webhook to ${new URL(hook.url).host}`,
            text:
              `Hello ${admin.name},\n\nThe webhook ${name} failed ${DISABLE_AFTER_FAILURES} deliveries in a row, so Cerebro switched it off. ` +
              `Events are no longer queued for it.\n\nWebhook id: ${hook.id}\n\n` +
              `Once the receiver works again, re-enable the webhook (PATCH /api/v1/webhooks/${hook.id} with {"active": true}) and ` +
              `catch up on what it missed with POST /api/v1/webhooks/${hook.id}/replay.\n`,
          });
        }
        await db(tx)
          .updateTable('webhooks')
          .set({ disabled_notified_at: deps.clock.now() })
          .where('organization_id', '=', p.organization_id)
          .where('id', '=', p.id)
          .execute();
        return true;
      });
      if (sent) notified++;
    } catch (err) {
      deps.log.warn(
        { err, webhookId: p.id },
        'could not notify admins of a disabled webhook; will retry',
      );
    }
  }
  return notified;
}
