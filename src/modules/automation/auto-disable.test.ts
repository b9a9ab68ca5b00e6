import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { hastenPendingJobs, jobRow, runJobsNamedWithoutBackoff } from '../../../test/jobs.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';
import { startReceiver, type Receiver } from '../../../test/webhook-receiver.js';
import type { Deps } from '../../platform/context/index.js';
import { withSystem } from '../../platform/db/index.js';
import { createJobRunner, type JobTables } from '../../platform/jobs/index.js';
import type { Mailer } from '../../platform/mail/index.js';
import {
  WEBHOOK_DELIVERY_JOB,
  DISABLE_AFTER_FAILURES,
  notifyDisabledWebhooks,
  WEBHOOK_DISABLED_NOTICE_JOB,
  webhookDisabledNoticeJob,
} from './index.js';

describe('switching off a failing webhook', () => {
  let t: TestApp;
  let admin: TestUser;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await createTestApp({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
    admin = await registerOrganization(t.app, 'Flaky');
    receiver = await startReceiver(() => ({ status: 500, body: 'down' }));
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  const api = (u: TestUser = admin) => client(t.app, u.token);

  /** Creates `n` contacts and runs consumers and the worker (no backoff) until nothing is due. */
  async function failDeliveries(n: number): Promise<void> {
    for (let i = 0; i < n; i++)
      expect((await api().post('/api/v1/contacts', { firstName: `Lost ${i}` })).statusCode).toBe(
        201,
      );
    for (let i = 0; i < 20 && (await t.deps.outbox.drain()) > 0; i++);
    await runJobsNamedWithoutBackoff(t.deps, WEBHOOK_DELIVERY_JOB);
  }

  const inbox = async () =>
    (await api().get('/api/v1/mailbox')).json().data as Array<{
      id: string;
      to: string;
      subject: string;
    }>;

  it(`disables the webhook after ${DISABLE_AFTER_FAILURES} failed deliveries in a row, emits webhook.disabled and mails the admins once`, async () => {
    const rep = await addUser(t.app, admin, 'sales_rep');
    const otherAdmin = await addUser(t.app, admin, 'admin');
    const hook = (
      await api().post('/api/v1/webhooks', {
        url: receiver.url,
        eventTypes: ['contact.created'],
        description: 'Warehouse',
      })
    ).json();

    await failDeliveries(DISABLE_AFTER_FAILURES - 1);
    expect((await api().get(`/api/v1/webhooks/${hook.id}`)).json()).toMatchObject({
      active: true,
      consecutiveFailures: DISABLE_AFTER_FAILURES - 1,
      disabledReason: null,
    });
    expect(await notifyDisabledWebhooks(t.deps)).toBe(0);

    await failDeliveries(1);
    const disabled = (await api().get(`/api/v1/webhooks/${hook.id}`)).json();
    expect(disabled).toMatchObject({
      active: false,
      disabledReason: 'failures',
      consecutiveFailures: DISABLE_AFTER_FAILURES,
    });
    expect(disabled.disabledAt).toEqual(expect.any(String));
    const deliveries = (await api().get(`/api/v1/webhooks/${hook.id}/deliveries?limit=200`)).json()
      .data as Array<{ status: string }>;
    expect(deliveries.map((d) => d.status)).toEqual(
      Array<string>(DISABLE_AFTER_FAILURES).fill('failed'),
    );

    const events = await withSystem(t.deps.database.db, (tx) =>
      tx
        .selectFrom('outbox')
        .select(['type', 'payload'])
        .where('aggregate_id', '=', hook.id)
        .execute(),
    );
    expect(events).toEqual([
      {
        type: 'webhook.disabled',
        payload: {
          webhookId: hook.id,
          url: receiver.url,
          reason: 'failures',
          consecutiveFailures: DISABLE_AFTER_FAILURES,
        },
      },
    ]);

    expect(await notifyDisabledWebhooks(t.deps)).toBe(1);
    expect(await notifyDisabledWebhooks(t.deps)).toBe(0);
    const notices = (await inbox()).filter((m) => m.subject.includes('switched off the webhook'));
    expect(notices.map((m) => m.to).sort()).toEqual([admin.email, otherAdmin.email].sort());
    expect(notices.some((m) => m.to === rep.email)).toBe(false);
    const text = (await api().get(`/api/v1/mailbox/${notices[0]?.id ?? ''}`)).json().text as string;
    expect(text).toContain('"Warehouse"');
    expect(text).toContain(hook.id);
    expect(text).not.toContain(hook.secret);

    // A disabled webhook gets no new deliveries, and its waiting ones are not sent.
    const sent = receiver.requests.length;
    await failDeliveries(2);
    expect(receiver.requests.length).toBe(sent);
    expect(
      (await api().get(`/api/v1/webhooks/${hook.id}/deliveries?count=true`)).json().meta.total,
    ).toBe(DISABLE_AFTER_FAILURES);
  });

  it('starts a fresh count when a delivery succeeds or a person re-enables the webhook', async () => {
    const hook = (
      await api().post('/api/v1/webhooks', { url: receiver.url, eventTypes: ['contact.created'] })
    ).json();
    await failDeliveries(3);
    expect((await api().get(`/api/v1/webhooks/${hook.id}`)).json().consecutiveFailures).toBe(3);
    receiver.respond(() => ({ status: 200 }));
    await failDeliveries(1);
    expect((await api().get(`/api/v1/webhooks/${hook.id}`)).json().consecutiveFailures).toBe(0);

    await withSystem(t.deps.database.db, (tx) =>
      tx
        .withTables<{
          webhooks: {
            id: string;
            active: boolean;
            consecutive_failures: number;
            disabled_reason: string | null;
          };
        }>()
        .updateTable('webhooks')
        .set({ active: false, consecutive_failures: 10, disabled_reason: 'failures' })
        .where('id', '=', hook.id)
        .execute(),
    );
    const enabled = await api().patch(`/api/v1/webhooks/${hook.id}`, { active: true });
    expect(enabled.json()).toMatchObject({
      active: true,
      consecutiveFailures: 0,
      disabledReason: null,
      disabledAt: null,
    });
  });

  it('retries the notice while mail is down, then mails the admins once', async () => {
    for (const w of (await api().get('/api/v1/webhooks?limit=200')).json().data as Array<{
      id: string;
    }>)
      await api().delete(`/api/v1/webhooks/${w.id}`);
    receiver.respond(() => ({ status: 500, body: 'down' }));
    const hook = (
      await api().post('/api/v1/webhooks', { url: receiver.url, eventTypes: ['contact.created'] })
    ).json();
    const notices = async () =>
      (await inbox()).filter((m) => m.subject.includes('switched off the webhook'));
    const before = await notices();
    await failDeliveries(DISABLE_AFTER_FAILURES);
    expect((await api().get(`/api/v1/webhooks/${hook.id}`)).json().active).toBe(false);

    // A worker whose mail server refuses: the attempt fails, nothing is marked, the job retries.
    const down: Mailer = {
      ...t.deps.mailer,
      send: () => Promise.reject(new Error('SMTP is down')),
    };
    const worker: Deps = { ...t.deps, mailer: down };
    worker.jobs = createJobRunner(worker, [webhookDisabledNoticeJob]);
    expect(await notifyDisabledWebhooks(worker)).toBe(1);
    const [job] = await withSystem(t.deps.database.db, (tx) =>
      tx
        .withTables<JobTables>()
        .selectFrom('jobs')
        .select('id')
        .where('name', '=', WEBHOOK_DISABLED_NOTICE_JOB)
        .where('organization_id', '=', admin.organizationId)
        .where('key', 'like', `${hook.id}@%`)
        .execute(),
    );
    expect(await jobRow(t.deps, job?.id ?? '')).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: 'SMTP is down',
    });
    expect(await notices()).toHaveLength(before.length);

    // Mail works again: the retry sends the notice once.
    await hastenPendingJobs(t.deps, WEBHOOK_DISABLED_NOTICE_JOB);
    expect(await notifyDisabledWebhooks(t.deps)).toBe(1);
    expect(await notifyDisabledWebhooks(t.deps)).toBe(0);
    const sent = (await notices()).filter((m) => !before.some((b) => b.id === m.id));
    // One to each admin, as the first test's notice went (it added a second admin), none twice.
    expect(sent.map((m) => m.to).sort()).toEqual(before.map((m) => m.to).sort());
    expect(sent.map((m) => m.to)).toContain(admin.email);
    expect(await jobRow(t.deps, job?.id ?? '')).toMatchObject({ status: 'succeeded', attempts: 2 });
  });
});
