import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';
import {
  startReceiver,
  type Receiver,
  type ReceivedRequest,
} from '../../../test/webhook-receiver.js';
import type { Deps } from '../../platform/context/index.js';
import { withSystem } from '../../platform/db/index.js';
import { deliverDueWebhooks } from './index.js';

/** What a receiver does with nothing but the secret: recompute the HMAC over "t.body", compare in constant time. */
function receiverAccepts(secret: string, req: ReceivedRequest): boolean {
  const header = String(req.headers['x-cerebro-signature'] ?? '');
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match?.[1] || !match[2]) return false;
  if (Math.abs(Date.now() / 1000 - Number(match[1])) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${req.body}`).digest();
  return timingSafeEqual(expected, Buffer.from(match[2], 'hex'));
}

/** Runs the event consumers until the outbox is empty. */
async function drainEvents(t: TestApp): Promise<void> {
  for (let i = 0; i < 20 && (await t.deps.outbox.drain()) > 0; i++);
}

/** Runs the delivery worker with no backoff until nothing is due (or `rounds` runs). */
async function deliverAll(deps: Deps, rounds = 50): Promise<number> {
  let attempts = 0;
  for (let i = 0; i < rounds; i++) {
    const n = await deliverDueWebhooks(deps, { retryBaseMs: 0 });
    if (n === 0) break;
    attempts += n;
  }
  return attempts;
}

describe('webhook deliveries', () => {
  let t: TestApp;
  let admin: TestUser;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await createTestApp({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
    admin = await registerOrganization(t.app, 'Deliveries');
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });
  afterEach(async () => {
    // Each test starts with no subscription left over and a receiver that says 200.
    const api = client(t.app, admin.token);
    for (const w of (await api.get('/api/v1/webhooks?limit=200')).json().data as Array<{
      id: string;
    }>)
      await api.delete(`/api/v1/webhooks/${w.id}`);
    receiver.respond(() => ({ status: 200, body: 'ok' }));
    receiver.requests.length = 0;
  });

  const api = () => client(t.app, admin.token);
  const subscribe = async (eventTypes: string[], url = receiver.url) => {
    const res = await api().post('/api/v1/webhooks', { url, eventTypes });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; secret: string }>();
  };
  const deliveries = async (webhookId: string) =>
    (await api().get(`/api/v1/webhooks/${webhookId}/deliveries`)).json().data as Array<
      Record<string, unknown> & {
        id: string;
        status: string;
        attempts: Array<Record<string, unknown>>;
      }
    >;

  it('POSTs the API.md payload, signed so the receiver can verify it with only the secret', async () => {
    const hook = await subscribe(['contact.created']);
    const contact = (
      await api().post('/api/v1/contacts', { firstName: 'Ada', lastName: 'Lovelace' })
    ).json();
    await drainEvents(t);
    expect(await deliverAll(t.deps)).toBe(1);

    expect(receiver.requests).toHaveLength(1);
    const req = receiver.requests[0] as ReceivedRequest;
    expect(req.method).toBe('POST');
    expect(req.headers['content-type']).toBe('application/json');
    expect(receiverAccepts(hook.secret, req)).toBe(true);
    expect(receiverAccepts('whsec_not-the-secret', req)).toBe(false);
    expect(receiverAccepts(hook.secret, { ...req, body: req.body.replace('Ada', 'Eve') })).toBe(
      false,
    );

    const event = await withSystem(t.deps.database.db, (tx) =>
      tx
        .selectFrom('outbox')
        .select(['id', 'occurred_at'])
        .where('aggregate_id', '=', contact.id)
        .where('type', '=', 'contact.created')
        .executeTakeFirstOrThrow(),
    );
    const body = JSON.parse(req.body);
    expect(Object.keys(body)).toEqual(['id', 'type', 'occurredAt', 'organizationId', 'data']);
    expect(body).toMatchObject({
      id: event.id,
      type: 'contact.created',
      occurredAt: event.occurred_at.toISOString(),
      organizationId: admin.organizationId,
    });
    expect(body.data.contact).toMatchObject({
      id: contact.id,
      firstName: 'Ada',
      lastName: 'Lovelace',
    });

    const [delivery] = await deliveries(hook.id);
    expect(req.headers['x-cerebro-event']).toBe('contact.created');
    expect(req.headers['x-cerebro-delivery']).toBe(delivery?.id);
    expect(delivery).toMatchObject({
      status: 'delivered',
      eventId: event.id,
      eventType: 'contact.created',
      attemptCount: 1,
      lastStatusCode: 200,
      nextAttemptAt: null,
    });
    expect(delivery?.attempts).toEqual([
      {
        number: 1,
        startedAt: expect.any(String),
        durationMs: expect.any(Number),
        statusCode: 200,
        responseBody: 'ok',
        error: null,
      },
    ]);
  });

  it('sends each subscription only the event types its patterns match', async () => {
    const all = await startReceiver();
    const companies = await startReceiver();
    const created = await startReceiver();
    try {
      await subscribe(['*'], all.url);
      await subscribe(['company.*'], companies.url);
      await subscribe(['contact.created'], created.url);
      const contact = (await api().post('/api/v1/contacts', { firstName: 'Grace' })).json();
      await api().patch(`/api/v1/contacts/${contact.id}`, { title: 'Admiral' });
      const company = (await api().post('/api/v1/companies', { name: 'Acme' })).json();
      await api().patch(`/api/v1/companies/${company.id}`, { industry: 'Anvils' });
      await drainEvents(t);
      await deliverAll(t.deps);
      const types = (r: Receiver) =>
        r.requests.map((q) => JSON.parse(q.body).type as string).sort();
      expect(types(all)).toEqual([
        'company.created',
        'company.updated',
        'contact.created',
        'contact.updated',
      ]);
      expect(types(companies)).toEqual(['company.created', 'company.updated']);
      expect(types(created)).toEqual(['contact.created']);
    } finally {
      await Promise.all([all.close(), companies.close(), created.close()]);
    }
  });

  it('retries a failing receiver with the same delivery id until it answers 2xx', async () => {
    receiver.respond((_req, n) => (n < 2 ? { status: 500, body: `boom ${n}` } : { status: 204 }));
    const hook = await subscribe(['contact.created']);
    await api().post('/api/v1/contacts', { firstName: 'Retry' });
    await drainEvents(t);
    expect(await deliverAll(t.deps)).toBe(3);

    expect(receiver.requests).toHaveLength(3);
    const ids = new Set(receiver.requests.map((r) => r.headers['x-cerebro-delivery']));
    expect(ids.size).toBe(1);
    expect(new Set(receiver.requests.map((r) => r.body)).size).toBe(1);
    expect(receiver.requests.every((r) => receiverAccepts(hook.secret, r))).toBe(true);
    const [delivery] = await deliveries(hook.id);
    expect(delivery?.id).toBe([...ids][0]);
    expect(delivery).toMatchObject({
      status: 'delivered',
      attemptCount: 3,
      lastStatusCode: 204,
      lastError: null,
    });
    expect(
      delivery?.attempts.map((a) => [a.number, a.statusCode, a.responseBody, a.error]),
    ).toEqual([
      [1, 500, 'boom 0', 'the receiver answered 500'],
      [2, 500, 'boom 1', 'the receiver answered 500'],
      [3, 204, '', null],
    ]);
  });

  it('waits out the backoff between attempts and gives up as failed after the last one', async () => {
    receiver.respond(() => ({ status: 503, body: 'x'.repeat(5000) }));
    const hook = await subscribe(['contact.created']);
    await api().post('/api/v1/contacts', { firstName: 'Backoff' });
    await drainEvents(t);

    // With the production schedule the first retry waits 10 s ± 20 %: nothing is due right after.
    const before = Date.now();
    expect(await deliverDueWebhooks(t.deps)).toBe(1);
    expect(await deliverDueWebhooks(t.deps)).toBe(0);
    const [waiting] = await deliveries(hook.id);
    const wait = Date.parse(String(waiting?.nextAttemptAt)) - before;
    expect(wait).toBeGreaterThanOrEqual(7_900);
    expect(wait).toBeLessThanOrEqual(12_500);
    expect(waiting?.attempts[0]?.responseBody).toHaveLength(2048);

    // Moved up, the remaining six attempts run; then the delivery is failed and left alone.
    await withSystem(t.deps.database.db, (tx) =>
      tx
        .withTables<{ webhook_deliveries: { id: string; next_attempt_at: Date } }>()
        .updateTable('webhook_deliveries')
        .set({ next_attempt_at: new Date() })
        .where('id', '=', waiting?.id ?? '')
        .execute(),
    );
    expect(await deliverAll(t.deps)).toBe(6);
    expect(await deliverAll(t.deps)).toBe(0);
    const [failed] = await deliveries(hook.id);
    expect(failed).toMatchObject({
      status: 'failed',
      attemptCount: 7,
      nextAttemptAt: null,
      lastStatusCode: 503,
    });
    expect(receiver.requests).toHaveLength(7);
    expect((await api().get(`/api/v1/webhooks/${hook.id}`)).json()).toMatchObject({
      active: true,
      consecutiveFailures: 1,
    });
  });

  it('never sends one attempt twice when two workers run at once', async () => {
    receiver.respond(() => ({ status: 200, delayMs: 300 }));
    const hook = await subscribe(['contact.created']);
    await api().post('/api/v1/contacts', { firstName: 'Once' });
    await drainEvents(t);
    const [a, b] = await Promise.all([
      deliverDueWebhooks(t.deps, { retryBaseMs: 0 }),
      deliverDueWebhooks(t.deps, { retryBaseMs: 0 }),
    ]);
    expect((a ?? 0) + (b ?? 0)).toBe(1);
    expect(receiver.requests).toHaveLength(1);
    expect((await deliveries(hook.id))[0]).toMatchObject({ status: 'delivered', attemptCount: 1 });
  });

  it('does not follow redirects: a 3xx is a failed attempt', async () => {
    const elsewhere = await startReceiver();
    try {
      receiver.respond(() => ({ status: 307, headers: { location: elsewhere.url } }));
      const hook = await subscribe(['contact.created']);
      await api().post('/api/v1/contacts', { firstName: 'Moved' });
      await drainEvents(t);
      await deliverDueWebhooks(t.deps, { retryBaseMs: 60_000 });
      expect(elsewhere.requests).toEqual([]);
      expect((await deliveries(hook.id))[0]).toMatchObject({
        status: 'pending',
        lastStatusCode: 307,
        lastError: 'the receiver answered 307',
      });
    } finally {
      await elsewhere.close();
    }
  });

  it('re-checks the address at delivery time and refuses one that became private', async () => {
    const hook = await subscribe(['contact.created']);
    await api().post('/api/v1/contacts', { firstName: 'Rebind' });
    await drainEvents(t);
    // The operator took 127.0.0.1 off the allow-list after the webhook was saved.
    const strict: Deps = { ...t.deps, config: { ...t.deps.config, outboundAllowHosts: [] } };
    expect(await deliverDueWebhooks(strict, { retryBaseMs: 0 })).toBe(1);
    expect(receiver.requests).toEqual([]);
    const [refused] = await deliveries(hook.id);
    expect(refused).toMatchObject({ status: 'pending', lastStatusCode: null });
    expect(refused?.attempts[0]?.error).toMatch(
      /^refused: host 127\.0\.0\.1 resolves to a loopback, private or link-local address/,
    );

    // A name that passed when saved but now resolves to loopback is refused the same way.
    await withSystem(t.deps.database.db, (tx) =>
      tx
        .withTables<{ webhooks: { id: string; url: string } }>()
        .updateTable('webhooks')
        .set({ url: `http://localhost:${receiver.port}/hook` })
        .where('id', '=', hook.id)
        .execute(),
    );
    expect(await deliverDueWebhooks(t.deps, { retryBaseMs: 0 })).toBe(1);
    expect(receiver.requests).toEqual([]);
    expect((await deliveries(hook.id))[0]?.attempts[1]?.error).toMatch(
      /^refused: host localhost resolves to a loopback/,
    );
  });

  it("keeps each organization's events to its own subscriptions", async () => {
    const otherAdmin = await registerOrganization(t.app, 'Other');
    const theirs = await startReceiver();
    try {
      await subscribe(['*']);
      const res = await client(t.app, otherAdmin.token).post('/api/v1/webhooks', {
        url: theirs.url,
        eventTypes: ['*'],
      });
      expect(res.statusCode).toBe(201);
      await api().post('/api/v1/contacts', { firstName: 'Mine' });
      await drainEvents(t);
      await deliverAll(t.deps);
      expect(receiver.requests.map((r) => JSON.parse(r.body).organizationId)).toEqual([
        admin.organizationId,
      ]);
      expect(theirs.requests).toEqual([]);
      await client(t.app, otherAdmin.token).post('/api/v1/contacts', { firstName: 'Theirs' });
      await drainEvents(t);
      await deliverAll(t.deps);
      expect(theirs.requests.map((r) => JSON.parse(r.body).organizationId)).toEqual([
        otherAdmin.organizationId,
      ]);
      expect(receiver.requests).toHaveLength(1);
    } finally {
      await theirs.close();
    }
  });
});
