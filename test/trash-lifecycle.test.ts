import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, withSystem } from '../src/platform/db/index.js';
import { salesOrganization, type TestUser } from './factories.js';
import { client, createTestApp, errorOf, type TestApp } from './harness.js';

// Every object's trash behaves the same, because it is one implementation (platform/objects/trash.ts):
// the same codes, versions, audit actions and events, whichever module owns the object.
describe('the trash of every object', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    ({ admin } = await salesOrganization(t.app, 'Trash lifecycle'));
    const defined = await client(t.app, admin.token).post('/api/v1/objects', {
      key: 'project',
      labels: { singular: 'Project', plural: 'Projects' },
      fields: [{ key: 'code', label: 'Code', type: 'text' }],
    });
    expect(defined.statusCode, defined.body).toBe(201);
  });
  afterAll(() => t.close());

  const CASES = [
    { resource: 'contacts', key: 'contact', table: 'contacts', body: { firstName: 'Gone' } },
    { resource: 'companies', key: 'company', table: 'companies', body: { name: 'Gone Co' } },
    { resource: 'leads', key: 'lead', table: 'leads', body: { firstName: 'Gone' } },
    { resource: 'deals', key: 'deal', table: 'deals', body: { name: 'Gone deal' } },
    { resource: 'tickets', key: 'ticket', table: 'tickets', body: { subject: 'Gone ticket' } },
    { resource: 'projects', key: 'project', table: 'object_records', body: { name: 'Gone' } },
    { resource: 'notes', key: 'note', table: 'object_records', body: { name: 'Gone note' } },
  ] as const;

  const auditActions = async (id: string) => {
    const res = await client(t.app, admin.token).get(`/api/v1/audit-log?filter[targetId]=${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res
      .json<{ data: Array<{ action: string }> }>()
      .data.map((e) => e.action)
      .sort();
  };

  it.each(CASES)(
    '$resource: restore of a live record is 409, a round trip bumps the version twice and is audited',
    async ({ resource, key, body }) => {
      const api = client(t.app, admin.token);
      const created = await api.post(`/api/v1/${resource}`, body);
      expect(created.statusCode, created.body).toBe(201);
      const { id, version } = created.json<{ id: string; version: number }>();

      const live = await api.post(`/api/v1/${resource}/${id}/restore`);
      expect(live.statusCode).toBe(409);
      expect(errorOf(live).code).toBe('RECORD_NOT_DELETED');

      expect((await api.delete(`/api/v1/${resource}/${id}`)).statusCode).toBe(204);
      expect((await api.get(`/api/v1/${resource}/${id}`)).statusCode).toBe(404);
      const restored = await api.post(`/api/v1/${resource}/${id}/restore`);
      expect(restored.statusCode, restored.body).toBe(200);
      expect(restored.json()).toMatchObject({ id, version: version + 2 });
      expect((await api.get(`/api/v1/${resource}/${id}`)).statusCode).toBe(200);
      const actions = await auditActions(id);
      expect(actions).toContain(`${key}.deleted`);
      expect(actions).toContain(`${key}.restored`);
    },
  );

  it.each(CASES)(
    '$resource: a record deleted more than 30 days ago can no longer be restored (422)',
    async ({ resource, table, body }) => {
      const api = client(t.app, admin.token);
      const { id } = (await api.post(`/api/v1/${resource}`, body)).json<{ id: string }>();
      expect((await api.delete(`/api/v1/${resource}/${id}`)).statusCode).toBe(204);
      await withSystem(t.deps.database.db, (tx) =>
        sql`update ${sql.table(table)} set deleted_at = now() - interval '31 days' where id = ${id}`.execute(
          tx,
        ),
      );
      const res = await api.post(`/api/v1/${resource}/${id}/restore`);
      expect(res.statusCode).toBe(422);
      expect(errorOf(res).code).toBe('RECORD_TRASH_EXPIRED');
    },
  );
});
