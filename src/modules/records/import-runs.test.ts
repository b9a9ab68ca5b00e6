import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  registerOrganization,
  uploadImport,
  type TestUser,
} from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { runDueJobs } from '../../../test/jobs.js';

// Issue 13, item 8: the import wizard maps columns after one upload, checks with a dry run and
// then imports the same stored file, so nothing is uploaded twice.
describe('import preview and runs from a dry run', () => {
  let t: TestApp;
  let admin: TestUser;
  let agent: TestUser;
  let stranger: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Wizard');
    agent = await addUser(t.app, admin, 'support_agent');
    stranger = await registerOrganization(t.app, 'Elsewhere');
  });
  afterAll(() => t.close());

  const api = (u: TestUser = admin) => client(t.app, u.token);
  // "Surname" is recognized; "Given" is not, so the suggestion leaves it out.
  const CSV = [
    'Given,Surname,Mail,Role',
    'Ada,Lovelace,ada@wizard.example,Analyst',
    'Bad,Row,not-an-email,Tester',
    'Grace,Hopper,grace@wizard.example,Admiral',
  ].join('\n');

  const dryRun = async (mapping?: Record<string, string>) => {
    const res = await uploadImport(
      t.app,
      admin,
      { dryRun: 'true', ...(mapping ? { mapping: JSON.stringify(mapping) } : {}) },
      CSV,
      'people.csv',
    );
    expect(res.statusCode, res.body).toBe(202);
    await runDueJobs(t.deps);
    return res.json<{ id: string }>();
  };
  const contactCount = async () =>
    (
      await api().get('/api/v1/contacts?filter[email][contains]=wizard.example&count=true&limit=1')
    ).json().meta.total as number;

  it('previews the stored file: headers, first rows, suggested mapping and importable fields', async () => {
    const { id } = await dryRun();
    const res = await api().get(`/api/v1/imports/${id}/preview`);
    expect(res.statusCode, res.body).toBe(200);
    const preview = res.json();
    expect(preview.headers).toEqual(['Given', 'Surname', 'Mail', 'Role']);
    expect(preview.rows).toHaveLength(3);
    expect(preview.rows[0]).toEqual({
      Given: 'Ada',
      Surname: 'Lovelace',
      Mail: 'ada@wizard.example',
      Role: 'Analyst',
    });
    expect(preview.suggested).toEqual({ Surname: 'lastName', Role: 'title' });
    expect(preview.fields).toContainEqual({
      key: 'firstName',
      label: 'First name',
      required: false,
    });
    expect(preview.fields.map((f: { key: string }) => f.key)).toContain('email');
  });

  it('checks again with an edited mapping, then imports the same file and rolls it back', async () => {
    const first = await dryRun();
    const mapping = { Given: 'firstName', Surname: 'lastName', Mail: 'email', Role: 'title' };
    const check = await api().post(`/api/v1/imports/${first.id}/run`, { dryRun: true, mapping });
    expect(check.statusCode, check.body).toBe(202);
    expect(check.json()).toMatchObject({ dryRun: true, mapping, fileName: 'people.csv', total: 3 });
    await runDueJobs(t.deps);
    const checked = (await api().get(`/api/v1/imports/${check.json().id}`)).json();
    expect(checked).toMatchObject({ status: 'done', created: 2, failed: 1 });
    expect(checked.errors).toEqual([{ row: 2, column: 'Mail', message: expect.any(String) }]);
    expect(await contactCount()).toBe(0);

    // No mapping in the body: the real import takes the dry run's.
    const real = await api().post(`/api/v1/imports/${check.json().id}/run`, {});
    expect(real.statusCode, real.body).toBe(202);
    expect(real.json()).toMatchObject({ dryRun: false, mapping, status: 'queued' });
    await runDueJobs(t.deps);
    expect((await api().get(`/api/v1/imports/${real.json().id}`)).json()).toMatchObject({
      status: 'done',
      created: 2,
      failed: 1,
    });
    const ada = (await api().get('/api/v1/contacts?filter[email]=ada@wizard.example')).json()
      .data[0];
    expect(ada).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', title: 'Analyst' });

    // A real import is not a dry run: it cannot be replayed.
    const again = await api().post(`/api/v1/imports/${real.json().id}/run`, {});
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('RECORDS_IMPORT_NOT_A_FINISHED_DRY_RUN');

    expect((await api().post(`/api/v1/imports/${real.json().id}/rollback`)).statusCode).toBe(200);
    expect(await contactCount()).toBe(0);
  });

  it('starts one import for a retried run with the same Idempotency-Key', async () => {
    const { id } = await dryRun({ Given: 'firstName', Mail: 'email' });
    const key = { 'idempotency-key': `import-run-${id}` };
    const first = await api().post(`/api/v1/imports/${id}/run`, {}, key);
    const retry = await api().post(`/api/v1/imports/${id}/run`, {}, key);
    expect(first.statusCode, first.body).toBe(202);
    expect(retry.json().id).toBe(first.json().id);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    await runDueJobs(t.deps);
    expect(await contactCount()).toBe(2);
    expect((await api().post(`/api/v1/imports/${first.json().id}/rollback`)).statusCode).toBe(200);
    expect(await contactCount()).toBe(0);
  });

  it('refuses to run a dry run that has not finished (409)', async () => {
    const res = await uploadImport(t.app, admin, { dryRun: 'true' }, CSV, 'queued.csv');
    expect(res.statusCode).toBe(202);
    const run = await api().post(`/api/v1/imports/${res.json().id}/run`, {});
    expect(run.statusCode).toBe(409);
    expect(errorOf(run).details).toMatchObject({ status: 'queued', dryRun: true });
    await runDueJobs(t.deps);
  });

  it('names the column whose mapping is wrong (400) and queues nothing', async () => {
    const { id } = await dryRun();
    const unknownField = await api().post(`/api/v1/imports/${id}/run`, {
      mapping: { Given: 'shoeSize' },
    });
    expect(unknownField.statusCode).toBe(400);
    expect(errorOf(unknownField).details).toEqual([
      { path: 'mapping.Given', message: expect.stringContaining('shoeSize') },
    ]);
    const unknownColumn = await api().post(`/api/v1/imports/${id}/run`, {
      mapping: { Nope: 'email' },
    });
    expect(errorOf(unknownColumn).details?.[0]?.path).toBe('mapping.Nope');
    const badBody = await api().post(`/api/v1/imports/${id}/run`, { dryRun: 'yes' });
    expect(badBody.statusCode).toBe(400);
    expect(errorOf(badBody).details?.[0]?.path).toBe('dryRun');
    const badDedupe = await api().post(`/api/v1/imports/${id}/run`, { dedupe: 'merge' });
    expect(errorOf(badDedupe).details?.[0]?.path).toBe('dedupe');
  });

  it('answers 404 for a missing import or one of another organization', async () => {
    const { id } = await dryRun();
    const missing = '01900000-0000-7000-8000-000000000000';
    expect((await api().get(`/api/v1/imports/${missing}/preview`)).statusCode).toBe(404);
    expect((await api().post(`/api/v1/imports/${missing}/run`, {})).statusCode).toBe(404);
    expect((await api(stranger).get(`/api/v1/imports/${id}/preview`)).statusCode).toBe(404);
    expect((await api(stranger).post(`/api/v1/imports/${id}/run`, {})).statusCode).toBe(404);
    expect((await client(t.app).post(`/api/v1/imports/${id}/run`, {})).statusCode).toBe(401);
  });

  it('refuses a role that may read but not create contacts (403), importing nothing', async () => {
    const { id } = await dryRun({ Given: 'firstName', Mail: 'email' });
    expect((await api(agent).get(`/api/v1/imports/${id}/preview`)).statusCode).toBe(200);
    const run = await api(agent).post(`/api/v1/imports/${id}/run`, {});
    expect(run.statusCode).toBe(403);
    await runDueJobs(t.deps);
    expect(await contactCount()).toBe(0);
  });
});
