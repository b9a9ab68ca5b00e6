import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganization } from '../../../test/factories.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';
import { startReceiver, type Receiver } from '../../../test/webhook-receiver.js';
import { withSystem } from '../../platform/db/index.js';
import { deliverDueWebhooks, DELIVERY_RETENTION_DAYS, purgeOldDeliveries } from './index.js';
import type { AutomationTables } from './schema.js';

describe('delivery retention', () => {
  let t: TestApp;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await createTestApp({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  it(`deletes finished deliveries older than ${DELIVERY_RETENTION_DAYS} days with their attempts, never pending ones`, async () => {
    const admin = await registerOrganization(t.app, 'Retention');
    const api = client(t.app, admin.token);
    await api.post('/api/v1/webhooks', { url: receiver.url, eventTypes: ['contact.created'] });
    for (const firstName of ['Old delivered', 'Old pending', 'Recent delivered'])
      await api.post('/api/v1/contacts', { firstName });
    for (let i = 0; i < 20 && (await t.deps.outbox.drain()) > 0; i++);
    await deliverDueWebhooks(t.deps);

    const old = new Date(Date.now() - (DELIVERY_RETENTION_DAYS + 1) * 86_400_000);
    const rows = await withSystem(t.deps.database.db, async (tx) => {
      const d = tx.withTables<AutomationTables>();
      const all = await d
        .selectFrom('webhook_deliveries')
        .select(['id', 'body'])
        .where('organization_id', '=', admin.organizationId)
        .execute();
      const byName = (name: string) => all.find((r) => r.body.includes(name))?.id ?? '';
      await d
        .updateTable('webhook_deliveries')
        .set({ created_at: old })
        .where('id', 'in', [byName('Old delivered'), byName('Old pending')])
        .execute();
      await d
        .updateTable('webhook_deliveries')
        .set({ status: 'pending' })
        .where('id', '=', byName('Old pending'))
        .execute();
      return {
        oldDelivered: byName('Old delivered'),
        oldPending: byName('Old pending'),
        recent: byName('Recent delivered'),
      };
    });

    expect(await purgeOldDeliveries(t.deps)).toBe(1);
    const left = await withSystem(t.deps.database.db, async (tx) => {
      const d = tx.withTables<AutomationTables>();
      return {
        deliveries: (
          await d
            .selectFrom('webhook_deliveries')
            .select('id')
            .where('organization_id', '=', admin.organizationId)
            .execute()
        )
          .map((r) => r.id)
          .sort(),
        attempts: (
          await d
            .selectFrom('webhook_attempts')
            .select('delivery_id')
            .where('delivery_id', '=', rows.oldDelivered)
            .execute()
        ).length,
      };
    });
    expect(left.deliveries).toEqual([rows.oldPending, rows.recent].sort());
    expect(left.attempts).toBe(0);
  });
});
