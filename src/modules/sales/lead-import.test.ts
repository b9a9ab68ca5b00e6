import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';
import { runDueJobs } from '../../../test/jobs.js';

async function multipart(fields: Record<string, string>, content: string) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([content]), 'leads.csv');
  const res = new Response(form);
  return {
    payload: Buffer.from(await res.arrayBuffer()),
    headers: { 'content-type': res.headers.get('content-type') ?? '' },
  };
}

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;

describe('lead imports', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Lead Importers');
  });
  afterAll(() => t.close());

  const api = (u: TestUser) => client(t.app, u.token);
  const upload = async (u: TestUser, fields: Record<string, string>, content: string) => {
    const body = await multipart({ objectType: 'lead', ...fields }, content);
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { authorization: `Bearer ${u.token}`, ...body.headers },
      payload: body.payload,
    });
  };
  const run = async (u: TestUser, fields: Record<string, string>, content: string) => {
    const res = await upload(u, fields, content);
    expect(res.statusCode, res.body).toBe(202);
    await runDueJobs(t.deps);
    return (await api(u).get(`/api/v1/imports/${res.json().id}`)).json();
  };

  it('imports HubSpot-style leads through the leads service, dedupes by email, reports bad rows, and rolls back', async () => {
    const existing = (
      await api(admin).post('/api/v1/leads', {
        firstName: 'Old',
        lastName: 'Name',
        email: 'old@leads.example',
        companyName: 'Before Inc',
      })
    ).json();
    const file = csv(
      'First Name,Last Name,Email,Company Name,Lead Status,Lead Source',
      'Nia,Novak,nia@leads.example,Novak Labs,Working - Contacted,Webinar',
      'Bad,Email,not-an-email,Nowhere,Open,Web',
      'Old,Renamed,old@leads.example,After Inc,Qualified,Referral',
      'Nia,Novak-Twice,NIA@leads.example,Novak Labs,Open,Webinar',
    );
    const dry = await run(admin, { dedupe: 'update', dryRun: 'true' }, file);
    expect(dry).toMatchObject({ status: 'done', created: 1, updated: 2, failed: 1 });
    expect((await api(admin).get('/api/v1/leads?count=true&limit=1')).json().meta.total).toBe(1);

    const done = await run(admin, { dedupe: 'update' }, file);
    expect(done).toMatchObject({
      objectType: 'lead',
      status: 'done',
      created: 1,
      updated: 2,
      failed: 1,
      mapping: {
        'First Name': 'firstName',
        Email: 'email',
        'Company Name': 'companyName',
        'Lead Status': 'status',
        'Lead Source': 'source',
      },
    });
    const errorsCsv: unknown = parse(
      (await api(admin).get(`/api/v1/imports/${done.id as string}/errors.csv`)).body,
      { columns: true, bom: true },
    );
    expect(errorsCsv).toEqual([expect.objectContaining({ row: '2', column: 'Email' })]);
    const nia = (await api(admin).get('/api/v1/leads?filter[email]=nia@leads.example')).json().data;
    expect(nia).toHaveLength(1);
    expect(nia[0]).toMatchObject({
      lastName: 'Novak-Twice',
      status: 'new',
      source: 'Webinar',
      ownerId: admin.userId,
    });
    expect((await api(admin).get(`/api/v1/leads/${existing.id as string}`)).json()).toMatchObject({
      lastName: 'Renamed',
      companyName: 'After Inc',
      status: 'qualified',
    });

    const rolled = await api(admin).post(`/api/v1/imports/${done.id as string}/rollback`);
    expect(rolled.statusCode, rolled.body).toBe(200);
    expect(
      (await api(admin).get('/api/v1/leads?filter[email]=nia@leads.example')).json().data,
    ).toEqual([]);
    expect((await api(admin).get(`/api/v1/leads/${existing.id as string}`)).json()).toMatchObject({
      lastName: 'Name',
      companyName: 'Before Inc',
      status: 'new',
    });
  });

  it('needs leads:create, and skips duplicates when asked', async () => {
    const agent = await addUser(t.app, admin, 'support_agent');
    expect((await upload(agent, { dedupe: 'skip' }, csv('Email', 'x@y.example'))).statusCode).toBe(
      403,
    );
    await api(admin).post('/api/v1/leads', { firstName: 'Kept', email: 'kept@leads.example' });
    const done = await run(
      admin,
      { dedupe: 'skip' },
      csv('Name,Email', 'Kept Again,kept@leads.example', 'Fresh Face,fresh@leads.example'),
    );
    expect(done).toMatchObject({ created: 1, skipped: 1 });
    expect(
      (await api(admin).get('/api/v1/leads?filter[email]=kept@leads.example')).json().data[0]
        .firstName,
    ).toBe('Kept');
  });
});
