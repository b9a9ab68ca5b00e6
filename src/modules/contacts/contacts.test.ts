import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { withSystem } from '../../platform/db/index.js';

describe('contacts API', () => {
  let t: TestApp;
  let admin: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Contacts');
    other = await registerOrganization(t.app, 'Elsewhere');
  });
  afterAll(() => t.close());

  const api = (u: TestUser = admin) => client(t.app, u.token);

  it('creates a contact, normalizing email and phone, with an audit entry and an event', async () => {
    const res = await api().post('/api/v1/contacts', {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'Ada@Example.COM',
      phone: '+44 20 7946 0958',
      tags: ['vip', 'vip', ' math '],
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({
      firstName: 'Ada',
      lastName: 'Lovelace',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      phone: '+442079460958',
      ownerId: admin.userId,
      status: 'LEAD',
      version: 1,
      tags: ['vip', 'math'],
    });
    expect(c.emails).toEqual([{ email: 'ada@example.com', primary: true }]);
    const stored = await withSystem(t.deps.database.db, async (tx) => ({
      audit: await tx
        .selectFrom('audit_log')
        .select(['action', 'actor_id'])
        .where('target_id', '=', c.id)
        .execute(),
      events: await tx
        .selectFrom('outbox')
        .select('type')
        .where('aggregate_id', '=', c.id)
        .execute(),
    }));
    expect(stored.audit).toEqual([{ action: 'contact.created', actor_id: admin.userId }]);
    expect(stored.events.map((e) => e.type)).toEqual(['contact.created']);
  });

  it('rejects bad input naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ firstName: 'A', email: 'not-an-email' }, 'email'],
      [{ firstName: 'A', phone: '12' }, 'phone'],
      [{ firstName: 'A', phones: [{ number: 'abc' }] }, 'phones.0.number'],
      [{ firstName: 'A', status: 'WHALE' }, 'status'],
      [{ firstName: 'A', ownerId: 'nope' }, 'ownerId'],
      [{ firstName: 'A', surprise: true }, 'surprise'],
      [{}, 'firstName'],
    ];
    for (const [body, path] of cases) {
      const res = await api().post('/api/v1/contacts', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(
        errorOf(res).details?.map((d) => d.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    const unknown = await api().post('/api/v1/contacts', {
      firstName: 'A',
      companyId: '0190a000-0000-7000-8000-000000000001',
    });
    expect(unknown.statusCode).toBe(422);
    expect(errorOf(unknown).details?.map((d) => d.path)).toEqual(['companyId']);
  });

  it("answers 401 without a token and 404 for another organization's contact", async () => {
    const mine = (await api().post('/api/v1/contacts', { firstName: 'Private' })).json();
    expect((await client(t.app).get('/api/v1/contacts')).statusCode).toBe(401);
    for (const res of [
      await api(other).get(`/api/v1/contacts/${mine.id}`),
      await api(other).patch(`/api/v1/contacts/${mine.id}`, { firstName: 'Hacked' }),
      await api(other).delete(`/api/v1/contacts/${mine.id}`),
      await api(other).get(`/api/v1/contacts/${mine.id}/timeline`),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(errorOf(res).code).toBe('NOT_FOUND');
    }
    expect((await api(other).get('/api/v1/contacts')).json().data).toEqual([]);
    expect((await api().get(`/api/v1/contacts/${mine.id}`)).json().firstName).toBe('Private');
  });

  it('refuses roles without the permission with 403', async () => {
    const marketer = await addUser(t.app, admin, 'marketing_specialist');
    const res = await api(marketer).post('/api/v1/contacts', { firstName: 'Nope' });
    expect(res.statusCode).toBe(403);
    const support = await addUser(t.app, admin, 'support_agent');
    const contact = (await api().post('/api/v1/contacts', { firstName: 'Read only' })).json();
    expect((await api(support).get(`/api/v1/contacts/${contact.id}`)).statusCode).toBe(200);
    expect(
      (await api(support).patch(`/api/v1/contacts/${contact.id}`, { firstName: 'x' })).statusCode,
    ).toBe(403);
  });

  it('updates with versions: a stale If-Match answers 412 and overwrites nothing', async () => {
    const c = (
      await api().post('/api/v1/contacts', { firstName: 'Grace', lastName: 'Hopper' })
    ).json();
    const ok = await api().patch(
      `/api/v1/contacts/${c.id}`,
      { title: 'Rear Admiral' },
      { 'if-match': '1' },
    );
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ title: 'Rear Admiral', version: 2, lastName: 'Hopper' });
    const stale = await api().patch(
      `/api/v1/contacts/${c.id}`,
      { title: 'Ensign' },
      { 'if-match': '1' },
    );
    expect(stale.statusCode).toBe(412);
    expect(errorOf(stale).code).toBe('VERSION_MISMATCH');
    expect((await api().get(`/api/v1/contacts/${c.id}`)).json().title).toBe('Rear Admiral');
    const diff = await withSystem(t.deps.database.db, (tx) =>
      tx
        .selectFrom('audit_log')
        .select('diff')
        .where('target_id', '=', c.id)
        .where('action', '=', 'contact.updated')
        .executeTakeFirstOrThrow(),
    );
    expect(diff.diff).toEqual({ title: { from: null, to: 'Rear Admiral' } });
  });

  it('creates once for a retried POST with the same Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'contact-import-42' };
    const first = await api().post(
      '/api/v1/contacts',
      { firstName: 'Once', lastName: 'Only' },
      headers,
    );
    const again = await api().post(
      '/api/v1/contacts',
      { firstName: 'Once', lastName: 'Only' },
      headers,
    );
    expect(again.json().id).toBe(first.json().id);
    const list = (await api().get('/api/v1/contacts?filter[lastName]=Only&count=true')).json();
    expect(list.meta.total).toBe(1);
  });

  it('moves deleted contacts to the trash and restores them', async () => {
    const c = (await api().post('/api/v1/contacts', { firstName: 'Trashy' })).json();
    expect((await api().delete(`/api/v1/contacts/${c.id}`)).statusCode).toBe(204);
    expect((await api().get(`/api/v1/contacts/${c.id}`)).statusCode).toBe(404);
    expect((await api().get('/api/v1/contacts?filter[firstName]=Trashy')).json().data).toEqual([]);
    const restored = await api().post(`/api/v1/contacts/${c.id}/restore`);
    expect(restored.statusCode).toBe(200);
    expect(restored.json().deletedAt).toBeNull();
    expect((await api().post(`/api/v1/contacts/${c.id}/restore`)).statusCode).toBe(409);
  });
});

describe('contact lists', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Lists');
    const api = client(t.app, admin.token);
    for (let i = 0; i < 130; i++) {
      const res = await api.post('/api/v1/contacts', {
        firstName: `Person${i}`,
        lastName: i % 10 === 0 ? null : `Name${String(i % 37).padStart(2, '0')}`,
        status: i % 3 === 0 ? 'CUSTOMER' : 'LEAD',
        tags: i % 5 === 0 ? ['vip'] : [],
      });
      expect(res.statusCode).toBe(201);
    }
    await api.post('/api/v1/contacts', {
      firstName: 'John',
      lastName: 'Smith',
      email: 'john.smith@acme.example',
    });
  });
  afterAll(() => t.close());

  async function pageThrough(query: string, limit: number): Promise<string[]> {
    const api = client(t.app, admin.token);
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api.get(
        `/api/v1/contacts?limit=${limit}&${query}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      ids.push(...body.data.map((c: { id: string }) => c.id));
      cursor = body.meta.nextCursor;
    } while (cursor);
    return ids;
  }

  it('pages through every contact without gaps or repeats, on any sort', async () => {
    for (const sort of ['-createdAt', 'lastName', '-lastName,firstName', 'status,-createdAt']) {
      const ids = await pageThrough(`sort=${sort}`, 17);
      expect(ids.length, sort).toBe(131);
      expect(new Set(ids).size, sort).toBe(131);
    }
  });

  it('sorts by last name with empty names first, case-insensitively', async () => {
    const data = (
      await client(t.app, admin.token).get('/api/v1/contacts?sort=lastName&limit=200')
    ).json().data as Array<{ lastName: string | null }>;
    const names = data.map((c) => c.lastName ?? '');
    expect(names).toEqual(
      [...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())),
    );
  });

  it('filters with operators and counts', async () => {
    const api = client(t.app, admin.token);
    const customers = (
      await api.get('/api/v1/contacts?filter[status]=CUSTOMER&count=true&limit=1')
    ).json();
    expect(customers.meta.total).toBe(44);
    const vip = (await api.get('/api/v1/contacts?filter[tags]=vip&count=true&limit=1')).json();
    expect(vip.meta.total).toBe(26);
    const noLastName = (
      await api.get('/api/v1/contacts?filter[lastName][isNull]=true&count=true&limit=1')
    ).json();
    expect(noLastName.meta.total).toBe(13);
    const contains = (
      await api.get('/api/v1/contacts?filter[firstName][contains]=son12&count=true')
    ).json();
    expect(contains.data.map((c: { firstName: string }) => c.firstName).sort()).toEqual([
      'Person12',
      'Person120',
      'Person121',
      'Person122',
      'Person123',
      'Person124',
      'Person125',
      'Person126',
      'Person127',
      'Person128',
      'Person129',
    ]);
    const bad = await api.get('/api/v1/contacts?filter[password]=x');
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).details?.[0]?.path).toBe('filter[password]');
  });

  it('finds people despite typos', async () => {
    const api = client(t.app, admin.token);
    for (const q of ['Jonh Smtih', 'smith', 'jo', 'acme']) {
      const names = (await api.get(`/api/v1/contacts?q=${encodeURIComponent(q)}`))
        .json()
        .data.map((c: { name: string }) => c.name);
      expect(names, q).toContain('John Smith');
    }
    const hits = (await api.get('/api/v1/search?q=Jonh%20Smtih')).json().data;
    expect(hits[0]).toMatchObject({ type: 'contacts', title: 'John Smith' });
    // Typeahead: every keystroke of the name finds it, the exact spelling ranks first.
    for (const q of ['Jo', 'John S', 'John Smi', 'smith jo', 'john.smith', 'Smtih']) {
      const titles = (await api.get(`/api/v1/search?q=${encodeURIComponent(q)}&types=contacts`))
        .json()
        .data.map((h: { title: string }) => h.title);
      expect(titles, q).toContain('John Smith');
    }
    expect((await api.get('/api/v1/search?q=zzzzqqq')).json().data).toEqual([]);
    expect((await api.get('/api/v1/search?q=a&types=spaceships')).statusCode).toBe(400);
  });
});
