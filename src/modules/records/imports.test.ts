import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartBody, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { suggestMapping } from './import-mapping.js';
import { runDueJobs } from '../../../test/jobs.js';

describe('imports', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Import');
  });
  afterAll(() => t.close());

  const upload = async (
    fields: Record<string, string>,
    file?: { name: string; content: string | Buffer },
  ) => {
    const body = await multipartBody(fields, file);
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { authorization: `Bearer ${admin.token}`, ...body.headers },
      payload: body.payload,
    });
  };
  const api = () => client(t.app, admin.token);

  const HUBSPOT = [
    'First Name,Last Name,Email,Phone Number,Lifecycle Stage,Job Title',
    'Ada,Lovelace,ada@engines.example,+44 20 7946 0001,customer,Analyst',
    'Grace,Hopper,grace@navy.example,,lead,Admiral',
    'Alan,Turing,not-an-email,,lead,',
    'Existing,Person,existing@import.example,,opportunity,CTO',
    'Katherine,Johnson,katherine@nasa.example,,subscriber,',
  ].join('\n');

  it('suggests mappings for HubSpot, Salesforce and Pipedrive exports', () => {
    expect(
      suggestMapping(['First Name', 'Last Name', 'Email', 'Phone Number', 'Lifecycle Stage']),
    ).toEqual({
      'First Name': 'firstName',
      'Last Name': 'lastName',
      Email: 'email',
      'Phone Number': 'phone',
      'Lifecycle Stage': 'status',
    });
    expect(suggestMapping(['Lead Source', 'Mailing City', 'Title'])).toEqual({
      'Lead Source': 'source',
      'Mailing City': 'city',
      Title: 'title',
    });
    expect(
      suggestMapping(['Person - Name', 'Person - Email', 'Person - Phone', 'Organization - Name']),
    ).toEqual({
      'Person - Name': 'fullName',
      'Person - Email': 'email',
      'Person - Phone': 'phone',
      'Organization - Name': 'companyName',
    });
  });

  it('dry-runs, imports good rows past bad ones, reports errors as CSV, and rolls back', async () => {
    await api().post('/api/v1/contacts', {
      firstName: 'Existing',
      lastName: 'Person',
      email: 'existing@import.example',
    });
    const dry = await upload(
      { dedupe: 'skip', dryRun: 'true' },
      { name: 'hubspot.csv', content: HUBSPOT },
    );
    expect(dry.statusCode, dry.body).toBe(202);
    await runDueJobs(t.deps);
    const dryResult = (await api().get(`/api/v1/imports/${dry.json().id}`)).json();
    expect(dryResult).toMatchObject({
      status: 'done',
      total: 5,
      created: 3,
      skipped: 1,
      failed: 1,
      dryRun: true,
    });
    expect((await api().get('/api/v1/contacts?count=true&limit=1')).json().meta.total).toBe(1);

    const real = await upload({ dedupe: 'skip' }, { name: 'hubspot.csv', content: HUBSPOT });
    await runDueJobs(t.deps);
    const result = (await api().get(`/api/v1/imports/${real.json().id}`)).json();
    expect(result).toMatchObject({ status: 'done', created: 3, skipped: 1, failed: 1 });
    const ada = (await api().get('/api/v1/contacts?filter[email]=ada@engines.example')).json()
      .data[0];
    expect(ada).toMatchObject({
      firstName: 'Ada',
      status: 'CUSTOMER',
      phone: '+442079460001',
      title: 'Analyst',
      source: 'import',
    });
    const errorsCsv = await api().get(`/api/v1/imports/${real.json().id}/errors.csv`);
    expect(errorsCsv.headers['content-type']).toContain('text/csv');
    expect(parse(errorsCsv.body, { columns: true, bom: true })).toEqual([
      { row: '3', column: 'Email', message: expect.stringContaining('email') },
    ]);

    const rolled = await api().post(`/api/v1/imports/${real.json().id}/rollback`);
    expect(rolled.json().status).toBe('rolled_back');
    expect((await api().get('/api/v1/contacts?count=true&limit=1')).json().meta.total).toBe(1);
    expect((await api().post(`/api/v1/imports/${real.json().id}/rollback`)).statusCode).toBe(422);
  });

  it('updates matching contacts when asked, and a rollback restores them', async () => {
    const before = (
      await api().get('/api/v1/contacts?filter[email]=existing@import.example')
    ).json().data[0];
    const res = await upload(
      { dedupe: 'update', mapping: JSON.stringify({ Email: 'email', 'Job Title': 'title' }) },
      { name: 'update.csv', content: 'Email,Job Title\nexisting@import.example,Chief Importer\n' },
    );
    await runDueJobs(t.deps);
    expect((await api().get(`/api/v1/imports/${res.json().id}`)).json()).toMatchObject({
      updated: 1,
      created: 0,
    });
    expect((await api().get(`/api/v1/contacts/${before.id}`)).json().title).toBe('Chief Importer');
    await api().post(`/api/v1/imports/${res.json().id}/rollback`);
    expect((await api().get(`/api/v1/contacts/${before.id}`)).json().title).toBeNull();
  });

  it('imports XLSX and many rows in batches without duplicates', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('People');
    sheet.addRow(['Name', 'E-mail', 'Tags']);
    for (let i = 0; i < 1100; i++)
      sheet.addRow([`Person ${i}`, `person${i}@bulk.example`, i % 2 ? 'a;b' : '']);
    const xlsx = Buffer.from(await book.xlsx.writeBuffer());
    const res = await upload({}, { name: 'people.xlsx', content: xlsx });
    expect(res.statusCode, res.body).toBe(202);
    await runDueJobs(t.deps);
    const done = (await api().get(`/api/v1/imports/${res.json().id}`)).json();
    expect(done).toMatchObject({ status: 'done', total: 1100, created: 1100, failed: 0 });
    expect(
      (
        await api().get('/api/v1/contacts?filter[email][contains]=bulk.example&count=true&limit=1')
      ).json().meta.total,
    ).toBe(1100);
    expect(
      (await api().get('/api/v1/contacts?filter[tags]=a&count=true&limit=1')).json().meta.total,
    ).toBe(550);
  });

  it('treats a repeated email within one file as the same person', async () => {
    const file =
      'Email,First Name,Job Title\ntwice@dup.example,Twice,First\ntwice@dup.example,Twice,Second\n';
    const skip = await upload({ dedupe: 'skip' }, { name: 'dup.csv', content: file });
    await runDueJobs(t.deps);
    expect((await api().get(`/api/v1/imports/${skip.json().id}`)).json()).toMatchObject({
      created: 1,
      skipped: 1,
    });
    const update = await upload(
      { dedupe: 'update' },
      { name: 'dup.csv', content: file.replace(/twice@/g, 'again@') },
    );
    await runDueJobs(t.deps);
    expect((await api().get(`/api/v1/imports/${update.json().id}`)).json()).toMatchObject({
      created: 1,
      updated: 1,
    });
    expect(
      (await api().get('/api/v1/contacts?filter[email]=again@dup.example'))
        .json()
        .data.map((c: { title: string }) => c.title),
    ).toEqual(['Second']);
  });

  it('rejects bad uploads naming the problem', async () => {
    expect(errorOf(await upload({ dedupe: 'skip' })).details?.[0]?.path).toBe('file');
    expect((await upload({}, { name: 'notes.pdf', content: 'x' })).statusCode).toBe(415);
    expect(
      errorOf(await upload({ mapping: '{oops' }, { name: 'a.csv', content: 'Email\na@b.co' }))
        .details?.[0]?.path,
    ).toBe('mapping');
    expect(
      errorOf(
        await upload({ mapping: '{"Nope":"email"}' }, { name: 'a.csv', content: 'Email\na@b.co' }),
      ).details?.[0]?.path,
    ).toBe('mapping.Nope');
    expect(
      errorOf(await upload({ dedupe: 'merge' }, { name: 'a.csv', content: 'Email\na@b.co' }))
        .details?.[0]?.path,
    ).toBe('dedupe');
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/imports',
          headers: { authorization: `Bearer ${admin.token}` },
          payload: {},
        })
      ).statusCode,
    ).toBe(415);
  });
});
