import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganization, type TestUser } from '../../../test/factories.js';
import { runJobsNamedWithoutBackoff } from '../../../test/jobs.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { startReceiver, type Receiver } from '../../../test/webhook-receiver.js';
import { withSystem } from '../../platform/db/index.js';
import type { JobTables } from '../../platform/jobs/index.js';
import { deliverDueWebhooks, WEBHOOK_DELIVERY_JOB } from './index.js';

describe('redelivery and replay', () => {
  let t: TestApp;
  let admin: TestUser;
  let other: TestUser;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await createTestApp({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
    admin = await registerOrganization(t.app, 'Replay');
    other = await registerOrganization(t.app, 'Neighbour');
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  const api = (u: TestUser = admin) => client(t.app, u.token);
  /** Runs consumers, then the worker with no backoff until nothing is due. */
  async function pump(): Promise<void> {
    for (let i = 0; i < 20 && (await t.deps.outbox.drain()) > 0; i++);
    await runJobsNamedWithoutBackoff(t.deps, WEBHOOK_DELIVERY_JOB);
  }
  const contact = async (firstName: string, u: TestUser = admin) => {
    const res = await api(u).post('/api/v1/contacts', { firstName });
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>();
  };
  const firstNames = (from = 0) =>
    receiver.requests.slice(from).map((r) => JSON.parse(r.body).data.contact.firstName as string);
  const pause = () => new Promise((r) => setTimeout(r, 20));

  it('redelivers a delivery now, with the same delivery id and one more attempt', async () => {
    receiver.respond(() => ({ status: 200 }));
    const hook = (
      await api().post('/api/v1/webhooks', { url: receiver.url, eventTypes: ['contact.created'] })
    ).json();
    await contact('Twice');
    await pump();
    const [delivery] = (await api().get(`/api/v1/webhooks/${hook.id}/deliveries`)).json().data;
    expect(delivery).toMatchObject({ status: 'delivered', attemptCount: 1 });
    const sent = receiver.requests.length;

    const res = await api().post(`/api/v1/webhook-deliveries/${delivery.id}/redeliver`);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ id: delivery.id, status: 'pending' });
    await pump();
    expect(receiver.requests.length).toBe(sent + 1);
    const again = receiver.requests[sent];
    expect(again?.headers['x-cerebro-delivery']).toBe(delivery.id);
    expect(again?.body).toBe(receiver.requests[sent - 1]?.body);
    expect(
      (await api().get(`/api/v1/webhooks/${hook.id}/deliveries`)).json().data[0],
    ).toMatchObject({ status: 'delivered', attemptCount: 2 });

    // One attempt only: a redelivery that fails again is failed, not retried for hours.
    receiver.respond(() => ({ status: 500 }));
    await api().post(`/api/v1/webhook-deliveries/${delivery.id}/redeliver`);
    await pump();
    expect(receiver.requests.length).toBe(sent + 2);
    expect(
      (await api().get(`/api/v1/webhooks/${hook.id}/deliveries`)).json().data[0],
    ).toMatchObject({ status: 'failed', attemptCount: 3 });

    expect(
      (await api(other).post(`/api/v1/webhook-deliveries/${delivery.id}/redeliver`)).statusCode,
    ).toBe(404);
    await api().patch(`/api/v1/webhooks/${hook.id}`, { active: false });
    const inactive = await api().post(`/api/v1/webhook-deliveries/${delivery.id}/redeliver`);
    expect(inactive.statusCode).toBe(422);
    expect(errorOf(inactive).code).toBe('AUTOMATION_WEBHOOK_INACTIVE');
  });

  it('redelivering a delivery that waits for its retry runs that retry now, not a second one', async () => {
    receiver.respond((_req, n) => (n === 0 ? { status: 503 } : { status: 200 }));
    const hook = (
      await api().post('/api/v1/webhooks', { url: receiver.url, eventTypes: ['contact.created'] })
    ).json();
    await contact('Waiting');
    for (let i = 0; i < 20 && (await t.deps.outbox.drain()) > 0; i++);
    const sent = receiver.requests.length;
    receiver.respond((_req, n) => (n === sent ? { status: 503 } : { status: 200 }));
    expect(await deliverDueWebhooks(t.deps)).toBe(1);
    // Its retry waits in the backoff: push it far out, as after many failures.
    await withSystem(t.deps.database.db, (tx) =>
      tx
        .withTables<JobTables>()
        .updateTable('jobs')
        .set({ run_at: new Date(Date.now() + 3_600_000) })
        .where('name', '=', WEBHOOK_DELIVERY_JOB)
        .where('status', '=', 'pending')
        .execute(),
    );
    const [waiting] = (await api().get(`/api/v1/webhooks/${hook.id}/deliveries`)).json().data;
    expect(waiting).toMatchObject({ status: 'pending', attemptCount: 1 });
    expect(Date.parse(waiting.nextAttemptAt)).toBeGreaterThan(Date.now() + 3_000_000);

    const res = await api().post(`/api/v1/webhook-deliveries/${waiting.id}/redeliver`);
    expect(res.statusCode, res.body).toBe(202);
    expect(Date.parse(res.json().nextAttemptAt)).toBeLessThanOrEqual(Date.now());
    // Due now without any help, and only the one job: one request.
    expect(await deliverDueWebhooks(t.deps)).toBe(1);
    expect(await deliverDueWebhooks(t.deps)).toBe(0);
    expect(receiver.requests.length).toBe(sent + 2);
    expect(
      (await api().get(`/api/v1/webhooks/${hook.id}/deliveries`)).json().data[0],
    ).toMatchObject({ status: 'delivered', attemptCount: 2 });
    await api().delete(`/api/v1/webhooks/${hook.id}`);
  });

  it("replays what an outage lost, skipping what was delivered and other organizations' events", async () => {
    receiver.respond(() => ({ status: 200 }));
    await pause();
    const beginning = new Date();
    const before = await contact('Before webhook');
    await pause();
    const hook = (
      await api().post('/api/v1/webhooks', { url: receiver.url, eventTypes: ['contact.*'] })
    ).json();
    await contact('Delivered');
    await pump();
    const start = receiver.requests.length;
    expect(firstNames(start - 1)).toEqual(['Delivered']);

    // The receiver goes down: connections are refused until every attempt is spent.
    await pause();
    const outageStart = new Date();
    await receiver.stop();
    await contact('Lost 1');
    await contact('Lost 2');
    await contact('Theirs', other);
    await pump();
    const lost = (await api().get(`/api/v1/webhooks/${hook.id}/deliveries`))
      .json()
      .data.filter((d: { status: string }) => d.status === 'failed');
    expect(lost).toHaveLength(2);
    expect(lost[0].attempts[0].error).toBe('connection refused');

    await receiver.start();
    const res = await api().post(`/api/v1/webhooks/${hook.id}/replay`, {
      since: outageStart.toISOString(),
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toEqual({ enqueued: 2, skipped: 0, more: false, resumeFrom: null });
    await pump();
    expect(firstNames(start).sort()).toEqual(['Lost 1', 'Lost 2']);
    const eventIds = receiver.requests.slice(start).map((r) => JSON.parse(r.body).id as string);
    expect(eventIds.sort()).toEqual(lost.map((d: { eventId: string }) => d.eventId).sort());

    // From the beginning: the event before the webhook existed is new, the others were delivered.
    const all = await api().post(`/api/v1/webhooks/${hook.id}/replay`, {
      since: beginning.toISOString(),
    });
    expect(all.json()).toMatchObject({ enqueued: 1, skipped: 3 });
    await pump();
    expect(firstNames(start + 2)).toEqual(['Before webhook']);
    expect(JSON.parse(receiver.requests[start + 2]?.body ?? '{}').data.contact.id).toBe(before.id);
    expect(
      receiver.requests.every((r) => JSON.parse(r.body).organizationId === admin.organizationId),
    ).toBe(true);
  });

  it('refuses a replay from the future or without a date, naming since', async () => {
    const hook = (
      await api().post('/api/v1/webhooks', { url: receiver.url, eventTypes: ['*'] })
    ).json();
    for (const body of [
      { since: new Date(Date.now() + 3_600_000).toISOString() },
      { since: 'yesterday' },
      {},
    ]) {
      const res = await api().post(`/api/v1/webhooks/${hook.id}/replay`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(errorOf(res).details?.map((d) => d.path)).toEqual(['since']);
    }
  });
});
