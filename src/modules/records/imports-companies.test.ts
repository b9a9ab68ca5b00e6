import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  multipartBody,
  registerOrganization,
  type TestUser,
} from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { suggestMapping } from './import-mapping.js';
import { runDueJobs } from '../../../test/jobs.js';

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;
const HUBSPOT_HEADER =
  'Company name,Company Domain Name,Industry,Number of Employees,Annual Revenue,Phone Number,City,Country/Region';

describe('company imports', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const api = (u: TestUser) => client(t.app, u.token);
  const upload = async (
    u: TestUser,
    fields: Record<string, string>,
    content: string,
    name = 'companies.csv',
  ) => {
    const body = await multipartBody({ objectType: 'company', ...fields }, { name, content });
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { authorization: `Bearer ${u.token}`, ...body.headers },
      payload: body.payload,
    });
  };
  /** Uploads, lets the worker run it to the end, and answers the finished import. */
  const runImport = async (u: TestUser, fields: Record<string, string>, content: string) => {
    const res = await upload(u, fields, content);
    expect(res.statusCode, res.body).toBe(202);
    await runDueJobs(t.deps);
    const done = await api(u).get(`/api/v1/imports/${res.json().id}`);
    expect(done.statusCode, done.body).toBe(200);
    return done.json();
  };
  const companyByDomain = async (u: TestUser, domain: string) =>
    (await api(u).get(`/api/v1/companies?filter[domain]=${domain}`)).json().data;
  const companyCount = async (u: TestUser) =>
    (await api(u).get('/api/v1/companies?count=true&limit=1')).json().meta.total;

  it('suggests company mappings for HubSpot, Salesforce and Pipedrive exports', () => {
    expect(suggestMapping(HUBSPOT_HEADER.split(','), { objectType: 'company' })).toEqual({
      'Company name': 'name',
      'Company Domain Name': 'domain',
      Industry: 'industry',
      'Number of Employees': 'size',
      'Annual Revenue': 'annualRevenue',
      'Phone Number': 'phone',
      City: 'city',
      'Country/Region': 'country',
    });
    expect(
      suggestMapping(
        [
          'Account Name',
          'Website',
          'Industry',
          'Employees',
          'Annual Revenue',
          'Billing Street',
          'Billing City',
          'Billing State/Province',
          'Billing Zip/Postal Code',
          'Billing Country',
          'Account Owner',
        ],
        { objectType: 'company' },
      ),
    ).toEqual({
      'Account Name': 'name',
      Website: 'website',
      Industry: 'industry',
      Employees: 'size',
      'Annual Revenue': 'annualRevenue',
      'Billing Street': 'street',
      'Billing City': 'city',
      'Billing State/Province': 'region',
      'Billing Zip/Postal Code': 'postalCode',
      'Billing Country': 'country',
    });
    expect(
      suggestMapping(['Organization - Name', 'Organization - Address', 'Organization - Owner'], {
        objectType: 'company',
      }),
    ).toEqual({ 'Organization - Name': 'name', 'Organization - Address': 'street' });
    // The same headers mean the company a contact works for when contacts are imported.
    expect(suggestMapping(['Email', 'Company Name', 'Company Domain Name'])).toEqual({
      Email: 'email',
      'Company Name': 'companyName',
      'Company Domain Name': 'companyDomain',
    });
  });

  it('dry-runs, then imports good rows past bad ones and names each bad row and column', async () => {
    const admin = await registerOrganization(t.app, 'CoImport');
    const file = csv(
      HUBSPOT_HEADER,
      'Acme Widgets,www.Acme-Widgets.com,Manufacturing,250,"1,200,000.50",+1 415 555 0100,Springfield,US',
      'Globex,not a domain!,Energy,,,,,',
      ',initech.com,Software,,,,,',
      'Umbrella,umbrella.example,Pharma,,a lot,,,',
      'Hooli,,Internet,5000,,,Palo Alto,',
    );
    const dry = await runImport(admin, { dryRun: 'true' }, file);
    expect(dry).toMatchObject({
      objectType: 'company',
      status: 'done',
      dryRun: true,
      total: 5,
      created: 2,
      failed: 3,
      updated: 0,
      skipped: 0,
    });
    expect(await companyCount(admin)).toBe(0);

    const done = await runImport(admin, {}, file);
    expect(done).toMatchObject({ status: 'done', created: 2, failed: 3 });
    expect(await companyCount(admin)).toBe(2);
    const [acme] = await companyByDomain(admin, 'acme-widgets.com');
    expect(acme).toMatchObject({
      name: 'Acme Widgets',
      industry: 'Manufacturing',
      size: '250',
      annualRevenue: { amount: 120000050, currency: 'USD' },
      phone: '+14155550100',
      address: { city: 'Springfield', country: 'US' },
      ownerId: admin.userId,
    });
    const errorsCsv = await api(admin).get(`/api/v1/imports/${done.id}/errors.csv`);
    expect(errorsCsv.headers['content-type']).toContain('text/csv');
    expect(parse(errorsCsv.body, { columns: true, bom: true })).toEqual([
      { row: '2', column: 'Company Domain Name', message: expect.stringMatching(/^domain: /) },
      { row: '3', column: 'Company name', message: expect.stringMatching(/^name: /) },
      { row: '4', column: 'Annual Revenue', message: expect.stringMatching(/^annualRevenue: /) },
    ]);
  });

  it('validates custom fields like the company API and reports the column', async () => {
    const admin = await registerOrganization(t.app, 'CoCustom');
    expect(
      (
        await api(admin).post('/api/v1/custom-fields', {
          objectType: 'company',
          key: 'tier',
          label: 'Tier',
          type: 'select',
          options: { choices: ['gold', 'silver'] },
        })
      ).statusCode,
    ).toBe(201);
    const done = await runImport(
      admin,
      {},
      csv('Name,Domain,Tier', 'Gold Co,gold.example,gold', 'Tin Co,tin.example,tin'),
    );
    expect(done).toMatchObject({
      mapping: { Name: 'name', Domain: 'domain', Tier: 'custom.tier' },
      created: 1,
      failed: 1,
    });
    expect(done.errors).toEqual([
      { row: 2, column: 'Tier', message: expect.stringMatching(/^customFields\.tier: /) },
    ]);
    expect((await companyByDomain(admin, 'gold.example'))[0].customFields).toEqual({
      tier: 'gold',
    });
  });

  it('dedupes on the normalized domain, then on the name: skip, update (and roll back), create', async () => {
    const admin = await registerOrganization(t.app, 'CoDedupe');
    const existing = (
      await api(admin).post('/api/v1/companies', {
        name: 'Existing Co',
        domain: 'existing.example',
        industry: 'Old',
      })
    ).json();
    const named = (
      await api(admin).post('/api/v1/companies', { name: 'Nameonly Inc', industry: 'Old' })
    ).json();
    const file = csv(
      'Company name,Company Domain Name,Industry',
      'Existing Renamed,https://WWW.Existing.example/about,New',
      'NAMEONLY INC,,New',
      'Fresh Co,fresh.example,New',
    );

    const skip = await runImport(admin, { dedupe: 'skip' }, file);
    expect(skip).toMatchObject({ created: 1, skipped: 2, updated: 0, failed: 0 });
    expect((await api(admin).get(`/api/v1/companies/${existing.id}`)).json()).toMatchObject({
      name: 'Existing Co',
      industry: 'Old',
    });
    expect((await api(admin).get(`/api/v1/companies/${named.id}`)).json().industry).toBe('Old');

    const update = await runImport(admin, { dedupe: 'update' }, file);
    expect(update).toMatchObject({ created: 0, updated: 3, skipped: 0, failed: 0 });
    expect((await api(admin).get(`/api/v1/companies/${existing.id}`)).json()).toMatchObject({
      name: 'Existing Renamed',
      domain: 'existing.example',
      industry: 'New',
    });
    expect((await api(admin).get(`/api/v1/companies/${named.id}`)).json()).toMatchObject({
      name: 'NAMEONLY INC',
      industry: 'New',
    });
    expect(await companyCount(admin)).toBe(3);
    const rolled = await api(admin).post(`/api/v1/imports/${update.id}/rollback`);
    expect(rolled.statusCode, rolled.body).toBe(200);
    expect((await api(admin).get(`/api/v1/companies/${existing.id}`)).json()).toMatchObject({
      name: 'Existing Co',
      industry: 'Old',
    });
    expect((await api(admin).get(`/api/v1/companies/${named.id}`)).json()).toMatchObject({
      name: 'Nameonly Inc',
      industry: 'Old',
    });

    // A domain belongs to one company: `create` fails those rows alone, with a reason, and goes on.
    const create = await runImport(
      admin,
      { dedupe: 'create' },
      csv(
        'Company name,Company Domain Name',
        'Second Existing,existing.example',
        'Nameonly Inc,',
        'Brand New,brand-new.example',
        'Brand New Again,brand-new.example',
      ),
    );
    expect(create).toMatchObject({ created: 2, failed: 2, skipped: 0, updated: 0 });
    expect(create.errors).toEqual([
      {
        row: 1,
        column: 'Company Domain Name',
        message: expect.stringContaining('existing.example already exists'),
      },
      {
        row: 4,
        column: 'Company Domain Name',
        message: expect.stringContaining('brand-new.example already exists'),
      },
    ]);
    expect(
      (
        await api(admin).get('/api/v1/companies?filter[name]=Nameonly%20Inc&count=true&limit=1')
      ).json().meta.total,
    ).toBe(2);
    expect(
      (await companyByDomain(admin, 'brand-new.example')).map((c: { name: string }) => c.name),
    ).toEqual(['Brand New']);
  });

  it('treats rows of one file with the same domain as one company', async () => {
    const admin = await registerOrganization(t.app, 'CoTwice');
    const file = csv(
      'Name,Domain,Industry',
      'Twice,twice.example,First',
      'Twice Again,TWICE.example,Second',
    );
    expect(await runImport(admin, { dedupe: 'skip' }, file)).toMatchObject({
      created: 1,
      skipped: 1,
    });
    expect(
      await runImport(
        admin,
        { dedupe: 'update' },
        file.replace(/twice\.example/gi, 'again.example'),
      ),
    ).toMatchObject({ created: 1, updated: 1 });
    expect(
      (await companyByDomain(admin, 'again.example')).map((c: { industry: string }) => c.industry),
    ).toEqual(['Second']);
  });

  it('rolls back created companies into the trash, restorable with what points at them', async () => {
    const admin = await registerOrganization(t.app, 'CoRollback');
    const done = await runImport(
      admin,
      {},
      csv('Name,Domain', 'Temp One,temp-one.example', 'Temp Two,temp-two.example'),
    );
    expect(done.created).toBe(2);
    const [one] = await companyByDomain(admin, 'temp-one.example');
    const contact = (
      await api(admin).post('/api/v1/contacts', { firstName: 'Linked', companyId: one.id })
    ).json();
    const rolled = await api(admin).post(`/api/v1/imports/${done.id}/rollback`);
    expect(rolled.statusCode, rolled.body).toBe(200);
    expect(rolled.json().status).toBe('rolled_back');
    expect(await companyCount(admin)).toBe(0);
    expect((await api(admin).get(`/api/v1/companies/${one.id}`)).statusCode).toBe(404);
    expect((await api(admin).post(`/api/v1/imports/${done.id}/rollback`)).statusCode).toBe(422);
    // Like any delete: the link stays, and restoring the company brings it back whole.
    expect((await api(admin).post(`/api/v1/companies/${one.id}/restore`)).statusCode).toBe(200);
    expect((await api(admin).get(`/api/v1/contacts/${contact.id}`)).json().companyId).toBe(one.id);
    expect(await companyCount(admin)).toBe(1);
  });

  it('needs companies:create (and companies:update to update), whatever contacts allow', async () => {
    const admin = await registerOrganization(t.app, 'CoPerms');
    const agent = await addUser(t.app, admin, 'support_agent');
    const refused = await upload(agent, {}, csv('Name', 'Nope Co'));
    expect(refused.statusCode).toBe(403);
    expect(errorOf(refused)).toMatchObject({
      code: 'FORBIDDEN',
      details: { permission: 'companies:create' },
    });
    // A role that may create companies but not contacts imports companies, and only companies.
    const grants = ['companies:read', 'companies:create', 'contacts:read'].map((permission) => ({
      permission,
      scope: 'all',
    }));
    expect(
      (
        await api(admin).post('/api/v1/roles', {
          key: 'company_clerk',
          name: 'Company clerk',
          permissions: grants,
        })
      ).statusCode,
    ).toBe(201);
    const clerk = await addUser(t.app, admin, 'company_clerk');
    const noUpdate = await upload(clerk, { dedupe: 'update' }, csv('Name', 'Clerk Co'));
    expect(noUpdate.statusCode).toBe(403);
    expect(errorOf(noUpdate).details).toEqual({ permission: 'companies:update' });
    expect(
      errorOf(await upload(clerk, { objectType: 'contact' }, csv('Email', 'c@clerk.example')))
        .details,
    ).toEqual({ permission: 'contacts:create' });
    const accepted = await upload(clerk, { dedupe: 'skip' }, csv('Name', 'Clerk Co'));
    expect(accepted.statusCode, accepted.body).toBe(202);
    await runDueJobs(t.deps);
    expect(await companyCount(admin)).toBe(1);
    // Who may read companies may follow the import; another organization cannot even see it.
    expect((await api(agent).get(`/api/v1/imports/${accepted.json().id}`)).json().created).toBe(1);
    expect(
      (await api(agent).post(`/api/v1/imports/${accepted.json().id}/rollback`)).statusCode,
    ).toBe(403);
    const stranger = await registerOrganization(t.app, 'CoStranger');
    expect((await api(stranger).get(`/api/v1/imports/${accepted.json().id}`)).statusCode).toBe(404);
    expect(
      (await api(stranger).get(`/api/v1/imports/${accepted.json().id}/errors.csv`)).statusCode,
    ).toBe(404);
    expect(
      (await api(stranger).post(`/api/v1/imports/${accepted.json().id}/rollback`)).statusCode,
    ).toBe(404);
    expect(await companyCount(admin)).toBe(1);
  });

  it('rejects an unknown object type and fields of the other object type', async () => {
    const admin = await registerOrganization(t.app, 'CoBad');
    expect(
      errorOf(await upload(admin, { objectType: 'deal' }, csv('Name', 'X'))).details?.[0]?.path,
    ).toBe('objectType');
    const wrongField = errorOf(
      await upload(
        admin,
        { mapping: JSON.stringify({ Email: 'email' }) },
        csv('Email', 'a@b.example'),
      ),
    );
    expect(wrongField.details).toEqual([
      { path: 'mapping.Email', message: 'email is not an importable company field' },
    ]);
  });

  it("never matches or changes another organization's companies", async () => {
    const mine = await registerOrganization(t.app, 'CoMine');
    const theirs = await registerOrganization(t.app, 'CoTheirs');
    const foreign = (
      await api(theirs).post('/api/v1/companies', {
        name: 'Shared Name',
        domain: 'shared.example',
        industry: 'Theirs',
      })
    ).json();
    const done = await runImport(
      mine,
      { dedupe: 'update' },
      csv('Name,Domain,Industry', 'Shared Name,shared.example,Mine', 'Shared Name,,Mine'),
    );
    expect(done).toMatchObject({ created: 1, updated: 1, failed: 0 });
    expect((await api(theirs).get(`/api/v1/companies/${foreign.id}`)).json()).toMatchObject({
      name: 'Shared Name',
      industry: 'Theirs',
      version: 1,
    });
    expect(await companyCount(theirs)).toBe(1);
    const created = await runImport(
      mine,
      { dedupe: 'create' },
      csv('Name,Domain', 'Elsewhere,elsewhere.example'),
    );
    expect(created.created).toBe(1);
    expect(await companyCount(theirs)).toBe(1);
    // A contact import links contacts only to this organization's companies.
    await api(theirs).post('/api/v1/companies', {
      name: 'Only Theirs',
      domain: 'only-theirs.example',
    });
    const contacts = await runImport(
      mine,
      { objectType: 'contact' },
      csv('Email,Company Domain Name', 'x@only-theirs.example,only-theirs.example'),
    );
    expect(contacts.created).toBe(1);
    expect(
      (await api(mine).get('/api/v1/contacts?filter[email]=x@only-theirs.example')).json().data[0]
        .companyId,
    ).toBeNull();
  });

  it('links imported contacts to existing companies by domain, then by name', async () => {
    const admin = await registerOrganization(t.app, 'CoLink');
    const byDomain = (
      await api(admin).post('/api/v1/companies', {
        name: 'Domain Match',
        domain: 'domain-match.example',
      })
    ).json();
    const byName = (await api(admin).post('/api/v1/companies', { name: 'Name Match Ltd' })).json();
    const done = await runImport(
      admin,
      { objectType: 'contact' },
      csv(
        'Email,Company Name,Company Domain Name',
        'a@link.example,Some Other Name,https://www.domain-match.example',
        'b@link.example,name match ltd,',
        'c@link.example,Nobody Inc,nobody.example',
      ),
    );
    expect(done).toMatchObject({ objectType: 'contact', created: 3, failed: 0 });
    const companyOf = async (email: string) =>
      (await api(admin).get(`/api/v1/contacts?filter[email]=${email}`)).json().data[0].companyId;
    expect(await companyOf('a@link.example')).toBe(byDomain.id);
    expect(await companyOf('b@link.example')).toBe(byName.id);
    expect(await companyOf('c@link.example')).toBeNull();
    // An update links an existing contact too, and a rollback puts its old company back.
    const update = await runImport(
      admin,
      { objectType: 'contact', dedupe: 'update' },
      csv('Email,Company Name', 'a@link.example,Name Match Ltd'),
    );
    expect(update.updated).toBe(1);
    expect(await companyOf('a@link.example')).toBe(byName.id);
    expect((await api(admin).post(`/api/v1/imports/${update.id}/rollback`)).statusCode).toBe(200);
    expect(await companyOf('a@link.example')).toBe(byDomain.id);
  });
});
