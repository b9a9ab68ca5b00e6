import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';

describe('lead conversion preview', () => {
  let t: TestApp;
  let admin: TestUser;
  let other: TestUser;
  let rep: TestUser;
  let otherRep: TestUser;
  let marketer: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Preview');
    other = await registerOrganization(t.app, 'Elsewhere');
    rep = await addUser(t.app, admin, 'sales_rep');
    otherRep = await addUser(t.app, admin, 'sales_rep');
    marketer = await addUser(t.app, admin, 'marketing_specialist');
  });
  afterAll(() => t.close());

  const api = (u: TestUser = admin) => client(t.app, u.token);
  const post = async (path: string, body: Record<string, unknown>, u: TestUser = admin) => {
    const res = await api(u).post(path, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; name: string }>();
  };
  const preview = (id: string, query = '', u: TestUser = admin) =>
    api(u).get(`/api/v1/leads/${id}/conversion-preview${query}`);
  const count = async (resource: string) =>
    (await api().get(`/api/v1/${resource}?count=true&limit=1`)).json().meta.total as number;

  it('shows the contact matched by email, the company by domain, other same-name contacts and the deal defaults', async () => {
    const company = await post('/api/v1/companies', { name: 'Engines', domain: 'engines.example' });
    const ada = await post('/api/v1/contacts', {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@engines.example',
    });
    const namesake = await post('/api/v1/contacts', {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada.l@elsewhere.example',
    });
    const lead = await post('/api/v1/leads', {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ADA@engines.example',
      companyName: 'Analytical Engines',
    });
    const res = await preview(lead.id);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.contact).toMatchObject({
      match: 'email',
      contact: { id: ada.id, name: 'Ada Lovelace', email: 'ada@engines.example' },
    });
    const candidateIds = body.contact.candidates.map((c: { id: string }) => c.id);
    expect(candidateIds).toContain(namesake.id);
    expect(candidateIds).not.toContain(ada.id);
    expect(body.company).toMatchObject({
      match: 'domain',
      company: { id: company.id, name: 'Engines' },
    });
    const pipeline = (await api().get('/api/v1/pipelines')).json().data[0];
    expect(body.deal).toEqual({
      name: 'Analytical Engines deal',
      currency: 'USD',
      ownerId: admin.userId,
      pipeline: { id: pipeline.id, name: pipeline.name },
      stage: { id: pipeline.stages[0].id, name: pipeline.stages[0].name },
    });
    // The conversion then does exactly what the preview said.
    const done = (await api().post(`/api/v1/leads/${lead.id}/convert`, {})).json();
    expect(done.contact).toEqual({ id: ada.id, created: false });
    expect(done.company).toEqual({ id: company.id, created: false });
  });

  it('says new when nothing matches, and writes nothing', async () => {
    const lead = await post('/api/v1/leads', {
      firstName: 'Nobody',
      email: 'nobody@unknown-co.example',
      companyName: 'Unknown Co',
    });
    const [contacts, companies] = [await count('contacts'), await count('companies')];
    const body = (await preview(lead.id)).json();
    expect(body.contact).toEqual({ match: 'new', contact: null, candidates: [] });
    expect(body.company).toMatchObject({ match: 'new', company: null });
    expect([await count('contacts'), await count('companies')]).toEqual([contacts, companies]);
    expect((await api().get(`/api/v1/leads/${lead.id}`)).json().status).toBe('new');
  });

  it('matches a company by name, and says none for a lead without company or person', async () => {
    const initech = await post('/api/v1/companies', { name: 'Initech' });
    const byName = await post('/api/v1/leads', {
      firstName: 'Peter',
      email: 'peter@gmail.com',
      companyName: 'initech',
    });
    expect((await preview(byName.id)).json().company).toMatchObject({
      match: 'name',
      company: { id: initech.id },
    });
    const personOnly = await post('/api/v1/leads', { firstName: 'Solo' });
    expect((await preview(personOnly.id)).json().company).toEqual({
      match: 'none',
      company: null,
      candidates: [],
    });
    const companyOnly = await post('/api/v1/leads', { companyName: 'Faceless Ltd' });
    expect((await preview(companyOnly.id)).json().contact).toMatchObject({
      match: 'none',
      contact: null,
    });
  });

  it('previews the chosen contact and company, or new ones when forced', async () => {
    const chosen = await post('/api/v1/contacts', { firstName: 'Chosen', lastName: 'One' });
    const firm = await post('/api/v1/companies', { name: 'Chosen Firm' });
    const matched = await post('/api/v1/contacts', {
      firstName: 'Grace',
      email: 'grace@navy.example',
    });
    const lead = await post('/api/v1/leads', { firstName: 'Grace', email: 'grace@navy.example' });
    const picked = (await preview(lead.id, `?contactId=${chosen.id}&companyId=${firm.id}`)).json();
    expect(picked.contact).toMatchObject({ match: 'chosen', contact: { id: chosen.id } });
    expect(picked.company).toMatchObject({ match: 'chosen', company: { id: firm.id } });
    const forced = (await preview(lead.id, '?newContact=true&newCompany=true')).json();
    expect(forced.contact).toMatchObject({ match: 'new', contact: null });
    expect(forced.company).toMatchObject({ match: 'new', company: null });
    expect((await preview(lead.id)).json().contact.contact.id).toBe(matched.id);
  });

  it('answers bad choices with 400 and unseen ones with 422 naming the field', async () => {
    const lead = await post('/api/v1/leads', { firstName: 'Bad', email: 'bad@choice.example' });
    const malformed = await preview(lead.id, '?contactId=nope');
    expect(malformed.statusCode).toBe(400);
    expect(errorOf(malformed).details?.[0]?.path).toBe('contactId');
    const contradiction = await preview(lead.id, `?companyId=${uuidv7()}&newCompany=true`);
    expect(contradiction.statusCode).toBe(400);
    expect(errorOf(contradiction).details?.[0]?.path).toBe('newCompany');
    const theirs = await post('/api/v1/contacts', { firstName: 'Theirs' }, other);
    const foreign = await preview(lead.id, `?contactId=${theirs.id}`);
    expect(foreign.statusCode).toBe(422);
    expect(errorOf(foreign).details?.[0]?.path).toBe('contactId');
  });

  it('answers 401 without a token, 404 across tenants and outside the scope, 403 without the right to convert', async () => {
    const lead = await post(
      '/api/v1/leads',
      { firstName: 'Scoped', email: 's@scope.example' },
      rep,
    );
    expect(
      (await client(t.app).get(`/api/v1/leads/${lead.id}/conversion-preview`)).statusCode,
    ).toBe(401);
    const missing = await preview(uuidv7());
    expect(missing.statusCode).toBe(404);
    expect((await preview(lead.id, '', other)).statusCode).toBe(404);
    const hidden = await preview(lead.id, '', otherRep);
    expect(hidden.statusCode).toBe(404);
    expect(errorOf(hidden).code).toBe('NOT_FOUND');
    expect((await preview(lead.id, '', marketer)).statusCode).toBe(403);
    expect((await preview(lead.id, '', rep)).statusCode).toBe(200);
  });

  it('answers 409 for a converted lead and 422 for a disqualified one', async () => {
    const lead = await post('/api/v1/leads', { firstName: 'Done', email: 'done@once.example' });
    await api().post(`/api/v1/leads/${lead.id}/convert`, {});
    const converted = await preview(lead.id);
    expect(converted.statusCode).toBe(409);
    expect(errorOf(converted).code).toBe('SALES_LEAD_ALREADY_CONVERTED');
    const dropped = await post('/api/v1/leads', {
      firstName: 'Dropped',
      status: 'disqualified',
      disqualificationReason: 'Spam',
    });
    const disqualified = await preview(dropped.id);
    expect(disqualified.statusCode).toBe(422);
    expect(errorOf(disqualified)).toMatchObject({
      code: 'SALES_LEAD_DISQUALIFIED',
      details: [{ path: 'status', message: 'is disqualified' }],
    });
  });
});
