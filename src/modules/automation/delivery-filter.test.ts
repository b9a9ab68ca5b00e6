import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { runJobsNamedWithoutBackoff } from '../../../test/jobs.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { startReceiver, type Receiver } from '../../../test/webhook-receiver.js';
import { DELIVERY_MAX_ATTEMPTS, WEBHOOK_DELIVERY_JOB } from './index.js';

const FOREIGN_ID = '0190a000-0000-7000-8000-0000000000ff';

describe('GET /webhooks/{id}/deliveries?filter[status]=…', () => {
  let t: TestApp;
  let admin: TestUser;
  let receiver: Receiver;
  let hookId: string;

  beforeAll(async () => {
    t = await createTestApp({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
    admin = await registerOrganization(t.app, 'Filters');
    // The receiver refuses every delivery about "Broken" and takes the rest.
    receiver = await startReceiver((req) =>
      req.body.includes('Broken') ? { status: 500, body: 'nope' } : { status: 200, body: 'ok' },
    );
    const hook = await client(t.app, admin.token).post('/api/v1/webhooks', {
      url: receiver.url,
      eventTypes: ['contact.created'],
    });
    expect(hook.statusCode, hook.body).toBe(201);
    hookId = hook.json<{ id: string }>().id;
    // Drained one by one: deliveries list newest first, and a batch of events may be handed out of
    // order when the app's own dispatcher drains alongside the test.
    for (const lastName of ['Fine', 'Broken', 'Also fine']) {
      await client(t.app, admin.token).post('/api/v1/contacts', { firstName: 'Ada', lastName });
      for (let i = 0; i < 20 && (await t.deps.outbox.drain()) > 0; i++);
    }
    // No backoff: the broken delivery runs out of attempts and ends failed.
    await runJobsNamedWithoutBackoff(t.deps, WEBHOOK_DELIVERY_JOB);
    // One more that the worker has not sent yet stays pending.
    await client(t.app, admin.token).post('/api/v1/contacts', {
      firstName: 'Ada',
      lastName: 'Waiting',
    });
    for (let i = 0; i < 20 && (await t.deps.outbox.drain()) > 0; i++);
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  const list = (query: string, u: TestUser = admin) =>
    client(t.app, u.token).get(`/api/v1/webhooks/${hookId}/deliveries?${query}`);
  const lastNames = (body: {
    data: Array<{ payload: { data: { contact: { lastName: string } } } }>;
  }) => body.data.map((d) => d.payload.data.contact.lastName);

  it('answers only the deliveries in the asked status, counted under the same filter', async () => {
    const failed = await list('filter[status]=failed&count=true');
    expect(failed.statusCode, failed.body).toBe(200);
    expect(lastNames(failed.json())).toEqual(['Broken']);
    expect(failed.json().meta.total).toBe(1);
    expect(failed.json().data[0]).toMatchObject({
      status: 'failed',
      lastStatusCode: 500,
      attemptCount: DELIVERY_MAX_ATTEMPTS,
    });

    const delivered = (await list('filter[status]=delivered&count=true')).json();
    expect(lastNames(delivered)).toEqual(['Also fine', 'Fine']);
    expect(delivered.meta.total).toBe(2);
    expect(lastNames((await list('filter[status]=pending')).json())).toEqual(['Waiting']);
    expect((await list('count=true')).json().meta.total).toBe(4);
  });

  it('pages within the filter', async () => {
    const first = (await list('filter[status]=delivered&limit=1')).json();
    expect(lastNames(first)).toEqual(['Also fine']);
    const second = (
      await list(`filter[status]=delivered&limit=1&cursor=${first.meta.nextCursor}`)
    ).json();
    expect(lastNames(second)).toEqual(['Fine']);
    expect(second.meta.nextCursor).toBeNull();
  });

  it('rejects an unknown status naming the parameter', async () => {
    const res = await list('filter[status]=lost');
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).details?.map((d) => d.path)).toContain('filter[status]');
  });

  it('answers 401 without a token, 404 for another organization, 403 without webhooks:read', async () => {
    expect(
      (await client(t.app).get(`/api/v1/webhooks/${hookId}/deliveries?filter[status]=failed`))
        .statusCode,
    ).toBe(401);
    const other = await registerOrganization(t.app, 'Other');
    for (const res of [
      await list('filter[status]=failed', other),
      await client(t.app, admin.token).get(
        `/api/v1/webhooks/${FOREIGN_ID}/deliveries?filter[status]=failed`,
      ),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(errorOf(res).code).toBe('NOT_FOUND');
    }
    const rep = await addUser(t.app, admin, 'sales_rep');
    const forbidden = await list('filter[status]=failed', rep);
    expect(forbidden.statusCode).toBe(403);
    expect(errorOf(forbidden).code).toBe('FORBIDDEN');
  });
});
