import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  createTeam,
  registerOrganization,
  type TestUser,
} from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { withSystem } from '../../platform/db/index.js';
import { purgeExpiredTickets } from './index.js';

describe('ticket list, search, merges and trash purge', () => {
  let t: TestApp;
  let admin: TestUser;
  let agent: TestUser;
  let team: string;
  let contactA: string;
  let contactB: string;
  let company: string;
  const made: Record<string, { id: string; number: number }> = {};

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Lists');
    agent = await addUser(t.app, admin, 'support_agent');
    team = await createTeam(t.app, admin, 'Desk', [{ userId: agent.userId }]);
    company = (await api().post('/api/v1/companies', { name: 'Globex' })).json().id;
    contactA = (
      await api().post('/api/v1/contacts', {
        firstName: 'Hank',
        lastName: 'Scorpio',
        companyId: company,
      })
    ).json().id;
    contactB = (
      await api().post('/api/v1/contacts', { firstName: 'Homer', lastName: 'Simpson' })
    ).json().id;
    const plan: Array<[string, Record<string, unknown>]> = [
      [
        'laser',
        {
          subject: 'Doomsday laser overheats',
          priority: 'urgent',
          contactId: contactA,
          tags: ['hardware'],
        },
      ],
      [
        'invoice',
        { subject: 'Invoice missing', status: 'pending', contactId: contactB, tags: ['billing'] },
      ],
      [
        'login',
        {
          subject: 'Cannot log in to the portal',
          status: 'open',
          priority: 'high',
          ownerId: agent.userId,
          teamId: team,
        },
      ],
      [
        'queue',
        {
          subject: 'Hammock delivery late',
          ownerId: null,
          teamId: team,
          tags: ['billing', 'shipping'],
        },
      ],
      ['solved', { subject: 'Portal password reset', status: 'solved', contactId: contactA }],
    ];
    for (const [key, body] of plan) {
      const res = await api().post('/api/v1/tickets', body);
      expect(res.statusCode, res.body).toBe(201);
      made[key] = res.json();
    }
  });
  afterAll(() => t.close());

  function api(u?: TestUser) {
    return client(t.app, (u ?? admin).token);
  }
  const keysOf = async (query: string, u?: TestUser) => {
    const res = await api(u).get(`/api/v1/tickets?limit=200${query}`);
    expect(res.statusCode, res.body).toBe(200);
    const ids = (res.json().data as Array<{ id: string }>).map((x) => x.id);
    return Object.entries(made)
      .filter(([, v]) => ids.includes(v.id))
      .map(([k]) => k)
      .sort();
  };

  it('filters by status, priority, assignee, team, contact, company and tag', async () => {
    expect(await keysOf('&filter[status]=pending')).toEqual(['invoice']);
    expect(await keysOf('&filter[status][in]=new,open')).toEqual(['laser', 'login', 'queue']);
    expect(await keysOf('&filter[status][ne]=solved&filter[priority][in]=urgent,high')).toEqual([
      'laser',
      'login',
    ]);
    expect(await keysOf(`&filter[ownerId]=${agent.userId}`)).toEqual(['login']);
    expect(await keysOf('&filter[ownerId][isNull]=true')).toEqual(['queue']);
    expect(await keysOf(`&filter[teamId]=${team}`)).toEqual(['login', 'queue']);
    expect(await keysOf(`&filter[contactId]=${contactA}`)).toEqual(['laser', 'solved']);
    expect(await keysOf(`&filter[companyId]=${company}`)).toEqual(['laser', 'solved']);
    expect(await keysOf('&filter[tags][contains]=billing')).toEqual(['invoice', 'queue']);
    expect(await keysOf('&filter[solvedAt][isNull]=false')).toEqual(['solved']);
  });

  it('searches subject words (as prefixes) and ticket numbers', async () => {
    expect(await keysOf('&q=portal')).toEqual(['login', 'solved']);
    expect(await keysOf('&q=doomsday%20las')).toEqual(['laser']);
    expect(await keysOf(`&q=${made.invoice?.number ?? 0}`)).toEqual(['invoice']);
    const hits = (await api().get('/api/v1/search?q=hammock&types=tickets')).json().data;
    expect(hits).toEqual([
      expect.objectContaining({
        type: 'tickets',
        id: made.queue?.id,
        title: `#${made.queue?.number ?? 0} Hammock delivery late`,
        subtitle: 'new · normal',
      }),
    ]);
  });

  it('sorts and pages with a cursor, every ticket exactly once', async () => {
    const byNumber = (await api().get('/api/v1/tickets?sort=-number&limit=200'))
      .json()
      .data.map((x: { number: number }) => x.number);
    expect(byNumber).toEqual([...byNumber].sort((a: number, b: number) => b - a));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: {
        data: Array<{ id: string }>;
        meta: { nextCursor: string | null; total?: number };
      } = (
        await api().get(
          `/api/v1/tickets?limit=2&sort=number&count=true${cursor ? `&cursor=${cursor}` : ''}`,
        )
      ).json();
      expect(page.meta.total).toBe(5);
      seen.push(...page.data.map((x) => x.id));
      cursor = page.meta.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
  });

  it('sorts by priority and status in their own order, paging through ties exactly once', async () => {
    const rank = ['low', 'normal', 'high', 'urgent'];
    const seen: Array<{ id: string; priority: string }> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await api().get(
        `/api/v1/tickets?limit=2&sort=-priority${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const page: {
        data: Array<{ id: string; priority: string }>;
        meta: { nextCursor: string | null };
      } = res.json();
      seen.push(...page.data);
      cursor = page.meta.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    // urgent, high, then the three normal ones (ties broken by id) — not the alphabet's order.
    expect(seen.map((x) => x.priority)).toEqual(['urgent', 'high', 'normal', 'normal', 'normal']);
    expect(new Set(seen.map((x) => x.id)).size).toBe(5);
    const ascending = (await api().get('/api/v1/tickets?limit=200&sort=priority')).json()
      .data as Array<{
      priority: string;
    }>;
    const positions = ascending.map((x) => rank.indexOf(x.priority));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const byStatus = (await api().get('/api/v1/tickets?limit=200&sort=status')).json()
      .data as Array<{
      status: string;
    }>;
    expect(byStatus.map((x) => x.status)).toEqual(['new', 'new', 'open', 'pending', 'solved']);
  });

  it('answers 400 naming the parameter for unknown fields, operators, values and sorts', async () => {
    const cases: Array<[string, string]> = [
      ['filter[status]=done', 'filter[status]'],
      ['filter[nope]=1', 'filter[nope]'],
      ['filter[status][gt]=new', 'filter[status][gt]'],
      ['filter[ownerId]=me', 'filter[ownerId]'],
      ['sort=channel', 'sort'],
      ['limit=500', 'limit'],
      ['cursor=garbage', 'cursor'],
    ];
    for (const [query, path] of cases) {
      const res = await api().get(`/api/v1/tickets?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(
        errorOf(res).details?.map((d) => d.path),
        query,
      ).toContain(path);
    }
  });

  it('moves tickets to the surviving contact of a merge, and back when the merge is undone', async () => {
    const dup = (
      await api().post('/api/v1/contacts', { firstName: 'H.', lastName: 'Scorpio' })
    ).json();
    const ticket = (
      await api().post('/api/v1/tickets', { subject: 'From the duplicate', contactId: dup.id })
    ).json();
    const merge = await api().post(`/api/v1/contacts/${contactA}/merge`, { sourceIds: [dup.id] });
    expect(merge.statusCode, merge.body).toBe(200);
    await t.deps.outbox.drain();
    expect((await api().get(`/api/v1/tickets/${ticket.id}`)).json().contactId).toBe(contactA);
    expect((await api().post(`/api/v1/merges/${merge.json().mergeId}/undo`)).statusCode).toBe(200);
    await t.deps.outbox.drain();
    expect((await api().get(`/api/v1/tickets/${ticket.id}`)).json().contactId).toBe(dup.id);
  });

  it("puts a contact's tickets in their personal data export and erases what they wrote with them", async () => {
    const erin = (
      await api().post('/api/v1/contacts', {
        firstName: 'Erin',
        lastName: 'Erasable',
        email: 'erin@private.example',
      })
    ).json();
    const x = (
      await api().post('/api/v1/tickets', {
        subject: 'Erin cannot reach her sushi order',
        description: 'Her address is 1 Secret Lane',
        contactId: erin.id,
      })
    ).json();
    await api().patch(`/api/v1/tickets/${x.id}`, {
      status: 'solved',
      description: 'Her address is 1 Secret Lane, flat 2',
    });
    const data = (await api().get(`/api/v1/contacts/${erin.id}/personal-data`)).json();
    expect(data.tickets).toEqual([
      expect.objectContaining({
        id: x.id,
        number: x.number,
        subject: 'Erin cannot reach her sushi order',
        status: 'solved',
      }),
    ]);
    expect((await api().post(`/api/v1/contacts/${erin.id}/erase`)).statusCode).toBe(200);
    expect((await api().get(`/api/v1/tickets/${x.id}`)).json()).toMatchObject({
      subject: `[erased] ticket #${x.number}`,
      description: null,
      status: 'solved',
      contactId: erin.id,
    });
    const stored = await withSystem(t.deps.database.db, async (tx) =>
      JSON.stringify([
        await tx.selectFrom('audit_log').selectAll().where('target_id', '=', x.id).execute(),
        await tx.selectFrom('outbox').selectAll().where('aggregate_id', '=', x.id).execute(),
      ]),
    );
    for (const secret of ['sushi', 'Secret Lane']) expect(stored, secret).not.toContain(secret);
    expect((await api().get('/api/v1/audit-log/verify')).json().valid).toBe(true);
  });

  it('purges tickets from the trash after 30 days, keeping their activities without the link', async () => {
    const old = (await api().post('/api/v1/tickets', { subject: 'Ancient' })).json();
    const fresh = (await api().post('/api/v1/tickets', { subject: 'Recent' })).json();
    const note = (
      await api().post('/api/v1/activities', {
        type: 'note',
        subject: 'Called back',
        ticketId: old.id,
      })
    ).json();
    expect((await api().delete(`/api/v1/tickets/${old.id}`)).statusCode).toBe(204);
    expect((await api().delete(`/api/v1/tickets/${fresh.id}`)).statusCode).toBe(204);
    // Ten days on they are still restorable; 31 days on both are gone for good.
    expect(await purgeExpiredTickets(t.deps, new Date(Date.now() + 10 * 86_400_000))).toBe(0);
    expect(await purgeExpiredTickets(t.deps, new Date(Date.now() + 31 * 86_400_000))).toBe(2);
    expect((await api().post(`/api/v1/tickets/${old.id}/restore`)).statusCode).toBe(404);
    expect((await api().get(`/api/v1/activities/${note.id}`)).json()).toMatchObject({
      id: note.id,
      ticketId: null,
    });
  });
});
