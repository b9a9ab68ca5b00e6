import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { addUser, salesOrganization, type TestUser } from './factories.js';
import { client, createTestApp, errorOf, type TestApp } from './harness.js';

// Issue 11, item 1: every action route checks the permission's scope on the records it touches,
// not only that the permission exists. Each test gives a user the permission at a narrower scope
// than the action needs and checks the refusal and that nothing changed.
describe('action routes: permission and scope', () => {
  let t: TestApp;
  let admin: TestUser;
  let rep: TestUser;
  let teammate: TestUser;
  let outsider: TestUser;
  beforeAll(async () => {
    t = await createTestApp({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
    ({ admin, rep, teammate, outsider } = await salesOrganization(t.app, 'Actions'));
  });
  afterAll(() => t.close());

  const api = (u: TestUser) => client(t.app, u.token);
  const contactOf = async (owner: TestUser, firstName: string) => {
    const res = await api(admin).post('/api/v1/contacts', { firstName, ownerId: owner.userId });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; version: number }>();
  };
  const versionOf = async (path: string) => (await api(admin).get(path)).json().version as number;
  /** A user of a role made of these grants (roles are data). */
  const userWith = async (key: string, grants: Array<[string, 'own' | 'team' | 'all']>) => {
    const role = await api(admin).post('/api/v1/roles', {
      key,
      name: key,
      permissions: grants.map(([permission, scope]) => ({ permission, scope })),
    });
    expect(role.statusCode, role.body).toBe(201);
    return addUser(t.app, admin, key);
  };

  it("merge: a rep cannot merge away a teammate's contact (delete is own-only)", async () => {
    const survivor = await contactOf(rep, 'Survivor');
    const source = await contactOf(teammate, 'Source');
    const res = await api(rep).post(`/api/v1/contacts/${survivor.id}/merge`, {
      sourceIds: [source.id],
    });
    expect(res.statusCode).toBe(403);
    expect(await versionOf(`/api/v1/contacts/${source.id}`)).toBe(source.version);
  });

  it('undo merge: bringing back a source needs delete on it, not only update on the survivor', async () => {
    const survivor = await contactOf(rep, 'Kept');
    const source = await contactOf(teammate, 'Merged');
    const merged = await api(admin).post(`/api/v1/contacts/${survivor.id}/merge`, {
      sourceIds: [source.id],
    });
    expect(merged.statusCode, merged.body).toBe(200);
    const res = await api(rep).post(`/api/v1/merges/${merged.json().mergeId}/undo`);
    expect(res.statusCode).toBe(403);
    expect((await api(admin).get(`/api/v1/contacts/${source.id}`)).statusCode).toBe(404);
    expect((await api(admin).post(`/api/v1/merges/${merged.json().mergeId}/undo`)).statusCode).toBe(
      200,
    );
    expect((await api(admin).get(`/api/v1/contacts/${source.id}`)).statusCode).toBe(200);
  });

  it('convert: a rep cannot convert a lead outside their team, and it stays as it was', async () => {
    const lead = (
      await api(admin).post('/api/v1/leads', {
        firstName: 'Far',
        email: 'far@actions.example',
        ownerId: outsider.userId,
      })
    ).json();
    const res = await api(rep).post(`/api/v1/leads/${lead.id}/convert`, {});
    expect(res.statusCode).toBe(404);
    expect((await api(admin).get(`/api/v1/leads/${lead.id}`)).json()).toMatchObject({
      status: lead.status,
      version: lead.version,
    });
  });

  it("bulk delete: records outside the rep's delete scope are skipped and reported, not deleted", async () => {
    const own = await contactOf(rep, 'BulkOwn');
    const mate = await contactOf(teammate, 'BulkMate');
    const res = await api(rep).post('/api/v1/contacts/bulk', {
      ids: [own.id, mate.id],
      action: 'delete',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ succeeded: 1, skipped: 1, errors: [{ id: mate.id }] });
    expect((await api(admin).get(`/api/v1/contacts/${mate.id}`)).statusCode).toBe(200);
    expect((await api(admin).get(`/api/v1/contacts/${own.id}`)).statusCode).toBe(404);
  });

  it("bulk progress: another user's bulk operation is not readable outside their scope", async () => {
    const c = await contactOf(admin, 'AdminBulk');
    const op = await api(admin).post('/api/v1/contacts/bulk', {
      ids: [c.id],
      action: 'add_tag',
      tag: 'vip',
    });
    expect(op.statusCode, op.body).toBe(200);
    expect((await api(rep).get(`/api/v1/bulk-operations/${op.json().id}`)).statusCode).toBe(404);
    expect((await api(admin).get(`/api/v1/bulk-operations/${op.json().id}`)).statusCode).toBe(200);
  });

  it("erase: a rep cannot erase a teammate's contact", async () => {
    const mate = await contactOf(teammate, 'EraseMe');
    const res = await api(rep).post(`/api/v1/contacts/${mate.id}/erase`, {});
    expect(res.statusCode).toBe(403);
    expect((await api(admin).get(`/api/v1/contacts/${mate.id}`)).json()).toMatchObject({
      firstName: 'EraseMe',
      version: mate.version,
    });
  });

  it('webhooks: rotate, replay and redeliver need webhooks:update for the whole organization', async () => {
    const hook = await api(admin).post('/api/v1/webhooks', {
      url: 'http://127.0.0.1:9/hook',
      eventTypes: ['contact.created'],
    });
    expect(hook.statusCode, hook.body).toBe(201);
    const id = hook.json().id as string;
    const scoped = await userWith('hook_keeper', [
      ['webhooks:read', 'own'],
      ['webhooks:update', 'own'],
    ]);
    const rotate = await api(scoped).post(`/api/v1/webhooks/${id}/rotate-secret`, {});
    expect(rotate.statusCode).toBe(403);
    expect(errorOf(rotate).details).toEqual({ permission: 'webhooks:update', scope: 'all' });
    expect(
      (
        await api(scoped).post(`/api/v1/webhooks/${id}/replay`, {
          since: new Date(Date.now() - 60_000).toISOString(),
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await api(scoped).post(`/api/v1/webhook-deliveries/${uuidv7()}/redeliver`, {})).statusCode,
    ).toBe(403);
    expect((await api(scoped).get(`/api/v1/webhooks/${id}/deliveries`)).statusCode).toBe(403);
    expect(await versionOf(`/api/v1/webhooks/${id}`)).toBe(hook.json().version);
  });

  it('jobs: retry and discard need jobs:update for the whole organization', async () => {
    const scoped = await userWith('job_watcher', [
      ['jobs:read', 'team'],
      ['jobs:update', 'team'],
    ]);
    expect((await api(scoped).post(`/api/v1/jobs/${uuidv7()}/retry`, {})).statusCode).toBe(403);
    expect((await api(scoped).post(`/api/v1/jobs/${uuidv7()}/discard`, {})).statusCode).toBe(403);
    expect((await api(scoped).get('/api/v1/jobs')).statusCode).toBe(403);
    // With the whole organization in scope the same call reaches the job (here: none such, 404).
    expect((await api(admin).post(`/api/v1/jobs/${uuidv7()}/retry`, {})).statusCode).toBe(404);
  });

  it('workflows: editing needs the whole organization; a manual run needs update on the record', async () => {
    const scoped = await userWith('flow_runner', [
      ['workflows:read', 'all'],
      ['workflows:update', 'own'],
      ['contacts:read', 'all'],
    ]);
    const flow = await api(admin).post('/api/v1/workflows', {
      name: 'Manual tag',
      draft: {
        trigger: { type: 'manual', object: 'contact' },
        conditions: null,
        start: 's1',
        steps: [{ id: 's1', type: 'add_tag', tag: 'ran', next: null }],
        layout: {},
      },
    });
    expect(flow.statusCode, flow.body).toBe(201);
    const id = flow.json().id as string;
    expect(
      (await api(scoped).patch(`/api/v1/workflows/${id}`, { name: 'Renamed' })).statusCode,
    ).toBe(403);
    expect((await api(admin).post(`/api/v1/workflows/${id}/publish`, {})).statusCode).toBe(200);
    expect((await api(admin).patch(`/api/v1/workflows/${id}`, { enabled: true })).statusCode).toBe(
      200,
    );
    const contact = await contactOf(admin, 'Runner');
    const run = await api(scoped).post(`/api/v1/workflows/${id}/run`, { recordId: contact.id });
    expect(run.statusCode).toBe(403);
    expect(errorOf(run).details).toEqual({ permission: 'contacts:update' });
    expect(
      (await api(admin).post(`/api/v1/workflows/${id}/run`, { recordId: contact.id })).statusCode,
    ).toBe(202);
  });
});
