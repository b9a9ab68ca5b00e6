import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { withSystem } from '../../platform/db/index.js';

const MISSING = '0190a000-0000-7000-8000-000000000001';

describe('tickets API', () => {
  let t: TestApp;
  let admin: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Support');
    other = await registerOrganization(t.app, 'Elsewhere');
  });
  afterAll(() => t.close());

  const api = (u: TestUser = admin) => client(t.app, u.token);
  const stored = (id: string) =>
    withSystem(t.deps.database.db, async (tx) => ({
      audit: await tx
        .selectFrom('audit_log')
        .select(['action', 'actor_id'])
        .where('target_id', '=', id)
        .orderBy('seq')
        .execute(),
      events: await tx
        .selectFrom('outbox')
        .select(['type', 'payload'])
        .where('aggregate_id', '=', id)
        .orderBy('position')
        .execute(),
    }));
  const create = async (body: Record<string, unknown>, u: TestUser = admin) => {
    const res = await api(u).post('/api/v1/tickets', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };

  it("opens a ticket with the next number, defaults, the contact's company, an audit entry and events", async () => {
    const acme = (
      await api().post('/api/v1/companies', { name: 'Acme', domain: 'acme.example' })
    ).json();
    const ada = (
      await api().post('/api/v1/contacts', {
        firstName: 'Ada',
        email: 'ada@acme.example',
        companyId: acme.id,
      })
    ).json();
    const first = await create({
      subject: '  Printer on fire ',
      contactId: ada.id,
      tags: ['hardware', 'hardware', ' urgent '],
    });
    expect(first).toMatchObject({
      number: 1,
      subject: 'Printer on fire',
      status: 'new',
      priority: 'normal',
      channel: 'web',
      contactId: ada.id,
      companyId: acme.id,
      ownerId: admin.userId,
      teamId: null,
      tags: ['hardware', 'urgent'],
      customFields: {},
      solvedAt: null,
      closedAt: null,
      firstResponseAt: null,
      version: 1,
    });
    const second = await create({
      subject: 'Second',
      priority: 'urgent',
      channel: 'phone',
      companyId: null,
      contactId: ada.id,
    });
    expect(second).toMatchObject({
      number: 2,
      priority: 'urgent',
      channel: 'phone',
      companyId: null,
    });
    const { audit, events } = await stored(first.id);
    expect(audit).toEqual([{ action: 'ticket.created', actor_id: admin.userId }]);
    expect(events.map((e) => e.type)).toEqual(['ticket.created', 'ticket.assigned']);
    expect(events[0]?.payload).toMatchObject({ ticket: { id: first.id, number: 1 } });
    expect(events[1]?.payload).toMatchObject({
      ticketId: first.id,
      number: 1,
      ownerId: admin.userId,
      previousOwnerId: null,
      assignedBy: admin.userId,
    });
    expect((await api().get(`/api/v1/tickets/${first.id}`)).json()).toEqual(first);
    // Another organization counts from 1 on its own.
    expect((await create({ subject: 'Theirs' }, other)).number).toBe(1);
  });

  it('rejects bad input with 400 (unknown links with 422) naming the field, and changes nothing', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{}, 'subject'],
      [{ subject: '   ' }, 'subject'],
      [{ subject: 'x'.repeat(301) }, 'subject'],
      [{ subject: 'A', status: 'done' }, 'status'],
      [{ subject: 'A', priority: 'p1' }, 'priority'],
      [{ subject: 'A', channel: 'fax' }, 'channel'],
      [{ subject: 'A', contactId: 'nope' }, 'contactId'],
      [{ subject: 'A', tags: [''] }, 'tags.0'],
      [{ subject: 'A', customFields: { nope: 1 } }, 'customFields.nope'],
      [{ subject: 'A', number: 7 }, 'number'],
      [{ subject: 'A', firstResponseAt: new Date().toISOString() }, 'firstResponseAt'],
    ];
    const before = (await api().get('/api/v1/tickets?count=true')).json().meta.total;
    for (const [body, path] of cases) {
      const res = await api().post('/api/v1/tickets', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(
        errorOf(res).details?.map((d) => d.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    // Well-formed ids of no record here break a rule (422), every such field named at once.
    const unknown = await api().post('/api/v1/tickets', {
      subject: 'A',
      contactId: MISSING,
      companyId: MISSING,
      ownerId: MISSING,
      teamId: MISSING,
    });
    expect(unknown.statusCode).toBe(422);
    expect(
      errorOf(unknown)
        .details?.map((d) => d.path)
        .sort(),
    ).toEqual(['companyId', 'contactId', 'ownerId', 'teamId']);
    expect((await api().get('/api/v1/tickets?count=true')).json().meta.total).toBe(before);
    // Another organization's contact is as unknown as a missing one.
    const theirs = (await api(other).post('/api/v1/contacts', { firstName: 'Theirs' })).json();
    const foreign = await api().post('/api/v1/tickets', { subject: 'A', contactId: theirs.id });
    expect(foreign.statusCode).toBe(422);
    expect(errorOf(foreign).details?.[0]?.path).toBe('contactId');
  });

  it('validates custom fields defined for tickets', async () => {
    expect(
      (
        await api().post('/api/v1/custom-fields', {
          objectType: 'ticket',
          key: 'plan',
          label: 'Plan',
          type: 'select',
          options: { choices: ['free', 'pro'] },
        })
      ).statusCode,
    ).toBe(201);
    const bad = await api().post('/api/v1/tickets', {
      subject: 'Plan?',
      customFields: { plan: 'gold' },
    });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).details?.[0]?.path).toBe('customFields.plan');
    const ok = await create({ subject: 'Plan!', customFields: { plan: 'pro' } });
    expect(ok.customFields).toEqual({ plan: 'pro' });
    expect(
      (await api().get('/api/v1/tickets?filter[custom.plan]=pro'))
        .json()
        .data.map((x: { id: string }) => x.id),
    ).toEqual([ok.id]);
  });

  it('stamps solved and closed times on status changes, clears them on reopening, and keeps a closed ticket closed', async () => {
    const ticket = await create({ subject: 'Lifecycle' });
    const solved = (await api().patch(`/api/v1/tickets/${ticket.id}`, { status: 'solved' })).json();
    expect(solved).toMatchObject({ status: 'solved', closedAt: null, version: 2 });
    expect(Date.parse(solved.solvedAt)).toBeGreaterThanOrEqual(Date.parse(ticket.createdAt));
    const reopened = (await api().patch(`/api/v1/tickets/${ticket.id}`, { status: 'open' })).json();
    expect(reopened).toMatchObject({ status: 'open', solvedAt: null, closedAt: null });
    const closed = (await api().patch(`/api/v1/tickets/${ticket.id}`, { status: 'closed' })).json();
    expect(closed.status).toBe('closed');
    expect(closed.solvedAt).not.toBeNull();
    expect(closed.closedAt).not.toBeNull();
    const reopen = await api().patch(`/api/v1/tickets/${ticket.id}`, { status: 'pending' });
    expect(reopen.statusCode).toBe(422);
    expect(errorOf(reopen)).toMatchObject({
      code: 'SUPPORT_TICKET_CLOSED',
      details: [{ path: 'status' }],
    });
    // Tidying a closed ticket is fine; its times stay.
    const tagged = (
      await api().patch(`/api/v1/tickets/${ticket.id}`, { tags: ['duplicate'] })
    ).json();
    expect(tagged).toMatchObject({
      status: 'closed',
      tags: ['duplicate'],
      solvedAt: closed.solvedAt,
      closedAt: closed.closedAt,
    });
    const updates = (await stored(ticket.id)).events
      .filter((e) => e.type === 'ticket.updated')
      .map((e) => e.payload.changes);
    expect(updates[0]).toMatchObject({
      status: { from: 'new', to: 'solved' },
      solvedAt: { from: null },
    });
    expect(Object.keys(updates[3] ?? {})).toEqual(['tags']);
    // Created already solved (a phone call resolved on the spot).
    expect(
      (await create({ subject: 'Fixed on the call', status: 'solved', channel: 'phone' })).solvedAt,
    ).not.toBeNull();
  });

  it('updates with versions: a stale If-Match answers 412 and overwrites nothing', async () => {
    const ticket = await create({ subject: 'Versioned' });
    const ok = await api().patch(
      `/api/v1/tickets/${ticket.id}`,
      { priority: 'high' },
      { 'if-match': '"1"' },
    );
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ priority: 'high', version: 2 });
    const stale = await api().patch(
      `/api/v1/tickets/${ticket.id}`,
      { priority: 'low' },
      { 'if-match': '1' },
    );
    expect(stale.statusCode).toBe(412);
    expect(errorOf(stale).code).toBe('VERSION_MISMATCH');
    const malformed = await api().patch(
      `/api/v1/tickets/${ticket.id}`,
      { priority: 'low' },
      { 'if-match': 'yesterday' },
    );
    expect(malformed.statusCode).toBe(400);
    expect(errorOf(malformed).details?.[0]?.path).toBe('If-Match');
    expect((await api().get(`/api/v1/tickets/${ticket.id}`)).json()).toMatchObject({
      priority: 'high',
      version: 2,
    });
  });

  it("answers 401 without a token and 404 for another organization's ticket on every endpoint", async () => {
    const mine = await create({ subject: 'Private matter' });
    expect((await client(t.app).get('/api/v1/tickets')).statusCode).toBe(401);
    expect((await client(t.app).post('/api/v1/tickets', { subject: 'Anon' })).statusCode).toBe(401);
    for (const res of [
      await api(other).get(`/api/v1/tickets/${mine.id}`),
      await api(other).patch(`/api/v1/tickets/${mine.id}`, { subject: 'Hacked' }),
      await api(other).delete(`/api/v1/tickets/${mine.id}`),
      await api(other).post(`/api/v1/tickets/${mine.id}/restore`),
      await api().get(`/api/v1/tickets/${MISSING}`),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(errorOf(res).code).toBe('NOT_FOUND');
    }
    expect((await api(other).get('/api/v1/tickets?q=Private')).json().data).toEqual([]);
    expect((await api(other).get('/api/v1/search?q=Private&types=tickets')).json().data).toEqual(
      [],
    );
    expect((await api().get(`/api/v1/tickets/${mine.id}`)).json().subject).toBe('Private matter');
  });

  it('moves deleted tickets to the trash and restores them', async () => {
    const ticket = await create({ subject: 'Trashy' });
    expect((await api().delete(`/api/v1/tickets/${ticket.id}`)).statusCode).toBe(204);
    expect((await api().get(`/api/v1/tickets/${ticket.id}`)).statusCode).toBe(404);
    expect((await api().get('/api/v1/tickets?q=Trashy')).json().data).toEqual([]);
    const events = (await stored(ticket.id)).events;
    expect(events.at(-1)).toMatchObject({
      type: 'ticket.deleted',
      payload: { id: ticket.id, ownerId: admin.userId, teamId: null },
    });
    const restored = await api().post(`/api/v1/tickets/${ticket.id}/restore`);
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json()).toMatchObject({
      id: ticket.id,
      number: ticket.number,
      deletedAt: null,
      version: 3,
    });
    expect((await api().post(`/api/v1/tickets/${ticket.id}/restore`)).statusCode).toBe(409);
  });

  it('hands out unique, gapless numbers to tickets created at the same time', async () => {
    const before = (await create({ subject: 'Before the rush' })).number as number;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => api().post('/api/v1/tickets', { subject: `Rush ${i}` })),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array.from({ length: 12 }, () => 201));
    const numbers = results.map((r) => r.json().number as number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => before + 1 + i));
    // A create that fails after taking a number gives it back (the counter rolls back with it).
    expect(
      (await api().post('/api/v1/tickets', { subject: 'Bad', customFields: { plan: 'gold' } }))
        .statusCode,
    ).toBe(400);
    expect((await create({ subject: 'After the rush' })).number).toBe(before + 13);
  });

  it('replays a retried create with the same Idempotency-Key instead of opening a second ticket', async () => {
    const key = { 'idempotency-key': 'ticket-retry-1' };
    const first = await api().post('/api/v1/tickets', { subject: 'Once only' }, key);
    const again = await api().post('/api/v1/tickets', { subject: 'Once only' }, key);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    expect((await api().get('/api/v1/tickets?q=Once')).json().data).toHaveLength(1);
  });
});
