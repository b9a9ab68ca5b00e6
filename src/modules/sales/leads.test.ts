import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  createTeam,
  registerOrganization,
  type TestUser,
} from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { withSystem } from '../../platform/db/index.js';

describe('leads API', () => {
  let t: TestApp;
  let admin: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Leads');
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

  it('creates a lead, normalizing email and phone, owned by its creator, with audit and events', async () => {
    const res = await api().post('/api/v1/leads', {
      firstName: 'Ada',
      lastName: 'Byron',
      email: 'Ada@Analytical.Example',
      phone: '+44 20 7946 0958',
      companyName: 'Analytical Engines',
      source: 'webinar',
      tags: ['hot', 'hot', ' math '],
    });
    expect(res.statusCode, res.body).toBe(201);
    const lead = res.json();
    expect(lead).toMatchObject({
      name: 'Ada Byron',
      email: 'ada@analytical.example',
      phone: '+442079460958',
      companyName: 'Analytical Engines',
      status: 'new',
      ownerId: admin.userId,
      score: null,
      version: 1,
      tags: ['hot', 'math'],
      convertedAt: null,
      convertedContactId: null,
      deletedAt: null,
    });
    const { audit, events } = await stored(lead.id);
    expect(audit).toEqual([{ action: 'lead.created', actor_id: admin.userId }]);
    expect(events.map((e) => e.type)).toEqual(['lead.created', 'lead.assigned']);
    expect(events[1]?.payload).toMatchObject({
      leadId: lead.id,
      ownerId: admin.userId,
      previousOwnerId: null,
      ruleId: null,
    });
    expect((await api().get(`/api/v1/leads/${lead.id}`)).json().email).toBe(
      'ada@analytical.example',
    );
  });

  it('rejects bad input naming the field, and a disqualification without a reason', async () => {
    const cases: Array<[unknown, string]> = [
      [{ firstName: 'A', email: 'nope' }, 'email'],
      [{ firstName: 'A', phone: '12' }, 'phone'],
      [{ firstName: 'A', status: 'converted' }, 'status'],
      [{ firstName: 'A', status: 'disqualified' }, 'disqualificationReason'],
      [{ firstName: 'A', score: 90 }, 'score'],
      [{ firstName: 'A', customFields: { nope: 1 } }, 'customFields.nope'],
      [{ title: 'Only a title' }, 'firstName'],
    ];
    for (const [body, path] of cases) {
      const res = await api().post('/api/v1/leads', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(
        errorOf(res).details?.map((d) => d.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    // Well-formed ids of no record here break a rule (422), naming every such field at once.
    const unknown = await api().post('/api/v1/leads', {
      firstName: 'A',
      ownerId: '0190a000-0000-7000-8000-000000000001',
      teamId: '0190a000-0000-7000-8000-000000000001',
    });
    expect(unknown.statusCode).toBe(422);
    expect(errorOf(unknown).code).toBe('REFERENCE_NOT_FOUND');
    expect(
      errorOf(unknown)
        .details?.map((d) => d.path)
        .sort(),
    ).toEqual(['ownerId', 'teamId']);
    const lead = (await api().post('/api/v1/leads', { firstName: 'Maybe' })).json();
    const noReason = await api().patch(`/api/v1/leads/${lead.id}`, { status: 'disqualified' });
    expect(noReason.statusCode).toBe(400);
    expect(errorOf(noReason).details?.[0]?.path).toBe('disqualificationReason');
    expect((await api().get(`/api/v1/leads/${lead.id}`)).json().status).toBe('new');
    const withReason = await api().patch(`/api/v1/leads/${lead.id}`, {
      status: 'disqualified',
      disqualificationReason: 'No budget',
    });
    expect(withReason.json()).toMatchObject({
      status: 'disqualified',
      disqualificationReason: 'No budget',
      version: 2,
    });
  });

  it('updates with versions: a stale If-Match answers 412 and overwrites nothing', async () => {
    const lead = (
      await api().post('/api/v1/leads', { firstName: 'Grace', companyName: 'Navy' })
    ).json();
    const ok = await api().patch(
      `/api/v1/leads/${lead.id}`,
      { status: 'working' },
      { 'if-match': '1' },
    );
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'working', version: 2, companyName: 'Navy' });
    const stale = await api().patch(
      `/api/v1/leads/${lead.id}`,
      { status: 'qualified' },
      { 'if-match': '1' },
    );
    expect(stale.statusCode).toBe(412);
    expect(errorOf(stale).code).toBe('VERSION_MISMATCH');
    expect((await api().get(`/api/v1/leads/${lead.id}`)).json().status).toBe('working');
    const { events } = await stored(lead.id);
    expect(events.map((e) => e.type)).toEqual(['lead.created', 'lead.assigned', 'lead.updated']);
    expect(events[2]?.payload).toMatchObject({
      changes: { status: { from: 'new', to: 'working' } },
    });
  });

  it('emits lead.assigned when the owner changes, and not on other edits', async () => {
    const rep = await addUser(t.app, admin, 'sales_rep');
    const lead = (await api().post('/api/v1/leads', { firstName: 'Handover' })).json();
    await api().patch(`/api/v1/leads/${lead.id}`, { title: 'CFO' });
    await api().patch(`/api/v1/leads/${lead.id}`, { ownerId: rep.userId });
    const assigned = (await stored(lead.id)).events
      .filter((e) => e.type === 'lead.assigned')
      .map((e) => e.payload);
    expect(assigned).toEqual([
      expect.objectContaining({ ownerId: admin.userId, previousOwnerId: null }),
      expect.objectContaining({ ownerId: rep.userId, previousOwnerId: admin.userId }),
    ]);
  });

  it("answers 401 without a token and 404 for another organization's lead on every endpoint", async () => {
    const mine = (await api().post('/api/v1/leads', { firstName: 'Private' })).json();
    expect((await client(t.app).get('/api/v1/leads')).statusCode).toBe(401);
    for (const res of [
      await api(other).get(`/api/v1/leads/${mine.id}`),
      await api(other).patch(`/api/v1/leads/${mine.id}`, { firstName: 'Hacked' }),
      await api(other).delete(`/api/v1/leads/${mine.id}`),
      await api(other).post(`/api/v1/leads/${mine.id}/restore`),
      await api(other).post(`/api/v1/leads/${mine.id}/convert`, {}),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(errorOf(res).code).toBe('NOT_FOUND');
    }
    expect((await api(other).get('/api/v1/leads')).json().data).toEqual([]);
    expect((await api(other).get('/api/v1/search?q=Private&types=leads')).json().data).toEqual([]);
    expect((await api().get(`/api/v1/leads/${mine.id}`)).json().firstName).toBe('Private');
  });

  it('refuses roles without the permission with 403', async () => {
    const support = await addUser(t.app, admin, 'support_agent');
    expect((await api(support).post('/api/v1/leads', { firstName: 'Nope' })).statusCode).toBe(403);
    expect((await api(support).get('/api/v1/leads')).statusCode).toBe(403);
  });

  it('moves deleted leads to the trash and restores them', async () => {
    const lead = (await api().post('/api/v1/leads', { firstName: 'Trashy' })).json();
    expect((await api().delete(`/api/v1/leads/${lead.id}`)).statusCode).toBe(204);
    expect((await api().get(`/api/v1/leads/${lead.id}`)).statusCode).toBe(404);
    expect((await api().get('/api/v1/leads?filter[firstName]=Trashy')).json().data).toEqual([]);
    const restored = await api().post(`/api/v1/leads/${lead.id}/restore`);
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toMatchObject({ deletedAt: null, firstName: 'Trashy' });
    expect((await api().post(`/api/v1/leads/${lead.id}/restore`)).statusCode).toBe(409);
    expect((await stored(lead.id)).events.map((e) => e.type)).toContain('lead.deleted');
  });
});

describe('lead lists, search and scopes', () => {
  let t: TestApp;
  let admin: TestUser;
  let rep: TestUser;
  let teammate: TestUser;
  let outsider: TestUser;
  let eastId: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'LeadLists');
    rep = await addUser(t.app, admin, 'sales_rep');
    teammate = await addUser(t.app, admin, 'sales_rep');
    outsider = await addUser(t.app, admin, 'sales_rep');
    eastId = await createTeam(t.app, admin, 'East', [
      { userId: rep.userId },
      { userId: teammate.userId },
    ]);
    await createTeam(t.app, admin, 'West', [{ userId: outsider.userId }]);
    const api = client(t.app, admin.token);
    for (let i = 0; i < 30; i++) {
      const res = await api.post('/api/v1/leads', {
        firstName: `Person${i}`,
        lastName: `Name${String(i % 7).padStart(2, '0')}`,
        companyName: i % 3 === 0 ? 'Globex' : 'Initech',
        ...(i % 5 === 0 ? { status: 'qualified' } : {}),
        country: i % 2 === 0 ? 'DE' : 'US',
        ownerId: [rep, teammate, outsider][i % 3]?.userId,
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    await api.post('/api/v1/leads', {
      firstName: 'Johanna',
      lastName: 'Schmidt',
      email: 'johanna@bakery.example',
      companyName: 'Schmidt Backwaren',
    });
    await api.post('/api/v1/leads', { firstName: 'Queued', ownerId: null, teamId: eastId });
  });
  afterAll(() => t.close());

  it('pages through every lead without gaps or repeats, with filters and counts', async () => {
    const api = client(t.app, admin.token);
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const body: { data: Array<{ id: string }>; meta: { nextCursor: string | null } } = (
        await api.get(
          `/api/v1/leads?limit=7&sort=lastName,-createdAt${cursor ? `&cursor=${cursor}` : ''}`,
        )
      ).json();
      ids.push(...body.data.map((l: { id: string }) => l.id));
      cursor = body.meta.nextCursor;
    } while (cursor);
    expect(new Set(ids).size).toBe(32);
    expect(
      (await api.get('/api/v1/leads?filter[status]=qualified&count=true&limit=1')).json().meta
        .total,
    ).toBe(6);
    expect(
      (
        await api.get('/api/v1/leads?filter[companyName]=Globex&filter[country]=DE&count=true')
      ).json().meta.total,
    ).toBe(5);
    expect(
      (await api.get('/api/v1/leads?filter[ownerId][isNull]=true'))
        .json()
        .data.map((l: { firstName: string }) => l.firstName),
    ).toEqual(['Queued']);
    const bad = await api.get('/api/v1/leads?filter[password]=x');
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).details?.[0]?.path).toBe('filter[password]');
  });

  it('finds leads by q= and in the global search despite typos', async () => {
    const api = client(t.app, admin.token);
    for (const q of ['Johana Schmidt', 'bakery', 'backwaren', 'joh']) {
      const names = (await api.get(`/api/v1/leads?q=${encodeURIComponent(q)}`))
        .json()
        .data.map((l: { name: string }) => l.name);
      expect(names, q).toContain('Johanna Schmidt');
    }
    const hits = (await api.get('/api/v1/search?q=Johana%20Schmdit')).json().data;
    expect(hits[0]).toMatchObject({ type: 'leads', title: 'Johanna Schmidt' });
  });

  it("shows a rep their own and team's leads, including the team's unassigned queue, and nobody else's", async () => {
    const mine = (await client(t.app, rep.token).get('/api/v1/leads?limit=200')).json()
      .data as Array<{ ownerId: string | null; firstName: string }>;
    expect(mine.length).toBe(21);
    expect(
      mine.every(
        (l) =>
          l.ownerId === rep.userId || l.ownerId === teammate.userId || l.firstName === 'Queued',
      ),
    ).toBe(true);
    const queued = mine.find((l) => l.firstName === 'Queued') as { id: string } | undefined;
    expect(
      (await client(t.app, rep.token).get(`/api/v1/leads/${queued?.id ?? ''}`)).statusCode,
    ).toBe(200);
    expect(
      (await client(t.app, outsider.token).get(`/api/v1/leads/${queued?.id ?? ''}`)).statusCode,
    ).toBe(404);
    const theirs = (await client(t.app, outsider.token).get('/api/v1/leads?limit=200')).json().data;
    expect(theirs.length).toBe(10);
    expect(
      (await client(t.app, outsider.token).get('/api/v1/search?q=Queued&types=leads')).json().data,
    ).toEqual([]);
    expect(
      (await client(t.app, rep.token).get('/api/v1/search?q=Queued&types=leads')).json().data,
    ).toHaveLength(1);
  });
});
