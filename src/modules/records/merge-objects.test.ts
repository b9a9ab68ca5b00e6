import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { withSystem } from '../../platform/db/index.js';

/** Merge and undo of any object that can be merged, through its declaration (records/merge.ts). */
describe('merging leads, deals and custom objects', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Merge all');
  });
  afterAll(() => t.close());
  const api = (u: TestUser = admin) => client(t.app, u.token);
  const post = async <T = Record<string, unknown>>(path: string, body: unknown) => {
    const res = await api().post(path, body);
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json<T & { id: string }>();
  };
  const eventsOf = (id: string) =>
    withSystem(t.deps.database.db, (tx) =>
      tx
        .selectFrom('outbox')
        .select(['type', 'payload'])
        .where('aggregate_id', '=', id)
        .where('type', 'like', '%merge%')
        .orderBy('position')
        .execute(),
    );

  it('says which objects can be merged', async () => {
    const objects = (await api().get('/api/v1/objects')).json<{
      data: Array<{ key: string; capabilities: { merge: boolean } }>;
    }>().data;
    const merge = Object.fromEntries(objects.map((o) => [o.key, o.capabilities.merge]));
    expect(merge).toMatchObject({
      contact: true,
      company: true,
      lead: true,
      deal: true,
      ticket: false,
      activity: false,
    });
  });

  it('merges leads with chosen values, moves their activities, and undoes it all', async () => {
    const keep = await post('/api/v1/leads', {
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@navy.example',
      title: 'Rear admiral',
      tags: ['cobol'],
    });
    const drop = await post('/api/v1/leads', {
      firstName: 'G.',
      lastName: 'Hopper',
      email: 'ghopper@harvard.example',
      companyName: 'Harvard',
      tags: ['mark-i'],
    });
    const call = await post('/api/v1/activities', {
      type: 'call',
      subject: 'About the compiler',
      links: [{ objectType: 'lead', recordId: drop.id }],
    });

    const res = await api().post(`/api/v1/leads/${keep.id}/merge`, {
      sourceIds: [drop.id],
      fields: { email: drop.id },
    });
    expect(res.statusCode, res.body).toBe(200);
    const { mergeId, survivor } = res.json();
    expect(survivor).toMatchObject({
      id: keep.id,
      firstName: 'Grace',
      title: 'Rear admiral',
      email: 'ghopper@harvard.example',
      companyName: 'Harvard',
    });
    expect([...survivor.tags].sort()).toEqual(['cobol', 'mark-i']);
    const gone = await api().get(`/api/v1/leads/${drop.id}`);
    expect(gone.statusCode).toBe(404);
    expect(errorOf(gone)).toMatchObject({
      code: 'RECORD_MERGED',
      details: { survivorId: keep.id },
    });
    const list = (await api().get('/api/v1/leads?limit=100')).json().data as Array<{ id: string }>;
    expect(list.map((l) => l.id)).not.toContain(drop.id);
    const linked = (await api().get(`/api/v1/activities/${call.id}`)).json();
    expect(linked.links).toContainEqual(expect.objectContaining({ recordId: keep.id }));

    const undone = await api().post(`/api/v1/merges/${mergeId}/undo`);
    expect(undone.statusCode, undone.body).toBe(200);
    expect(undone.json().restoredIds).toEqual([drop.id]);
    expect((await api().get(`/api/v1/leads/${drop.id}`)).json()).toMatchObject({
      firstName: 'G.',
      email: 'ghopper@harvard.example',
    });
    expect((await api().get(`/api/v1/leads/${keep.id}`)).json()).toMatchObject({
      email: 'grace@navy.example',
      companyName: null,
      tags: ['cobol'],
    });
    const back = (await api().get(`/api/v1/activities/${call.id}`)).json();
    expect(back.links).toContainEqual(expect.objectContaining({ recordId: drop.id }));

    const events = await eventsOf(keep.id);
    expect(events).toEqual([
      {
        type: 'lead.merged',
        payload: expect.objectContaining({ mergeId, survivorId: keep.id, sourceIds: [drop.id] }),
      },
      {
        type: 'lead.merge_undone',
        payload: expect.objectContaining({ mergeId, survivorId: keep.id, sourceIds: [drop.id] }),
      },
    ]);
    const audit = await withSystem(t.deps.database.db, (tx) =>
      tx
        .selectFrom('audit_log')
        .select('action')
        .where('target_id', '=', keep.id)
        .where('action', 'in', ['lead.merged', 'lead.merge_undone'])
        .execute(),
    );
    expect(audit.map((a) => a.action).sort()).toEqual(['lead.merge_undone', 'lead.merged']);
    expect((await api().post(`/api/v1/merges/${mergeId}/undo`)).statusCode).toBe(409);
  });

  it('merges deals: records that reference a source (a contact relation field, an activity) follow the survivor', async () => {
    const def = await api().post('/api/v1/custom-fields', {
      objectType: 'contact',
      key: 'mainDeal',
      label: 'Main deal',
      type: 'relation',
      options: { objectType: 'deal' },
    });
    expect(def.statusCode, def.body).toBe(201);
    const keep = await post('/api/v1/deals', { name: 'Rollout', amount: 1000 });
    const drop = await post('/api/v1/deals', { name: 'Rollout (dup)', amount: 5000 });
    const buyer = await post('/api/v1/contacts', {
      firstName: 'Buyer',
      customFields: { mainDeal: drop.id },
    });
    const meeting = await post('/api/v1/activities', {
      type: 'meeting',
      subject: 'Kick-off',
      dealId: drop.id,
    });

    const res = await api().post(`/api/v1/deals/${keep.id}/merge`, {
      sourceIds: [drop.id],
      fields: { amount: drop.id },
    });
    expect(res.statusCode, res.body).toBe(200);
    const { mergeId, survivor } = res.json();
    expect(survivor).toMatchObject({ id: keep.id, name: 'Rollout', amount: 5000 });
    expect((await api().get(`/api/v1/contacts/${buyer.id}`)).json().customFields.mainDeal).toBe(
      keep.id,
    );
    expect((await api().get(`/api/v1/activities/${meeting.id}`)).json().dealId).toBe(keep.id);
    expect(errorOf(await api().get(`/api/v1/deals/${drop.id}`))?.code).toBe('RECORD_MERGED');

    expect((await api().post(`/api/v1/merges/${mergeId}/undo`)).statusCode).toBe(200);
    expect((await api().get(`/api/v1/deals/${keep.id}`)).json().amount).toBe(1000);
    expect((await api().get(`/api/v1/deals/${drop.id}`)).json().amount).toBe(5000);
    expect((await api().get(`/api/v1/contacts/${buyer.id}`)).json().customFields.mainDeal).toBe(
      drop.id,
    );
    expect((await api().get(`/api/v1/activities/${meeting.id}`)).json().dealId).toBe(drop.id);
    expect((await eventsOf(keep.id)).map((e) => e.type)).toEqual([
      'deal.merged',
      'deal.merge_undone',
    ]);
  });

  it("merges a custom object's records: another object's relation to them follows, and undo puts it back", async () => {
    const project = await api().post('/api/v1/objects', {
      key: 'project',
      labels: { singular: 'Project', plural: 'Projects' },
      fields: [
        { key: 'budget', label: 'Budget', type: 'number' },
        { key: 'client', label: 'Client', type: 'relation', options: { objectType: 'company' } },
      ],
    });
    expect(project.statusCode, project.body).toBe(201);
    expect(project.json().capabilities.merge).toBe(true);
    const milestone = await api().post('/api/v1/objects', {
      key: 'milestone',
      labels: { singular: 'Milestone', plural: 'Milestones' },
      fields: [
        { key: 'project', label: 'Project', type: 'relation', options: { objectType: 'project' } },
      ],
    });
    expect(milestone.statusCode, milestone.body).toBe(201);
    const acme = await post('/api/v1/companies', { name: 'Acme merge' });
    const keep = await post('/api/v1/projects', { name: 'Apollo', budget: 10 });
    const drop = await post('/api/v1/projects', {
      name: 'Apollo program',
      budget: 99,
      client: acme.id,
    });
    const m1 = await post('/api/v1/milestones', { name: 'Launch', project: drop.id });

    const res = await api().post(`/api/v1/projects/${keep.id}/merge`, {
      sourceIds: [drop.id],
      fields: { name: drop.id },
    });
    expect(res.statusCode, res.body).toBe(200);
    const { mergeId, survivor } = res.json();
    expect(survivor).toMatchObject({
      id: keep.id,
      name: 'Apollo program',
      budget: 10,
      client: acme.id,
    });
    expect((await api().get(`/api/v1/milestones/${m1.id}`)).json().project).toBe(keep.id);
    expect(errorOf(await api().get(`/api/v1/projects/${drop.id}`))?.code).toBe('RECORD_MERGED');
    const listed = (await api().get('/api/v1/projects')).json().data as Array<{ id: string }>;
    expect(listed.map((p) => p.id)).toEqual([keep.id]);

    expect((await api().post(`/api/v1/merges/${mergeId}/undo`)).statusCode).toBe(200);
    expect((await api().get(`/api/v1/projects/${keep.id}`)).json()).toMatchObject({
      name: 'Apollo',
      client: null,
    });
    expect((await api().get(`/api/v1/milestones/${m1.id}`)).json().project).toBe(drop.id);
    expect((await eventsOf(keep.id)).map((e) => [e.type, e.payload])).toEqual([
      ['project.merged', expect.objectContaining({ mergeId, sourceIds: [drop.id] })],
      ['project.merge_undone', expect.objectContaining({ mergeId, sourceIds: [drop.id] })],
    ]);

    // A company merge moves the custom object's relation to the survivor too.
    const acme2 = await post('/api/v1/companies', { name: 'Acme merge copy' });
    const p2 = await post('/api/v1/projects', { name: 'Gemini', client: acme2.id });
    const companies = await api().post(`/api/v1/companies/${acme.id}/merge`, {
      sourceIds: [acme2.id],
    });
    expect(companies.statusCode, companies.body).toBe(200);
    expect((await api().get(`/api/v1/projects/${p2.id}`)).json().client).toBe(acme.id);
    expect((await api().post(`/api/v1/merges/${companies.json().mergeId}/undo`)).statusCode).toBe(
      200,
    );
    expect((await api().get(`/api/v1/projects/${p2.id}`)).json().client).toBe(acme2.id);
  });

  it('refuses bad input by field, another organization by 404 and a role without update by 403', async () => {
    const a = await post('/api/v1/leads', { firstName: 'Ada' });
    const b = await post('/api/v1/leads', { firstName: 'Ada B.' });
    const contact = await post('/api/v1/contacts', { firstName: 'Not a lead' });
    const pathOf = async (body: unknown, id = a.id) =>
      errorOf(await api().post(`/api/v1/leads/${id}/merge`, body))?.details?.[0]?.path;

    const unknownField = await api().post(`/api/v1/leads/${a.id}/merge`, {
      sourceIds: [b.id],
      fields: { shoeSize: b.id },
    });
    expect(unknownField.statusCode).toBe(400);
    expect(errorOf(unknownField)?.details?.[0]?.path).toBe('fields.shoeSize');
    const notAParty = await api().post(`/api/v1/leads/${a.id}/merge`, {
      sourceIds: [b.id],
      fields: { title: contact.id },
    });
    expect(notAParty.statusCode).toBe(400);
    expect(errorOf(notAParty)?.details?.[0]?.path).toBe('fields.title');
    const self = await api().post(`/api/v1/leads/${a.id}/merge`, { sourceIds: [a.id] });
    expect(self.statusCode).toBe(400);
    expect(await pathOf({ sourceIds: [a.id] })).toBe('sourceIds');
    // A record of another object is no lead: the source is named, as an unknown one is.
    expect(await pathOf({ sourceIds: [contact.id] })).toBe('sourceIds.0');
    expect((await api().get(`/api/v1/leads/${b.id}`)).statusCode).toBe(200);

    const other = await registerOrganization(t.app, 'Merge elsewhere');
    const foreign = (
      await client(t.app, other.token).post('/api/v1/leads', { firstName: 'Foreign' })
    ).json<{ id: string }>();
    expect(
      (await api().post(`/api/v1/leads/${foreign.id}/merge`, { sourceIds: [b.id] })).statusCode,
    ).toBe(404);
    const foreignSource = await api().post(`/api/v1/leads/${a.id}/merge`, {
      sourceIds: [foreign.id],
    });
    expect(errorOf(foreignSource)?.details?.[0]?.path).toBe('sourceIds.0');
    expect(
      (
        await client(t.app, other.token).post(`/api/v1/leads/${foreign.id}/merge`, {
          sourceIds: [a.id],
        })
      ).statusCode,
    ).toBe(422);

    const agent = await addUser(t.app, admin, 'support_agent');
    expect(
      (await api(agent).post(`/api/v1/leads/${a.id}/merge`, { sourceIds: [b.id] })).statusCode,
    ).toBe(403);
    expect(
      (await api(agent).post(`/api/v1/deals/${a.id}/merge`, { sourceIds: [b.id] })).statusCode,
    ).toBe(403);
    // Undoing someone else's merge needs update on the object too.
    const merged = await api().post(`/api/v1/leads/${a.id}/merge`, { sourceIds: [b.id] });
    expect(merged.statusCode, merged.body).toBe(200);
    expect((await api(agent).post(`/api/v1/merges/${merged.json().mergeId}/undo`)).statusCode).toBe(
      404,
    );
    expect(
      (await client(t.app, other.token).post(`/api/v1/merges/${merged.json().mergeId}/undo`))
        .statusCode,
    ).toBe(404);
    // Tickets are not merged (see records/merge.ts): no route answers for them.
    expect(
      (await api().post(`/api/v1/tickets/${a.id}/merge`, { sourceIds: [b.id] })).statusCode,
    ).toBe(404);
  });
});
