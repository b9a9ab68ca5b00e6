import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  createTeam,
  registerOrganization,
  type TestUser,
} from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { withSystem } from '../../platform/db/index.js';
import { sql } from 'kysely';

describe('lead conversion', () => {
  let t: TestApp;
  let admin: TestUser;
  let other: TestUser;
  let rep: TestUser;
  let teammate: TestUser;
  let outsider: TestUser;
  let marketer: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Convert');
    other = await registerOrganization(t.app, 'Elsewhere');
    rep = await addUser(t.app, admin, 'sales_rep');
    teammate = await addUser(t.app, admin, 'sales_rep');
    outsider = await addUser(t.app, admin, 'sales_rep');
    marketer = await addUser(t.app, admin, 'marketing_specialist');
    await createTeam(t.app, admin, 'East', [{ userId: rep.userId }, { userId: teammate.userId }]);
    await createTeam(t.app, admin, 'West', [{ userId: outsider.userId }]);
  });
  afterAll(() => t.close());

  const api = (u: TestUser = admin) => client(t.app, u.token);
  const newLead = async (body: Record<string, unknown>, u: TestUser = admin) => {
    const res = await api(u).post('/api/v1/leads', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; version: number }>();
  };
  const convert = (id: string, body: Record<string, unknown> = {}, u: TestUser = admin) =>
    api(u).post(`/api/v1/leads/${id}/convert`, body);
  const contactsWithEmail = async (email: string) =>
    (await api().get(`/api/v1/contacts?filter[email]=${encodeURIComponent(email)}`)).json()
      .data as Array<{ id: string }>;

  it("creates the contact and company, moves the lead's activities, and links everything", async () => {
    const lead = await newLead({
      firstName: 'Ada',
      lastName: 'Byron',
      email: 'ada@engines.example',
      phone: '+14155550123',
      companyName: 'Analytical Engines',
      title: 'CTO',
      source: 'webinar',
      tags: ['hot'],
    });
    const call = await api().post('/api/v1/activities', {
      type: 'call',
      subject: 'Discovery call',
      status: 'done',
      leadId: lead.id,
    });
    expect(call.statusCode, call.body).toBe(201);
    const res = await convert(lead.id);
    expect(res.statusCode, res.body).toBe(200);
    const { lead: converted, contact, company, deal } = res.json();
    expect(contact.created).toBe(true);
    expect(company.created).toBe(true);
    expect(deal).toBeNull();
    expect(converted).toMatchObject({
      status: 'converted',
      convertedContactId: contact.id,
      convertedCompanyId: company.id,
      convertedDealId: null,
      version: lead.version + 1,
    });
    expect(converted.convertedAt).toEqual(expect.any(String));
    const person = (await api().get(`/api/v1/contacts/${contact.id}`)).json();
    expect(person).toMatchObject({
      firstName: 'Ada',
      lastName: 'Byron',
      email: 'ada@engines.example',
      phone: '+14155550123',
      title: 'CTO',
      companyId: company.id,
      ownerId: admin.userId,
      source: 'webinar',
      tags: ['hot'],
    });
    expect(person.lastContactedAt).toEqual(expect.any(String));
    expect((await api().get(`/api/v1/companies/${company.id}`)).json()).toMatchObject({
      name: 'Analytical Engines',
      domain: 'engines.example',
    });
    expect((await api().get(`/api/v1/activities/${call.json().id}`)).json()).toMatchObject({
      leadId: lead.id,
      contactId: contact.id,
      companyId: company.id,
    });

    const events = await withSystem(t.deps.database.db, (tx) =>
      tx
        .selectFrom('outbox')
        .select(['type', 'payload'])
        .where('aggregate_id', '=', lead.id)
        .where('type', '=', 'lead.converted')
        .execute(),
    );
    expect(events).toHaveLength(1);
    expect(events[0]?.payload).toMatchObject({
      leadId: lead.id,
      contactId: contact.id,
      companyId: company.id,
      contactCreated: true,
      companyCreated: true,
    });
  });

  it('refuses a second conversion with 409 and keeps the converted lead read-only', async () => {
    const lead = await newLead({ firstName: 'Twice', email: 'twice@once.example' });
    const first = (await convert(lead.id)).json();
    const again = await convert(lead.id);
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('SALES_LEAD_ALREADY_CONVERTED');
    expect(await contactsWithEmail('twice@once.example')).toHaveLength(1);
    const edit = await api().patch(`/api/v1/leads/${lead.id}`, { status: 'working' });
    expect(edit.statusCode).toBe(409);
    expect((await api().get(`/api/v1/leads/${lead.id}`)).json()).toMatchObject({
      status: 'converted',
      convertedContactId: first.contact.id,
    });
  });

  it("matches an existing contact by email and an existing company by the email's domain", async () => {
    const company = (
      await api().post('/api/v1/companies', { name: 'Globex', domain: 'globex.example' })
    ).json();
    const hank = (
      await api().post('/api/v1/contacts', {
        firstName: 'Hank',
        lastName: 'Scorpio',
        email: 'hank@globex.example',
      })
    ).json();
    const lead = await newLead({
      firstName: 'Hank',
      email: 'HANK@globex.example',
      companyName: 'Globex Corporation',
    });
    const res = (await convert(lead.id)).json();
    expect(res.contact).toEqual({ id: hank.id, created: false });
    expect(res.company).toEqual({ id: company.id, created: false });
    expect((await api().get(`/api/v1/contacts/${hank.id}`)).json().companyId).toBe(company.id);
    expect(await contactsWithEmail('hank@globex.example')).toHaveLength(1);
  });

  it('matches a company by name when the email is a free-mail address', async () => {
    const initech = (await api().post('/api/v1/companies', { name: 'Initech' })).json();
    const lead = await newLead({
      firstName: 'Peter',
      email: 'peter.gibbons@gmail.com',
      companyName: ' initech ',
    });
    const res = (await convert(lead.id)).json();
    expect(res.company).toEqual({ id: initech.id, created: false });
    expect(res.contact.created).toBe(true);
  });

  it('opens a deal in the default pipeline, linked to the lead, its contact and company', async () => {
    const lead = await newLead({
      firstName: 'Dealer',
      email: 'dealer@deals.example',
      companyName: 'Deals Inc',
    });
    const res = await convert(lead.id, {
      createDeal: true,
      deal: { amount: 500_000, currency: 'usd' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.lead.convertedDealId).toBe(body.deal.id);
    const deal = (await api().get(`/api/v1/deals/${body.deal.id}`)).json();
    expect(deal).toMatchObject({
      name: 'Deals Inc deal',
      amount: 500_000,
      currency: 'USD',
      contactId: body.contact.id,
      companyId: body.company.id,
      leadId: lead.id,
      status: 'open',
    });
  });

  it('rolls the whole conversion back when the deal cannot be opened', async () => {
    const lead = await newLead({
      firstName: 'Rollback',
      email: 'rollback@atomic.example',
      companyName: 'Atomic',
    });
    // With no pipeline left, opening the deal fails after the contact and company were made.
    await withSystem(t.deps.database.db, (tx) =>
      sql`update pipelines set deleted_at = now() where organization_id = ${admin.organizationId}`.execute(
        tx,
      ),
    );
    try {
      const res = await convert(lead.id, { createDeal: true });
      expect(res.statusCode).toBe(422);
      expect(errorOf(res).code).toBe('SALES_NO_PIPELINE');
    } finally {
      await withSystem(t.deps.database.db, (tx) =>
        sql`update pipelines set deleted_at = null where organization_id = ${admin.organizationId}`.execute(
          tx,
        ),
      );
    }
    expect((await api().get(`/api/v1/leads/${lead.id}`)).json().status).toBe('new');
    expect(await contactsWithEmail('rollback@atomic.example')).toEqual([]);
    expect((await api().get('/api/v1/companies?filter[name]=Atomic')).json().data).toEqual([]);
  });

  it("answers 404 across tenants and outside the rep's scope, 403 when readable but not changeable", async () => {
    const repsLead = await newLead({ firstName: 'Scoped', email: 'scoped@east.example' }, rep);
    expect((await convert(repsLead.id, {}, other)).statusCode).toBe(404);
    expect((await convert(repsLead.id, {}, outsider)).statusCode).toBe(404);
    const byMarketer = await convert(repsLead.id, {}, marketer);
    expect(byMarketer.statusCode).toBe(403);
    expect((await api().get(`/api/v1/leads/${repsLead.id}`)).json().status).toBe('new');
    const byTeammate = await convert(repsLead.id, {}, teammate);
    expect(byTeammate.statusCode, byTeammate.body).toBe(200);
    expect(
      (await api().get(`/api/v1/contacts/${byTeammate.json().contact.id}`)).json().ownerId,
    ).toBe(rep.userId);
  });

  it('refuses references the actor cannot see and leads that name no person', async () => {
    const foreign = (await api(other).post('/api/v1/contacts', { firstName: 'Theirs' })).json();
    const lead = await newLead({ firstName: 'Ref', email: 'ref@refs.example' });
    const res = await convert(lead.id, { contactId: foreign.id });
    expect(res.statusCode).toBe(422);
    expect(errorOf(res).details?.[0]?.path).toBe('contactId');
    const companyOnly = await newLead({ companyName: 'Faceless Ltd' });
    const faceless = await convert(companyOnly.id);
    expect(faceless.statusCode).toBe(422);
    expect(errorOf(faceless).code).toBe('SALES_LEAD_NO_PERSON');
    const bad = await convert(lead.id, { deal: { amount: 1 } });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).details?.[0]?.path).toBe('createDeal');
  });
  it('places the deal where the body says: pipeline, stage, close date and owner', async () => {
    const pipeline = (await api().post('/api/v1/pipelines', { name: 'Renewals' })).json();
    const second = pipeline.stages[1];
    const lead = await newLead({ firstName: 'Placed', email: 'placed@deals.example' });
    const res = await convert(lead.id, {
      createDeal: true,
      deal: {
        name: 'Renewal 2027',
        amount: 120_000,
        expectedCloseDate: '2027-03-31',
        pipelineId: pipeline.id,
        stageId: second.id,
        ownerId: rep.userId,
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const deal = (await api().get(`/api/v1/deals/${res.json().deal.id}`)).json();
    expect(deal).toMatchObject({
      name: 'Renewal 2027',
      amount: 120_000,
      expectedCloseDate: '2027-03-31',
      pipelineId: pipeline.id,
      stageId: second.id,
      ownerId: rep.userId,
    });
  });

  it('refuses a stage of another pipeline with 422 naming deal.stageId, and converts nothing', async () => {
    const pipeline = (await api().post('/api/v1/pipelines', { name: 'Partners' })).json();
    const defaultStage = (await api().get('/api/v1/pipelines')).json().data[0].stages[0];
    const lead = await newLead({ firstName: 'Misplaced', email: 'misplaced@deals.example' });
    const res = await convert(lead.id, {
      createDeal: true,
      deal: { pipelineId: pipeline.id, stageId: defaultStage.id },
    });
    expect(res.statusCode).toBe(422);
    expect(errorOf(res).details?.map((d) => d.path)).toEqual(['deal.stageId']);
    const badOwner = await convert(lead.id, {
      createDeal: true,
      deal: { ownerId: other.userId },
    });
    expect(badOwner.statusCode).toBe(422);
    expect(errorOf(badOwner).details?.map((d) => d.path)).toEqual(['deal.ownerId']);
    // A pipeline id that names none of this organization's pipelines (missing or foreign alike).
    const badPipeline = await convert(lead.id, {
      createDeal: true,
      deal: { pipelineId: '0190a000-0000-7000-8000-000000000000' },
    });
    expect(badPipeline.statusCode).toBe(422);
    expect(errorOf(badPipeline).details?.map((d) => d.path)).toEqual(['deal.pipelineId']);
    const badDate = await convert(lead.id, {
      createDeal: true,
      deal: { expectedCloseDate: 'soon' },
    });
    expect(badDate.statusCode).toBe(400);
    expect(errorOf(badDate).details?.[0]?.path).toBe('deal.expectedCloseDate');
    expect((await api().get(`/api/v1/leads/${lead.id}`)).json().status).toBe('new');
    expect(await contactsWithEmail('misplaced@deals.example')).toEqual([]);
  });

  it('creates a new contact and company when asked to, even when both match', async () => {
    const acme = (
      await api().post('/api/v1/companies', { name: 'Acme Twice', domain: 'acme-twice.example' })
    ).json();
    const wile = (
      await api().post('/api/v1/contacts', { firstName: 'Wile', email: 'wile@acme-twice.example' })
    ).json();
    const lead = await newLead({
      firstName: 'Wile',
      email: 'wile@acme-twice.example',
      companyName: 'Acme Twice',
    });
    const both = await convert(lead.id, { contactId: wile.id, newContact: true });
    expect(both.statusCode).toBe(400);
    expect(errorOf(both).details?.[0]?.path).toBe('newContact');
    const res = await convert(lead.id, { newContact: true, newCompany: true });
    expect(res.statusCode, res.body).toBe(200);
    const { contact, company } = res.json();
    expect(contact.created).toBe(true);
    expect(contact.id).not.toBe(wile.id);
    expect(company.created).toBe(true);
    expect(company.id).not.toBe(acme.id);
    expect((await api().get(`/api/v1/contacts/${contact.id}`)).json().companyId).toBe(company.id);
    // The domain belongs to the existing company; the new one is made without it.
    expect((await api().get(`/api/v1/companies/${company.id}`)).json().domain).toBeNull();
  });

  it('refuses to convert a disqualified lead with 422 until it is requalified', async () => {
    const lead = await newLead({
      firstName: 'Dis',
      email: 'dis@qualified.example',
      status: 'disqualified',
      disqualificationReason: 'No budget',
    });
    const res = await convert(lead.id);
    expect(res.statusCode).toBe(422);
    expect(errorOf(res).code).toBe('SALES_LEAD_DISQUALIFIED');
    expect(await contactsWithEmail('dis@qualified.example')).toEqual([]);
    await api().patch(`/api/v1/leads/${lead.id}`, { status: 'qualified' });
    expect((await convert(lead.id)).statusCode).toBe(200);
  });
});
