import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { sql, withTenant } from '../../platform/db/index.js';
import { purgeExpiredDeals } from '../sales/index.js';

/** Activities link to records of any type through activity_links (migration 0020). */
describe('activity links', () => {
  let t: TestApp;
  let admin: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Links');
    other = await registerOrganization(t.app, 'Elsewhere');
  });
  afterAll(() => t.close());

  const api = (u: TestUser = admin) => client(t.app, u.token);
  const created = async (path: string, body: Record<string, unknown>, u: TestUser = admin) => {
    const res = await api(u).post(path, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; version: number }>();
  };
  const listIds = async (query: string, u: TestUser = admin) => {
    const res = await api(u).get(`/api/v1/activities?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().data as Array<{ id: string }>).map((a) => a.id);
  };
  const timelineIds = async (type: 'contacts' | 'companies', id: string) =>
    (
      (await api().get(`/api/v1/${type}/${id}/timeline?limit=100`)).json().data as Array<{
        id: string;
        kind: string;
      }>
    )
      .filter((e) => e.kind === 'activity')
      .map((e) => e.id);
  const linksInTable = (activityId: string) =>
    withTenant(
      t.deps.database.db,
      admin.organizationId,
      async (tx) =>
        (
          await sql<{
            object_type: string;
            record_id: string;
          }>`select object_type, record_id from activity_links where activity_id = ${activityId} order by object_type`.execute(
            tx,
          )
        ).rows,
    );

  it("shows an activity linked to a deal and a contact on both, and on the contact's company", async () => {
    const company = await created('/api/v1/companies', { name: 'Both Inc' });
    const contact = await created('/api/v1/contacts', {
      firstName: 'Bo',
      lastName: 'Th',
      companyId: company.id,
    });
    const deal = await created('/api/v1/deals', { name: 'Both deal' });
    const call = await created('/api/v1/activities', {
      type: 'call',
      subject: 'Pricing',
      status: 'done',
      contactId: contact.id,
      dealId: deal.id,
    });
    expect((await api().get(`/api/v1/activities/${call.id}`)).json()).toMatchObject({
      contactId: contact.id,
      dealId: deal.id,
      companyId: null,
      leadId: null,
      ticketId: null,
    });
    expect(await linksInTable(call.id)).toEqual([
      { object_type: 'contact', record_id: contact.id },
      { object_type: 'deal', record_id: deal.id },
    ]);

    expect(await listIds(`filter[dealId]=${deal.id}`)).toEqual([call.id]);
    expect(await listIds(`filter[contactId]=${contact.id}`)).toEqual([call.id]);
    expect(await timelineIds('contacts', contact.id)).toEqual([call.id]);
    expect(await timelineIds('companies', company.id)).toEqual([call.id]);
    const entry = (await api().get(`/api/v1/contacts/${contact.id}/timeline`))
      .json()
      .data.find((e: { id: string }) => e.id === call.id);
    expect(entry.data).toMatchObject({
      subject: 'Pricing',
      contactId: contact.id,
      companyId: null,
    });
    expect((await api().get(`/api/v1/contacts/${contact.id}`)).json().lastContactedAt).toEqual(
      expect.any(String),
    );
    // Another organization sees none of it, even naming the ids.
    expect(await listIds(`filter[dealId]=${deal.id}`, other)).toEqual([]);
  });

  it('filters by links with eq, in, ne and isNull, and refuses a malformed id or a sort on a link naming the parameter', async () => {
    const deal = await created('/api/v1/deals', { name: 'Filter deal' });
    const ticket = await created('/api/v1/tickets', { subject: 'Filter ticket' });
    const onDeal = await created('/api/v1/activities', {
      type: 'note',
      subject: 'On the deal',
      dealId: deal.id,
    });
    const onTicket = await created('/api/v1/activities', {
      type: 'note',
      subject: 'On the ticket',
      ticketId: ticket.id,
    });
    const loose = await created('/api/v1/activities', { type: 'note', subject: 'On nothing' });
    expect(await listIds(`filter[dealId][in]=${deal.id},${ticket.id}`)).toEqual([onDeal.id]);
    expect(await listIds(`filter[ticketId][isNull]=false&filter[type]=note`)).toEqual([
      onTicket.id,
    ]);
    const unlinked = await listIds(
      'filter[dealId][isNull]=true&filter[ticketId][isNull]=true&filter[contactId][isNull]=true&limit=200',
    );
    expect(unlinked).toContain(loose.id);
    expect(unlinked).not.toContain(onDeal.id);
    const notThatDeal = await listIds(`filter[dealId][ne]=${deal.id}&limit=200`);
    expect(notThatDeal).toEqual(expect.arrayContaining([onTicket.id, loose.id]));
    expect(notThatDeal).not.toContain(onDeal.id);

    const bad = await api().get('/api/v1/activities?filter[dealId]=nope');
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).details).toEqual([
      { path: 'filter[dealId]', message: expect.stringContaining('UUID') },
    ]);
    const sorted = await api().get('/api/v1/activities?sort=dealId');
    expect(sorted.statusCode).toBe(400);
    expect(errorOf(sorted).details).toEqual([{ path: 'sort', message: 'cannot sort by dealId' }]);
  });

  it("replaces and removes links on update, and refuses another organization's record naming the field", async () => {
    const first = await created('/api/v1/contacts', { firstName: 'First' });
    const second = await created('/api/v1/contacts', { firstName: 'Second' });
    const foreignDeal = await created('/api/v1/deals', { name: 'Not yours' }, other);
    const meeting = await created('/api/v1/activities', {
      type: 'meeting',
      subject: 'Kick-off',
      status: 'done',
      contactId: first.id,
    });
    const moved = await api().patch(`/api/v1/activities/${meeting.id}`, { contactId: second.id });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ contactId: second.id, version: meeting.version + 1 });
    expect(await timelineIds('contacts', first.id)).toEqual([]);
    expect(await timelineIds('contacts', second.id)).toEqual([meeting.id]);
    expect((await api().get(`/api/v1/contacts/${first.id}`)).json().lastContactedAt).toBeNull();

    const refused = await api().patch(`/api/v1/activities/${meeting.id}`, {
      dealId: foreignDeal.id,
      contactId: null,
    });
    expect(refused.statusCode).toBe(422);
    expect(errorOf(refused)).toMatchObject({
      code: 'REFERENCE_NOT_FOUND',
      details: [{ path: 'dealId', message: expect.any(String) }],
    });
    expect(await linksInTable(meeting.id)).toEqual([
      { object_type: 'contact', record_id: second.id },
    ]);

    const cleared = await api().patch(`/api/v1/activities/${meeting.id}`, { contactId: null });
    expect(cleared.json().contactId).toBeNull();
    expect(await linksInTable(meeting.id)).toEqual([]);
    expect((await api().get(`/api/v1/contacts/${second.id}`)).json().lastContactedAt).toBeNull();
  });

  it('follows a contact merge to the survivor and back on undo, keeping its deal link', async () => {
    const survivor = await created('/api/v1/contacts', { firstName: 'Keep', lastName: 'Me' });
    const source = await created('/api/v1/contacts', { firstName: 'Merge', lastName: 'Me' });
    const deal = await created('/api/v1/deals', { name: 'Merge deal' });
    const call = await created('/api/v1/activities', {
      type: 'call',
      subject: 'Merged call',
      contactId: source.id,
      dealId: deal.id,
    });
    const merged = await api().post(`/api/v1/contacts/${survivor.id}/merge`, {
      sourceIds: [source.id],
    });
    expect(merged.statusCode, merged.body).toBe(200);
    expect((await api().get(`/api/v1/activities/${call.id}`)).json()).toMatchObject({
      contactId: survivor.id,
      dealId: deal.id,
    });
    expect(await timelineIds('contacts', survivor.id)).toEqual([call.id]);
    expect(await listIds(`filter[dealId]=${deal.id}`)).toEqual([call.id]);

    expect((await api().post(`/api/v1/merges/${merged.json().mergeId}/undo`)).statusCode).toBe(200);
    expect((await api().get(`/api/v1/activities/${call.id}`)).json()).toMatchObject({
      contactId: source.id,
      dealId: deal.id,
    });
    expect(await timelineIds('contacts', survivor.id)).toEqual([]);
  });

  it("links a lead's activity to the new contact and company on conversion, keeping its lead and deal links", async () => {
    const lead = await created('/api/v1/leads', {
      firstName: 'Lee',
      lastName: 'Convert',
      email: 'lee@converted.example',
      companyName: 'Converted Ltd',
    });
    const deal = await created('/api/v1/deals', { name: 'Lead deal' });
    const call = await created('/api/v1/activities', {
      type: 'call',
      subject: 'Lead call',
      status: 'done',
      leadId: lead.id,
      dealId: deal.id,
    });
    const res = await api().post(`/api/v1/leads/${lead.id}/convert`, {});
    expect(res.statusCode, res.body).toBe(200);
    const { contact, company } = res.json();
    const after = (await api().get(`/api/v1/activities/${call.id}`)).json();
    expect(after).toMatchObject({
      leadId: lead.id,
      dealId: deal.id,
      contactId: contact.id,
      companyId: company.id,
      version: call.version + 1,
    });
    expect(await timelineIds('contacts', contact.id)).toEqual([call.id]);
    expect(await listIds(`filter[dealId]=${deal.id}`)).toEqual([call.id]);
    expect(await listIds(`filter[leadId]=${lead.id}`)).toEqual([call.id]);
    expect((await api().get(`/api/v1/contacts/${contact.id}`)).json().lastContactedAt).toEqual(
      expect.any(String),
    );
  });

  it("keeps a purged deal's activities, without the link", async () => {
    const deal = await created('/api/v1/deals', { name: 'Purged deal' });
    const note = await created('/api/v1/activities', {
      type: 'note',
      subject: 'About the purged deal',
      dealId: deal.id,
    });
    expect((await api().delete(`/api/v1/deals/${deal.id}`)).statusCode).toBe(204);
    expect(
      await purgeExpiredDeals(t.deps, new Date(Date.now() + 31 * 86_400_000)),
    ).toBeGreaterThanOrEqual(1);
    expect((await api().get(`/api/v1/activities/${note.id}`)).json()).toMatchObject({
      subject: 'About the purged deal',
      dealId: null,
    });
    expect(await linksInTable(note.id)).toEqual([]);
  });
});
