import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { salesOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';

// Deleted records can be restored for 30 days; `trashed=true` is how a person finds them again.
describe('lists of the trash (trashed=true)', () => {
  let t: TestApp;
  let admin: TestUser;
  let rep: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    ({ admin, rep } = await salesOrganization(t.app, 'Trash'));
  });
  afterAll(() => t.close());

  const BODIES: Record<string, object> = {
    contacts: { firstName: 'Gone' },
    companies: { name: 'Gone Co' },
    leads: { firstName: 'Gone', email: 'gone@trash.example' },
    deals: { name: 'Gone deal' },
    tickets: { subject: 'Gone ticket' },
  };

  it.each(Object.keys(BODIES))(
    'lists deleted %s apart from live ones, and a restore moves them back',
    async (resource) => {
      const api = client(t.app, admin.token);
      const kept = (await api.post(`/api/v1/${resource}`, BODIES[resource])).json<{ id: string }>();
      const gone = (await api.post(`/api/v1/${resource}`, BODIES[resource])).json<{ id: string }>();
      expect((await api.delete(`/api/v1/${resource}/${gone.id}`)).statusCode).toBe(204);
      const trash = await api.get(`/api/v1/${resource}?trashed=true&count=true`);
      expect(trash.statusCode, trash.body).toBe(200);
      expect(trash.json().data.map((r: { id: string }) => r.id)).toEqual([gone.id]);
      expect(trash.json().meta.total).toBe(1);
      const live = (await api.get(`/api/v1/${resource}?limit=200`))
        .json()
        .data.map((r: { id: string }) => r.id);
      expect(live).toContain(kept.id);
      expect(live).not.toContain(gone.id);
      expect((await api.post(`/api/v1/${resource}/${gone.id}/restore`)).statusCode).toBe(200);
      expect((await api.get(`/api/v1/${resource}?trashed=true`)).json().data).toEqual([]);
    },
  );

  it('shows a rep only the trash within their scope', async () => {
    const api = client(t.app, admin.token);
    const hidden = (await api.post('/api/v1/contacts', { firstName: 'Admin only' })).json<{
      id: string;
    }>();
    await api.delete(`/api/v1/contacts/${hidden.id}`);
    const own = (
      await client(t.app, rep.token).post('/api/v1/contacts', { firstName: 'Rep own' })
    ).json<{ id: string }>();
    await client(t.app, rep.token).delete(`/api/v1/contacts/${own.id}`);
    const seen = (await client(t.app, rep.token).get('/api/v1/contacts?trashed=true'))
      .json()
      .data.map((r: { id: string }) => r.id);
    expect(seen).toEqual([own.id]);
  });

  it('refuses a trashed value other than true or false, naming it', async () => {
    const res = await client(t.app, admin.token).get('/api/v1/contacts?trashed=yes');
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).details).toEqual([expect.objectContaining({ path: 'trashed' })]);
  });
});
