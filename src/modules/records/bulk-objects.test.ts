import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  registerOrganization,
  salesOrganization,
  type TestUser,
} from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { INLINE_LIMIT } from './bulk.js';

/**
 * Bulk actions beyond contacts and companies: every declared object with a lifecycle, and an
 * admin's custom object, through the same body and answer (`POST /api/v1/{resource}/bulk`).
 */
describe('bulk actions on every object', () => {
  let t: TestApp;
  let admin: TestUser;
  let rep: TestUser;
  let teammate: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    ({ admin, rep, teammate } = await salesOrganization(t.app, 'BulkAll'));
    const gadget = await client(t.app, admin.token).post('/api/v1/objects', {
      key: 'gadget',
      labels: { singular: 'Gadget', plural: 'Gadgets' },
      fields: [
        { key: 'stage', label: 'Stage', type: 'select', options: { choices: ['idea', 'built'] } },
        { key: 'budget', label: 'Budget', type: 'number' },
      ],
    });
    expect(gadget.statusCode, gadget.body).toBe(201);
  });
  afterAll(() => t.close());
  const api = (u: TestUser = admin) => client(t.app, u.token);

  /** Creates `n` records of a resource as `u`, named `<prefix><i>`; answers their ids. */
  const make = async (resource: string, n: number, prefix: string, u: TestUser = admin) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const body =
        resource === 'leads'
          ? { firstName: `${prefix}${i}`, lastName: prefix }
          : { name: `${prefix}${i}` };
      const res = await api(u).post(`/api/v1/${resource}`, body);
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json<{ id: string }>().id);
    }
    return ids;
  };
  const read = async (resource: string, id: string, u: TestUser = admin) =>
    (await api(u).get(`/api/v1/${resource}/${id}`)).json<Record<string, unknown>>();

  it('says on GET /objects what bulk may do to each object, from its declaration', async () => {
    const objects = (await api().get('/api/v1/objects')).json<{
      data: Array<{
        key: string;
        bulk: { fields: string[]; ownerField: string; tags: boolean } | null;
      }>;
    }>().data;
    const bulkOf = (key: string) => objects.find((o) => o.key === key)?.bulk;
    expect(bulkOf('lead')).toMatchObject({ ownerField: 'ownerId', tags: true });
    expect(bulkOf('lead')?.fields).toContain('status');
    expect(bulkOf('activity')).toMatchObject({ ownerField: 'assigneeId', tags: false });
    expect(bulkOf('company')).toMatchObject({
      tags: false,
      fields: ['domain', 'industry', 'size'],
    });
    // A custom object's select field can be set; its number field and its name cannot.
    expect(bulkOf('gadget')).toEqual({ fields: ['stage'], ownerField: 'ownerId', tags: false });
    expect(bulkOf('note')).toMatchObject({ ownerField: 'ownerId' });
  });

  for (const resource of ['leads', 'deals', 'gadgets'] as const) {
    const field =
      resource === 'leads'
        ? { field: 'status', value: 'working' }
        : resource === 'deals'
          ? { field: 'currency', value: 'EUR' }
          : { field: 'stage', value: 'built' };

    it(`${resource}: assigns, sets a field and deletes inline, each record through its own service`, async () => {
      const ids = await make(resource, 3, `Inline${resource}`);
      const assign = await api().post(`/api/v1/${resource}/bulk`, {
        ids,
        action: 'assign',
        ownerId: rep.userId,
      });
      expect(assign.statusCode, assign.body).toBe(200);
      expect(assign.json()).toMatchObject({ status: 'done', total: 3, succeeded: 3, skipped: 0 });
      const set = await api().post(`/api/v1/${resource}/bulk`, {
        ids: ids.slice(0, 2),
        action: 'update',
        ...field,
      });
      expect(set.json()).toMatchObject({ status: 'done', succeeded: 2, skipped: 0 });
      const [first, second, third] = await Promise.all(ids.map((id) => read(resource, id)));
      expect(first).toMatchObject({ ownerId: rep.userId, [field.field]: field.value });
      expect(second).toMatchObject({ ownerId: rep.userId, [field.field]: field.value });
      expect(third?.[field.field]).not.toBe(field.value);
      // The change is the record's own: its version moved once per change.
      expect(first?.version).toBe(3);

      const del = await api().post(`/api/v1/${resource}/bulk`, { ids: [ids[0]], action: 'delete' });
      expect(del.json()).toMatchObject({
        status: 'done',
        succeeded: 1,
        objectType: expect.any(String),
      });
      expect((await api().get(`/api/v1/${resource}/${ids[0]}`)).statusCode).toBe(404);
      expect((await api().get(`/api/v1/${resource}/${ids[1]}`)).statusCode).toBe(200);
    });
  }

  const background = [
    { resource: 'deals', action: { action: 'assign', ownerId: '' } },
    { resource: 'gadgets', action: { action: 'update', field: 'stage', value: 'idea' } },
    { resource: 'leads', action: { action: 'delete' } },
  ] as const;
  for (const { resource, action } of background) {
    it(`${resource}: runs ${action.action} on a filter of more than ${INLINE_LIMIT} records as a job, a batch per step`, async () => {
      const ids = await make(resource, INLINE_LIMIT + 1, `Many${resource}`);
      const body = action.action === 'assign' ? { ...action, ownerId: teammate.userId } : action;
      // Leads filter on their last name; deals and gadgets on their name.
      const filter =
        resource === 'leads'
          ? { 'filter[lastName]': `Many${resource}` }
          : { 'filter[name][contains]': `Many${resource}` };
      const res = await api().post(`/api/v1/${resource}/bulk`, { filter, ...body });
      expect(res.statusCode, res.body).toBe(202);
      const op = res.json<{ id: string }>();
      expect(op).toMatchObject({ status: 'queued', total: INLINE_LIMIT + 1, processed: 0 });
      await t.deps.jobs.runDue();
      expect((await api().get(`/api/v1/bulk-operations/${op.id}`)).json()).toMatchObject({
        status: 'running',
        processed: INLINE_LIMIT,
      });
      await t.deps.jobs.runDue();
      expect((await api().get(`/api/v1/bulk-operations/${op.id}`)).json()).toMatchObject({
        status: 'done',
        processed: INLINE_LIMIT + 1,
        succeeded: INLINE_LIMIT + 1,
        skipped: 0,
      });
      const last = await api().get(`/api/v1/${resource}/${ids[INLINE_LIMIT] ?? ''}`);
      if (action.action === 'delete') expect(last.statusCode).toBe(404);
      else if (action.action === 'assign') expect(last.json().ownerId).toBe(teammate.userId);
      else expect(last.json().stage).toBe('idea');
    }, 120_000);
  }

  it('skips a record changed since the versions given, as stale, and changes the others', async () => {
    const ids = await make('deals', 2, 'Versioned');
    const versions = Object.fromEntries(
      await Promise.all(ids.map(async (id) => [id, (await read('deals', id)).version] as const)),
    );
    await api().patch(`/api/v1/deals/${ids[1]}`, { name: 'Versioned changed' });
    const res = await api().post('/api/v1/deals/bulk', {
      ids,
      versions,
      action: 'assign',
      ownerId: rep.userId,
    });
    expect(res.json()).toMatchObject({
      succeeded: 1,
      skipped: 1,
      errors: [{ id: ids[1], code: 'VERSION_MISMATCH' }],
    });
    expect((await read('deals', ids[1] ?? '')).ownerId).toBe(admin.userId);
    expect((await read('deals', ids[0] ?? '')).ownerId).toBe(rep.userId);
    const stray = await api().post('/api/v1/deals/bulk', {
      filter: { q: 'x' },
      versions,
      action: 'delete',
    });
    expect(errorOf(stray).details?.[0]?.path).toBe('versions');
  });

  it("refuses a role without the action's permission (403), and skips records outside its scope", async () => {
    const marketer = await addUser(t.app, admin, 'marketing_specialist');
    const leads = await make('leads', 1, 'Guarded');
    const refused = await api(marketer).post('/api/v1/leads/bulk', {
      ids: leads,
      action: 'delete',
    });
    expect(refused.statusCode).toBe(403);
    const agent = await addUser(t.app, admin, 'support_agent');
    const gadgets = await make('gadgets', 1, 'Guarded');
    expect(
      (await api(agent).post('/api/v1/gadgets/bulk', { ids: gadgets, action: 'delete' }))
        .statusCode,
    ).toBe(403);
    expect((await api().get(`/api/v1/leads/${leads[0]}`)).statusCode).toBe(200);

    // A rep deletes only their own deals; a teammate's are reported, not deleted.
    const mine = await make('deals', 1, 'RepOwn', rep);
    const theirs = await make('deals', 2, 'MateOwn', teammate);
    const res = (
      await api(rep).post('/api/v1/deals/bulk', { ids: [...mine, ...theirs], action: 'delete' })
    ).json<{ succeeded: number; skipped: number; errors: Array<{ id: string }> }>();
    expect(res).toMatchObject({ succeeded: 1, skipped: 2 });
    expect(res.errors.map((e) => e.id).sort()).toEqual([...theirs].sort());
    expect((await api(teammate).get(`/api/v1/deals/${theirs[0]}`)).statusCode).toBe(200);
  });

  it("skips another organization's ids as missing, and hides its operations and objects", async () => {
    const other = await registerOrganization(t.app, 'BulkAllOther');
    const foreignLead = (
      await api(other).post('/api/v1/leads', { firstName: 'Foreign', lastName: 'Lead' })
    ).json<{ id: string; status: string; ownerId: string }>();
    const res = await api().post('/api/v1/leads/bulk', {
      ids: [foreignLead.id],
      action: 'update',
      field: 'status',
      value: 'qualified',
    });
    expect(res.json()).toMatchObject({
      succeeded: 0,
      skipped: 1,
      errors: [{ id: foreignLead.id, message: expect.stringContaining('not found') }],
    });
    expect(await read('leads', foreignLead.id, other)).toMatchObject({
      status: foreignLead.status,
      ownerId: foreignLead.ownerId,
    });
    expect((await api(other).get(`/api/v1/bulk-operations/${res.json().id}`)).statusCode).toBe(404);
    // The other organization has no gadgets: its bulk route answers 404 like its list.
    const gadgets = await make('gadgets', 1, 'Hidden');
    expect(
      (await api(other).post('/api/v1/gadgets/bulk', { ids: gadgets, action: 'delete' }))
        .statusCode,
    ).toBe(404);
    expect((await api().get(`/api/v1/gadgets/${gadgets[0]}`)).statusCode).toBe(200);
  });

  it('answers 400 naming the field for a field or tags the object does not have', async () => {
    const ids = ['0190a000-0000-7000-8000-000000000001'];
    const deals = errorOf(
      await api().post('/api/v1/deals/bulk', {
        ids,
        action: 'update',
        field: 'industry',
        value: 'x',
      }),
    );
    expect(deals.details?.[0]?.path).toBe('field');
    for (const field of ['budget', 'nope']) {
      const res = await api().post('/api/v1/gadgets/bulk', {
        ids,
        action: 'update',
        field,
        value: '1',
      });
      expect(res.statusCode).toBe(400);
      expect(errorOf(res).details?.[0]).toMatchObject({
        path: 'field',
        message: expect.stringContaining(`"${field}"`),
      });
    }
    const tags = await api().post('/api/v1/gadgets/bulk', { ids, action: 'add_tag', tag: 'x' });
    expect(tags.statusCode).toBe(400);
    expect(errorOf(tags).details?.[0]?.path).toBe('action');
    const companyTags = await api().post('/api/v1/companies/bulk', {
      ids,
      action: 'add_tag',
      tag: 'x',
    });
    expect(errorOf(companyTags).details?.[0]?.path).toBe('action');
  });
});
