import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  registerOrganization,
  uploadImport,
  type TestUser,
} from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { runDueJobs } from '../../../test/jobs.js';

interface Rec {
  id: string;
  name: string;
  ownerId: string | null;
  version: number;
  [key: string]: unknown;
}

describe('custom objects', () => {
  let t: TestApp;
  let admin: TestUser;
  let rep: TestUser;
  let other: TestUser;
  let companyId: string;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Custom');
    rep = await addUser(t.app, admin, 'sales_rep');
    other = await registerOrganization(t.app, 'Elsewhere');
    const company = await client(t.app, admin.token).post('/api/v1/companies', { name: 'Acme' });
    companyId = company.json<{ id: string }>().id;
  });
  afterAll(() => t.close());

  const api = (u: TestUser = admin) => client(t.app, u.token);

  it('defines an object with fields, relations and a resource, described like a built-in one', async () => {
    const res = await api().post('/api/v1/objects', {
      key: 'project',
      labels: { singular: 'Project', plural: 'Projects' },
      icon: 'folder',
      fields: [
        { key: 'budget', label: 'Budget', type: 'number' },
        {
          key: 'stage',
          label: 'Stage',
          type: 'select',
          options: { choices: ['plan', 'build', 'done'] },
        },
        { key: 'client', label: 'Client', type: 'relation', options: { objectType: 'company' } },
        { key: 'startsOn', label: 'Starts on', type: 'date' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const project = res.json<{
      resource: string;
      custom: boolean;
      capabilities: Record<string, boolean>;
      fields: Array<{
        key: string;
        kind: string;
        custom: boolean;
        definitionId?: string;
        relation?: string;
      }>;
    }>();
    expect(project.resource).toBe('projects');
    expect(project.custom).toBe(true);
    expect(project.capabilities).toMatchObject({
      trash: true,
      import: true,
      export: true,
      workflows: true,
    });
    expect(project.fields.map((f) => f.key)).toEqual([
      'name',
      'ownerId',
      'budget',
      'stage',
      'client',
      'startsOn',
      'createdAt',
      'updatedAt',
    ]);
    const client_ = project.fields.find((f) => f.key === 'client');
    expect(client_).toMatchObject({ kind: 'relation', relation: 'company', custom: false });
    expect(client_?.definitionId).toMatch(/^[0-9a-f-]{36}$/);
    // A second object links to projects, many-to-many.
    const task = await api().post('/api/v1/objects', {
      key: 'milestone',
      labels: { singular: 'Milestone', plural: 'Milestones' },
      fields: [
        {
          key: 'projects',
          label: 'Projects',
          type: 'relation',
          options: { objectType: 'project', multiple: true },
        },
      ],
    });
    expect(task.statusCode, task.body).toBe(201);
    const keys = (await api().get('/api/v1/objects')).json<{ data: Array<{ key: string }> }>().data;
    expect(keys.map((o) => o.key)).toEqual(
      expect.arrayContaining(['contact', 'project', 'milestone']),
    );
  });

  it('refuses taken keys and resources, bad fields and relations to nothing, naming the field', async () => {
    const taken = await api().post('/api/v1/objects', {
      key: 'contact',
      labels: { singular: 'C', plural: 'Things' },
    });
    expect(taken.statusCode).toBe(409);
    expect(errorOf(taken).details).toMatchObject({ path: 'key' });
    const route = await api().post('/api/v1/objects', {
      key: 'person',
      labels: { singular: 'Person', plural: 'Deals' },
    });
    expect(route.statusCode).toBe(409);
    expect(errorOf(route).details).toMatchObject({ path: 'resource' });
    const badField = await api().post('/api/v1/objects', {
      key: 'vehicle',
      labels: { singular: 'Vehicle', plural: 'Vehicles' },
      fields: [
        { key: 'owner', label: 'Owner', type: 'relation', options: { objectType: 'spaceship' } },
      ],
    });
    expect(badField.statusCode).toBe(400);
    expect(errorOf(badField).details).toEqual([
      expect.objectContaining({ path: 'fields.0.options.objectType' }),
    ]);
    // Nothing half-defined is left behind.
    expect((await api().get('/api/v1/objects/vehicle')).statusCode).toBe(404);
    const asRep = await api(rep).post('/api/v1/objects', {
      key: 'gadget',
      labels: { singular: 'Gadget', plural: 'Gadgets' },
    });
    expect(asRep.statusCode).toBe(403);
  });

  it('creates, reads, updates with If-Match, deletes and restores records with audit and events', async () => {
    const created = await api().post('/api/v1/projects', {
      name: 'Website relaunch',
      budget: 12000,
      stage: 'plan',
      client: companyId,
      startsOn: '2027-01-15',
    });
    expect(created.statusCode, created.body).toBe(201);
    const p = created.json<Rec>();
    expect(p).toMatchObject({
      name: 'Website relaunch',
      budget: 12000,
      stage: 'plan',
      client: companyId,
      ownerId: admin.userId,
      version: 1,
    });
    const stale = await api().patch(
      `/api/v1/projects/${p.id}`,
      { stage: 'build' },
      { 'if-match': '7' },
    );
    expect(stale.statusCode).toBe(412);
    const updated = await api().patch(
      `/api/v1/projects/${p.id}`,
      { stage: 'build', budget: null },
      { 'if-match': '1' },
    );
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json<Rec>()).toMatchObject({ stage: 'build', budget: null, version: 2 });
    expect((await api().delete(`/api/v1/projects/${p.id}`)).statusCode).toBe(204);
    expect((await api().get(`/api/v1/projects/${p.id}`)).statusCode).toBe(404);
    const trash = await api().get('/api/v1/projects?trashed=true');
    expect(trash.json<{ data: Rec[] }>().data.map((r) => r.id)).toEqual([p.id]);
    const restored = await api().post(`/api/v1/projects/${p.id}/restore`);
    expect(restored.statusCode, restored.body).toBe(200);
    const audit = await api().get(`/api/v1/audit-log?filter[targetId]=${p.id}`);
    expect(audit.statusCode, audit.body).toBe(200);
    expect(
      audit
        .json<{ data: Array<{ action: string }> }>()
        .data.map((e) => e.action)
        .sort(),
    ).toEqual(['project.created', 'project.deleted', 'project.restored', 'project.updated']);
  });

  it('refuses bad values, unknown fields and foreign links, naming each field', async () => {
    const bad = await api().post('/api/v1/projects', {
      budget: 'lots',
      stage: 'dreaming',
      colour: 'red',
    });
    expect(bad.statusCode).toBe(400);
    expect((errorOf(bad).details ?? []).map((d) => d.path).sort()).toEqual([
      'budget',
      'colour',
      'name',
      'stage',
    ]);
    const foreignCompany = (
      await client(t.app, other.token).post('/api/v1/companies', { name: 'Theirs' })
    ).json<{ id: string }>().id;
    const foreign = await api().post('/api/v1/projects', { name: 'X', client: foreignCompany });
    expect(foreign.statusCode).toBe(422);
    expect(errorOf(foreign).details).toEqual([expect.objectContaining({ path: 'client' })]);
    const missingProject = await api().post('/api/v1/milestones', {
      name: 'M1',
      projects: ['01890000-0000-7000-8000-000000000000'],
    });
    expect(missingProject.statusCode).toBe(422);
    expect(errorOf(missingProject).details).toEqual([
      expect.objectContaining({ path: 'projects.0' }),
    ]);
  });

  it('lists with filters, sorts, search and counts; many-to-many links filter by contains', async () => {
    const names = ['Alpha migration', 'Beta portal', 'Gamma audit', 'Delta portal rework'];
    const ids: string[] = [];
    for (const [i, name] of names.entries()) {
      const r = await api().post('/api/v1/projects', {
        name,
        budget: (i + 1) * 1000,
        stage: i % 2 ? 'build' : 'plan',
      });
      ids.push(r.json<Rec>().id);
    }
    const list = async (q: string) => {
      const res = await api().get(`/api/v1/projects?${q}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ data: Rec[]; meta: { total?: number } }>();
    };
    const built = await list('filter[stage]=build&sort=-budget&count=true');
    // The restored Website relaunch is at build too; its budget was cleared, so it sorts last.
    expect(built.data.map((r) => r.name)).toEqual([
      'Delta portal rework',
      'Beta portal',
      'Website relaunch',
    ]);
    expect(built.meta.total).toBe(3);
    expect(
      (await list('filter[custom.budget][gte]=3000&sort=budget')).data.map((r) => r.name),
    ).toEqual(['Gamma audit', 'Delta portal rework']);
    expect((await list('q=portl')).data.map((r) => r.name).sort()).toEqual([
      'Beta portal',
      'Delta portal rework',
    ]);
    const badFilter = await api().get('/api/v1/projects?filter[colour]=red');
    expect(badFilter.statusCode).toBe(400);
    const m = await api().post('/api/v1/milestones', {
      name: 'Launch',
      projects: [ids[0], ids[2]],
    });
    expect(m.statusCode, m.body).toBe(201);
    const linked = await api().get(`/api/v1/milestones?filter[projects][contains]=${ids[2]}`);
    expect(linked.json<{ data: Rec[] }>().data.map((r) => r.name)).toEqual(['Launch']);
  });

  it('keeps records to their organization and their owner scope', async () => {
    const mine = (await api().get('/api/v1/projects?limit=1')).json<{ data: Rec[] }>().data[0];
    expect(mine).toBeDefined();
    const theirs = await client(t.app, other.token).get(`/api/v1/projects/${mine?.id}`);
    expect(theirs.statusCode).toBe(404);
    expect((await client(t.app, other.token).get('/api/v1/projects')).statusCode).toBe(404);
    // A rep sees their team's records, not the admin's (who is in no team), and creates their own.
    const repList = await api(rep).get('/api/v1/projects');
    expect(repList.statusCode).toBe(200);
    expect(repList.json<{ data: Rec[] }>().data).toEqual([]);
    const own = await api(rep).post('/api/v1/projects', { name: 'Rep project' });
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json<Rec>().ownerId).toBe(rep.userId);
    const handOff = await api(rep).post('/api/v1/projects', { name: 'X', ownerId: admin.userId });
    expect(handOff.statusCode).toBe(403);
    expect((await api(rep).delete(`/api/v1/projects/${mine?.id}`)).statusCode).toBe(404);
  });

  it('exports the filtered list as CSV with a column per described field, in its order', async () => {
    const res = await api().get('/api/v1/projects/export?filter[stage]=build&sort=name');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe('id,name,ownerId,budget,stage,client,startsOn,createdAt,updatedAt');
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual([
      'Beta portal',
      'Delta portal rework',
      'Website relaunch',
    ]);
  });

  it('exports only the columns asked for, and refuses one the object does not have', async () => {
    const res = await api().get(
      '/api/v1/projects/export?filter[stage]=build&sort=name&columns=name,stage',
    );
    expect(res.statusCode, res.body).toBe(200);
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe('id,name,stage');
    expect(lines[1]?.split(',').slice(1)).toEqual(['Beta portal', 'build']);
    const bad = await api().get('/api/v1/projects/export?columns=name,nope');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('columns');
  });

  it('archives a field: its values stay but it leaves the description and validation until unarchived', async () => {
    const fields = (await api().get('/api/v1/custom-fields?objectType=project')).json<{
      data: Array<{ id: string; key: string; archived: boolean }>;
    }>().data;
    const budget = fields.find((f) => f.key === 'budget');
    const archived = await api().patch(`/api/v1/custom-fields/${budget?.id}`, { archived: true });
    expect(archived.statusCode, archived.body).toBe(200);
    expect(archived.json<{ archived: boolean }>().archived).toBe(true);
    const described = (await api().get('/api/v1/objects/project')).json<{
      fields: Array<{ key: string }>;
    }>();
    expect(described.fields.map((f) => f.key)).not.toContain('budget');
    const refused = await api().post('/api/v1/projects', { name: 'Y', budget: 5 });
    expect(refused.statusCode).toBe(400);
    await api().patch(`/api/v1/custom-fields/${budget?.id}`, { archived: false });
    const back = (await api().get('/api/v1/projects?filter[name]=Gamma audit')).json<{
      data: Rec[];
    }>();
    expect(back.data[0]?.budget).toBe(3000);
  });

  it('imports a file into an object by field key, reports bad rows by column and rolls back', async () => {
    const csv = [
      'Name,budget,stage,client',
      `Import one,1500,plan,${companyId}`,
      'Import two,"2,500",build,',
      'Import three,lots,plan,',
      'Import four,10,plan,01890000-0000-7000-8000-000000000000',
      'Gamma audit,1,done,',
    ].join('\n');
    const res = await uploadImport(t.app, admin, { objectType: 'project', dedupe: 'skip' }, csv);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json<{ mapping: Record<string, string> }>().mapping).toEqual({
      Name: 'name',
      budget: 'budget',
      stage: 'stage',
      client: 'client',
    });
    await runDueJobs(t.deps);
    const done = (await api().get(`/api/v1/imports/${res.json<{ id: string }>().id}`)).json<{
      id: string;
      status: string;
      created: number;
      skipped: number;
      failed: number;
      errors: Array<{ row: number; column: string | null }>;
    }>();
    expect(done).toMatchObject({ status: 'done', created: 2, skipped: 1, failed: 2 });
    expect(done.errors.map((e) => [e.row, e.column])).toEqual([
      [3, 'budget'],
      [4, 'client'],
    ]);
    const two = (await api().get('/api/v1/projects?filter[name]=Import two')).json<{
      data: Rec[];
    }>();
    expect(two.data[0]).toMatchObject({ budget: 2500, stage: 'build' });
    const unknown = await uploadImport(t.app, admin, { objectType: 'spaceship' }, csv);
    expect(unknown.statusCode).toBe(400);
    expect(errorOf(unknown).details).toEqual([expect.objectContaining({ path: 'objectType' })]);
    const rollback = await api().post(`/api/v1/imports/${done.id}/rollback`);
    expect(rollback.statusCode, rollback.body).toBe(200);
    expect(
      (await api().get('/api/v1/projects?filter[name]=Import two')).json<{ data: Rec[] }>().data,
    ).toEqual([]);
  });

  it('keeps saved views of a custom object, and refuses views of an object there is not', async () => {
    const view = await api().post('/api/v1/views', {
      objectType: 'project',
      name: 'Building',
      filters: { 'filter[stage]': 'build' },
      sort: '-budget',
    });
    expect(view.statusCode, view.body).toBe(201);
    const views = await api().get('/api/v1/views?objectType=project');
    expect(views.json<{ data: Array<{ name: string }> }>().data.map((v) => v.name)).toEqual([
      'Building',
    ]);
    const none = await api().post('/api/v1/views', { objectType: 'spaceship', name: 'X' });
    expect(none.statusCode).toBe(400);
    expect(errorOf(none).details).toEqual([expect.objectContaining({ path: 'objectType' })]);
  });

  it('removes an object only once it holds no records', async () => {
    const held = await api().delete('/api/v1/objects/project');
    expect(held.statusCode).toBe(409);
    const empty = await api().post('/api/v1/objects', {
      key: 'scratch',
      labels: { singular: 'Scratch', plural: 'Scratches' },
    });
    expect(empty.statusCode).toBe(201);
    expect((await api().delete('/api/v1/objects/scratch')).statusCode).toBe(204);
    expect((await api().get('/api/v1/scratches')).statusCode).toBe(404);
  });
});
