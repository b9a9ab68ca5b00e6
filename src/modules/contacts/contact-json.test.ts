import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';
import { sql, withSystem } from '../../platform/db/index.js';

/**
 * The contacts list sends JSON built by PostgreSQL (contact-json.ts); reading one contact still
 * presents it in Node (presentContact). Both must answer the same document, key order included.
 */
describe('contacts list built by PostgreSQL', () => {
  let t: TestApp;
  let admin: TestUser;
  const ids: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Json Lists');
    const api = client(t.app, admin.token);
    const field = await api.post('/api/v1/custom-fields', {
      objectType: 'contact',
      key: 'size',
      label: 'Size',
      type: 'number',
    });
    expect(field.statusCode, field.body).toBe(201);
    const bodies = [
      { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', tags: ['vip', 'a"b'] },
      { email: 'only@example.com', customFields: { size: 12.5 } },
      { firstName: 'Zoë 🚀', phone: '+44 20 7946 0958', title: 'Line\nbreak "quoted" \\ slash' },
      { lastName: 'Solo', address: { street: '1 Main St', city: 'Zürich', country: 'CH' } },
    ];
    for (const body of bodies) {
      const res = await api.post('/api/v1/contacts', body);
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json<{ id: string }>().id);
    }
    // What the API cannot write but rows can hold: empty names, sub-millisecond times, odd JSON.
    await withSystem(t.deps.database.db, async (tx) => {
      await sql`update contacts set first_name = '', last_name = null, email = null,
        lead_score = 42, last_contacted_at = '2026-01-02 03:04:05.999999+00',
        social_profiles = '{"x": "https://x.example/a?b=1&c=2"}',
        custom_fields = '{"size": 1.0, "nested": {"deep": [1, null, "two"]}, "when": "2026-05-01"}'
        where id = ${ids[3] ?? ''}`.execute(tx);
      await sql`update contacts set created_at = '1999-12-31 23:59:59.0005+00'
        where id = ${ids[0] ?? ''}`.execute(tx);
    });
  });
  afterAll(() => t.close());

  const normalized = (value: unknown) => JSON.stringify(value);

  it('answers every contact exactly as reading it one by one does', async () => {
    const api = client(t.app, admin.token);
    const res = await api.get('/api/v1/contacts?limit=200');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const page = res.json<{ data: Array<{ id: string }>; meta: unknown }>();
    expect(page.meta).toEqual({ nextCursor: null });
    expect(page.data.map((c) => c.id).sort()).toEqual([...ids].sort());
    for (const listed of page.data) {
      const one = await api.get(`/api/v1/contacts/${listed.id}`);
      expect(one.statusCode).toBe(200);
      // Serialized again so jsonb's spacing and number spelling do not count; key order does.
      expect(normalized(listed)).toBe(normalized(one.json()));
    }
    const odd = page.data.find((c) => c.id === ids[3]);
    expect(odd).toMatchObject({
      name: '(no name)',
      lastContactedAt: '2026-01-02T03:04:05.999Z',
      leadScore: 42,
      customFields: { size: 1, nested: { deep: [1, null, 'two'] }, when: '2026-05-01' },
    });
    expect(page.data.find((c) => c.id === ids[0])).toMatchObject({
      createdAt: '1999-12-31T23:59:59.000Z',
    });
  });

  it('keeps filters, sort, paging and the total', async () => {
    const api = client(t.app, admin.token);
    const first = await api.get('/api/v1/contacts?sort=createdAt&limit=2&count=true');
    const body = first.json<{ data: Array<{ id: string }>; meta: { nextCursor: string } }>();
    expect(body.data.map((c) => c.id)).toEqual([ids[0], ids[1]]);
    expect(body.meta).toMatchObject({ total: 4 });
    const next = await api.get(
      `/api/v1/contacts?sort=createdAt&limit=2&cursor=${body.meta.nextCursor}`,
    );
    expect(next.json<{ data: Array<{ id: string }> }>().data.map((c) => c.id)).toEqual([
      ids[2],
      ids[3],
    ]);
    const filtered = await api.get('/api/v1/contacts?filter[custom.size][gte]=10');
    expect(filtered.json<{ data: Array<{ id: string }> }>().data.map((c) => c.id)).toEqual([
      ids[1],
    ]);
  });

  it('answers a deleted contact in the trash with its deletion time, like reading it did', async () => {
    const api = client(t.app, admin.token);
    expect((await api.delete(`/api/v1/contacts/${ids[2] ?? ''}`)).statusCode).toBe(204);
    const trash = await api.get('/api/v1/contacts?trashed=true');
    const [gone] = trash.json<{ data: Array<{ id: string; deletedAt: string }> }>().data;
    expect(gone?.id).toBe(ids[2]);
    expect(gone?.deletedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('still refuses a bad list query with 400 naming the parameter', async () => {
    const res = await client(t.app, admin.token).get('/api/v1/contacts?filter[nope]=1');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { details: [{ path: 'filter[nope]' }] } });
  });
});
