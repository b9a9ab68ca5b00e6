import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';
import {
  startReceiver,
  type Receiver,
  type ReceivedRequest,
} from '../../../test/webhook-receiver.js';
import {
  hastenPendingJobs,
  jobRow,
  manualClock,
  runJobsNamedWithoutBackoff,
} from '../../../test/jobs.js';
import type { Deps } from '../../platform/context/index.js';
import { withSystem } from '../../platform/db/index.js';
import {
  createJobRunner,
  DEFAULT_RETRY_BASE_MS,
  type JobTables,
} from '../../platform/jobs/index.js';
import {
  DELIVERY_MAX_ATTEMPTS,
  deliverDueWebhooks,
  WEBHOOK_DELIVERY_JOB,
  webhookDeliveryJob,
} from './index.js';

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

/** Runs the delivery jobs, retries brought forward, until nothing is left to run; answers the attempts. */
const deliverAll = (deps: Deps): Promise<number> =>
  runJobsNamedWithoutBackoff(deps, WEBHOOK_DELIVERY_JOB);

/** Deps whose job runner (of delivery jobs only) reads `changes` instead: another worker. */
function workerWith(deps: Deps, changes: Partial<Deps>): Deps {
  const other: Deps = { ...deps, ...changes };
  other.jobs = createJobRunner(other, [webhookDeliveryJob]);
  return other;
}

/** The ids of the delivery jobs in one status. */
const deliveryJobs = (t: TestApp, status: string) =>
  withSystem(t.deps.database.db, (tx) =>
    tx
      .withTables<JobTables>()
      .selectFrom('jobs')
      .select(['id', 'organization_id'])
      .where('name', '=', WEBHOOK_DELIVERY_JOB)
      .where('status', '=', status as 'pending')
      .execute(),
  );

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
    // Jobs left of the deleted webhooks' deliveries find nothing to send and finish.
    await deliverAll(t.deps);
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

  it("waits out the jobs' backoff between attempts, then fails the delivery and dead-letters its job", async () => {
    receiver.respond(() => ({ status: 503, body: 'x'.repeat(5000) }));
    const hook = await subscribe(['contact.created']);
    await api().post('/api/v1/contacts', { firstName: 'Backoff' });
    await drainEvents(t);

    // The platform's one backoff: the retry after the first failure falls in the first window.
    const clock = manualClock();
    const worker = workerWith(t.deps, { clock });
    expect(await deliverDueWebhooks(worker)).toBe(1);
    const [waiting] = await deliveries(hook.id);
    expect(waiting).toMatchObject({ status: 'pending', attemptCount: 1, lastStatusCode: 503 });
    expect(waiting?.attempts[0]?.responseBody).toHaveLength(2048);
    const nextAt = Date.parse(String(waiting?.nextAttemptAt));
    expect(nextAt - clock.at.getTime()).toBeGreaterThanOrEqual(0);
    expect(nextAt - clock.at.getTime()).toBeLessThanOrEqual(DEFAULT_RETRY_BASE_MS);
    // Not a moment before its time, and at its time.
    clock.at = new Date(nextAt - 1);
    expect(await deliverDueWebhooks(worker)).toBe(0);
    clock.at = new Date(nextAt);
    expect(await deliverDueWebhooks(worker)).toBe(1);
    expect(receiver.requests).toHaveLength(2);

    // The remaining attempts run; then the delivery is failed and left alone.
    expect(await deliverAll(t.deps)).toBe(DELIVERY_MAX_ATTEMPTS - 2);
    expect(await deliverAll(t.deps)).toBe(0);
    const [failed] = await deliveries(hook.id);
    expect(failed).toMatchObject({
      status: 'failed',
      attemptCount: DELIVERY_MAX_ATTEMPTS,
      nextAttemptAt: null,
      lastStatusCode: 503,
    });
    expect(receiver.requests).toHaveLength(DELIVERY_MAX_ATTEMPTS);
    expect((await api().get(`/api/v1/webhooks/${hook.id}`)).json()).toMatchObject({
      active: true,
      consecutiveFailures: 1,
    });
    const dead = (
      await api().get(`/api/v1/jobs?filter[status]=failed&filter[name]=${WEBHOOK_DELIVERY_JOB}`)
    ).json().data as Array<Record<string, unknown>>;
    expect(dead).toEqual([
      expect.objectContaining({
        payload: { deliveryId: failed?.id },
        attempts: DELIVERY_MAX_ATTEMPTS,
        maxAttempts: DELIVERY_MAX_ATTEMPTS,
        lastError: 'WebhookDeliveryFailed: the receiver answered 503',
      }),
    ]);
    await api().post(`/api/v1/jobs/${String(dead[0]?.id)}/discard`);
  });

  it('a receiver that stays down: dead-lettered on the failed-jobs page, retried from it, delivered once', async () => {
    receiver.respond(() => ({ status: 500, body: 'down' }));
    const hook = await subscribe(['contact.created']);
    await api().post('/api/v1/contacts', { firstName: 'Outage' });
    await drainEvents(t);
    expect(await deliverAll(t.deps)).toBe(DELIVERY_MAX_ATTEMPTS);
    const [failed] = await deliveries(hook.id);
    expect(failed).toMatchObject({ status: 'failed', attemptCount: DELIVERY_MAX_ATTEMPTS });
    const dead = (
      await api().get(`/api/v1/jobs?filter[status]=failed&filter[name]=${WEBHOOK_DELIVERY_JOB}`)
    ).json().data as Array<{ id: string; payload: unknown }>;
    expect(dead.map((j) => j.payload)).toEqual([{ deliveryId: failed?.id }]);

    // The receiver is back; an admin retries the dead job from the failed-jobs page.
    receiver.respond(() => ({ status: 200, body: 'back' }));
    const sent = receiver.requests.length;
    const jobId = dead[0]?.id ?? '';
    const retried = await api().post(`/api/v1/jobs/${jobId}/retry`);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(await deliverAll(t.deps)).toBe(1);
    expect(await deliverAll(t.deps)).toBe(0);
    expect(receiver.requests).toHaveLength(sent + 1);
    expect(receiver.requests[sent]?.headers['x-cerebro-delivery']).toBe(failed?.id);
    expect((await deliveries(hook.id))[0]).toMatchObject({
      status: 'delivered',
      attemptCount: DELIVERY_MAX_ATTEMPTS + 1,
      lastStatusCode: 200,
      lastError: null,
    });
    expect((await jobRow(t.deps, jobId)).status).toBe('succeeded');
    expect((await api().get(`/api/v1/webhooks/${hook.id}`)).json().consecutiveFailures).toBe(0);
  });

  it('never sends one attempt twice when two workers run at once', async () => {
    receiver.respond(() => ({ status: 200, delayMs: 300 }));
    const hook = await subscribe(['contact.created']);
    await api().post('/api/v1/contacts', { firstName: 'Once' });
    await drainEvents(t);
    const [job] = await deliveryJobs(t, 'pending');
    if (!job) throw new Error('no delivery job was queued');
    const other = workerWith(t.deps, {});
    const ran = await Promise.all([
      t.deps.jobs.runOne(job.id, job.organization_id),
      other.jobs.runOne(job.id, job.organization_id),
    ]);
    expect(ran.filter(Boolean)).toHaveLength(1);
    expect(receiver.requests).toHaveLength(1);
    expect((await deliveries(hook.id))[0]).toMatchObject({ status: 'delivered', attemptCount: 1 });
  });

  it('holds the deliveries of a disabled webhook, spending no attempt, and sends them once it is enabled', async () => {
    const hook = await subscribe(['contact.created']);
    await api().post('/api/v1/contacts', { firstName: 'Held' });
    await drainEvents(t);
    await api().patch(`/api/v1/webhooks/${hook.id}`, { active: false });
    expect(await deliverAll(t.deps)).toBe(1);
    expect(receiver.requests).toEqual([]);
    expect((await deliveries(hook.id))[0]).toMatchObject({
      status: 'pending',
      attemptCount: 0,
      nextAttemptAt: null,
    });
    expect(await deliverAll(t.deps)).toBe(0);

    await api().patch(`/api/v1/webhooks/${hook.id}`, { active: true });
    expect(await deliverAll(t.deps)).toBe(1);
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
      await deliverDueWebhooks(t.deps);
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
    const strict = workerWith(t.deps, {
      config: { ...t.deps.config, outboundAllowHosts: [] },
    });
    expect(await deliverDueWebhooks(strict)).toBe(1);
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
    expect(await hastenPendingJobs(t.deps, WEBHOOK_DELIVERY_JOB)).toBe(1);
    expect(await deliverDueWebhooks(t.deps)).toBe(1);
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
