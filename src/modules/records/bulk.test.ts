import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTeam, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';

describe('bulk actions', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Bulk');
  });
  afterAll(() => t.close());
  const api = (u: TestUser = admin) => client(t.app, u.token);
  const create = async (n: number, extra: Record<string, unknown> = {}, u: TestUser = admin) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await api(u).post('/api/v1/contacts', { firstName: `Bulk${i}`, ...extra })).json().id);
    return ids;
  };

  it('tags and re-statuses selected contacts inline, through the same rules as single edits', async () => {
    const ids = await create(5, { lastName: 'Tagged' });
    const res = await api().post('/api/v1/contacts/bulk', { ids, action: 'add_tag', tag: 'webinar' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'done', total: 5, processed: 5, succeeded: 5, skipped: 0 });
    const byFilter = await api().post('/api/v1/contacts/bulk', { filter: { 'filter[tags]': 'webinar' }, action: 'update', field: 'status', value: 'PROSPECT' });
    expect(byFilter.json()).toMatchObject({ status: 'done', succeeded: 5 });
    const after = (await api().get('/api/v1/contacts?filter[lastName]=Tagged')).json().data;
    expect(after.every((c: { status: string; tags: string[] }) => c.status === 'PROSPECT' && c.tags.includes('webinar'))).toBe(true);
    const bad = await api().post('/api/v1/contacts/bulk', { ids, action: 'update', field: 'status', value: 'WHALE' });
    expect(bad.json()).toMatchObject({ succeeded: 0, skipped: 5 });
  });

  it('skips records outside the actor\'s scope and says why', async () => {
    const rep = await addUser(t.app, admin, 'sales_rep');
    const mate = await addUser(t.app, admin, 'sales_rep');
    await createTeam(t.app, admin, 'Bulkers', [{ userId: rep.userId }, { userId: mate.userId }]);
    const mine = await create(2, { lastName: 'Mine' }, rep);
    const theirs = await create(2, { lastName: 'Theirs' }, mate);
    const res = (await api(rep).post('/api/v1/contacts/bulk', { ids: [...mine, ...theirs], action: 'delete' })).json();
    expect(res).toMatchObject({ total: 4, succeeded: 2, skipped: 2 });
    expect(res.errors.map((e: { id: string }) => e.id).sort()).toEqual([...theirs].sort());
    expect((await api(mate).get(`/api/v1/contacts/${theirs[0]}`)).statusCode).toBe(200);
  });

  it('queues large selections and finishes them in batches with progress', async () => {
    await create(205, { lastName: 'Many', source: 'import' });
    const res = await api().post('/api/v1/contacts/bulk', { filter: { 'filter[lastName]': 'Many' }, action: 'update', field: 'source', value: 'trade show' });
    expect(res.statusCode).toBe(202);
    const op = res.json();
    expect(op).toMatchObject({ status: 'queued', total: 205, processed: 0 });
    await t.deps.jobs.runDue();
    expect((await api().get(`/api/v1/bulk-operations/${op.id}`)).json()).toMatchObject({ status: 'running', processed: 200 });
    await t.deps.jobs.runDue();
    expect((await api().get(`/api/v1/bulk-operations/${op.id}`)).json()).toMatchObject({ status: 'done', processed: 205, succeeded: 205 });
    expect((await api().get('/api/v1/contacts?filter[source]=trade%20show&count=true&limit=1')).json().meta.total).toBe(205);
  });

  it('rejects malformed requests naming the field', async () => {
    expect(errorOf(await api().post('/api/v1/contacts/bulk', { action: 'delete' })).details?.[0]?.path).toBe('ids');
    expect(errorOf(await api().post('/api/v1/contacts/bulk', { ids: ['0190a000-0000-7000-8000-000000000001'], action: 'update' })).details?.[0]?.path).toBe('field');
    expect(errorOf(await api().post('/api/v1/contacts/bulk', { ids: ['0190a000-0000-7000-8000-000000000001'], action: 'update', field: 'password', value: 'x' })).details?.[0]?.path).toBe('field');
    const other = await registerOrganization(t.app, 'OtherBulk');
    const op = (await api().post('/api/v1/contacts/bulk', { ids: ['0190a000-0000-7000-8000-000000000001'], action: 'delete' })).json();
    expect((await client(t.app, other.token).get(`/api/v1/bulk-operations/${op.id}`)).statusCode).toBe(404);
  });
});
