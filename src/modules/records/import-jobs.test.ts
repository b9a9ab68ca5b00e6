import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  registerOrganization,
  uploadImport,
  type TestUser,
} from '../../../test/factories.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';
import { enqueueAs, jobRow, manualClock, runDueJobs } from '../../../test/jobs.js';
import { MIGRATIONS_DIR, sql, withSystem } from '../../platform/db/index.js';
import { createJobRunner, LEASE_EXPIRED_ERROR, type JobRun } from '../../platform/jobs/index.js';
import { claimDue } from '../../platform/jobs/store.js';
import { CONTACT_IMPORT } from '../contacts/index.js';
import { IMPORT_JOB, registerImportKind } from './imports.js';
import { importJob, processImports, recordsJobs } from './jobs.js';

/** Imports run as durable jobs: taken over after a dead worker, failed with a reason, retried by an admin. */
describe('imports as jobs', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Import jobs');
  });
  afterAll(() => t.close());
  // Each test may swap the contact import for a failing one; the real one is back afterwards.
  afterEach(() => registerImportKind('contact', CONTACT_IMPORT));

  const api = (u: TestUser = admin) => client(t.app, u.token);
  const csv = (domain: string, n: number) =>
    ['Email,First Name', ...Array.from({ length: n }, (_, i) => `p${i}@${domain},P${i}`)].join(
      '\n',
    );
  const contactsAt = async (domain: string) =>
    (
      await api().get(`/api/v1/contacts?filter[email][contains]=${domain}&count=true&limit=1`)
    ).json().meta.total as number;
  const upload = async (u: TestUser, content: string): Promise<string> => {
    const res = await uploadImport(t.app, u, { dedupe: 'create' }, content);
    expect(res.statusCode, res.body).toBe(202);
    return res.json().id;
  };
  const jobOf = async (importId: string) =>
    withSystem(
      t.deps.database.db,
      async (tx) =>
        (
          await sql<{
            id: string;
          }>`select id from jobs where name = ${IMPORT_JOB} and key = ${importId}`.execute(tx)
        ).rows[0]?.id ?? '',
    );
  /** The contact import, failing every batch with `message` while `broken()` holds (every batch from the `from`-th call on). */
  const failingImport = (message: string, broken: () => boolean, from = 1) => {
    let calls = 0;
    registerImportKind('contact', {
      ...CONTACT_IMPORT,
      importBatch: (...args) => {
        calls++;
        if (broken() && calls >= from) throw new Error(message);
        return CONTACT_IMPORT.importBatch(...args);
      },
    });
  };

  it('enqueues one job with the import, keyed by its id, that runs the import as its creator', async () => {
    const id = await upload(admin, csv('one.example', 3));
    const jobId = await jobOf(id);
    expect(await jobRow(t.deps, jobId)).toMatchObject({
      name: IMPORT_JOB,
      status: 'pending',
      key: id,
      payload: { importId: id },
    });
    await runDueJobs(t.deps);
    expect((await api().get(`/api/v1/imports/${id}`)).json()).toMatchObject({
      status: 'done',
      created: 3,
      error: null,
    });
    expect(await jobRow(t.deps, jobId)).toMatchObject({ status: 'succeeded', attempts: 1 });
    const creators = await withSystem(
      t.deps.database.db,
      async (tx) =>
        (
          await sql<{
            owner_id: string;
          }>`select distinct owner_id from contacts where email like '%@one.example'`.execute(tx)
        ).rows,
    );
    expect(creators).toEqual([{ owner_id: admin.userId }]);
  });

  it('processImports runs the due import jobs now, each to the end, and leaves other jobs alone', async () => {
    const id = await upload(admin, csv('driven.example', 3));
    const other = await enqueueAs(t.deps, {
      organizationId: admin.organizationId,
      name: 'test.unrelated',
      payload: {},
    });
    expect(await processImports(t.deps)).toBe(1);
    expect((await api().get(`/api/v1/imports/${id}`)).json()).toMatchObject({
      status: 'done',
      created: 3,
    });
    expect(await jobRow(t.deps, other)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await processImports(t.deps)).toBe(0);
    // Out of the way of the claims the next tests make.
    await withSystem(t.deps.database.db, (tx) =>
      sql`delete from jobs where id = ${other}`.execute(tx),
    );
  });

  it('lets another worker take over the job of a worker that died mid-import; it finishes after the committed batch without duplicate rows', async () => {
    // 2,001 rows: one committed batch of 2,000, then the worker dies in the last one.
    const id = await upload(admin, csv('takeover.example', 2001));
    const jobId = await jobOf(id);
    const clock = manualClock();
    const deps = { ...t.deps, clock };
    const [dead] = (await claimDue(t.deps.database.db, clock.now(), 30_000, 10)).claimed;
    if (!dead) throw new Error('claimed nothing');
    expect(dead.id).toBe(jobId);
    failingImport('killed', () => true, 2);
    const run: JobRun = {
      id: dead.id,
      organizationId: dead.organization_id,
      name: dead.name,
      payload: dead.payload,
      attempt: 1,
      maxAttempts: dead.max_attempts,
      complete: async () => undefined,
    };
    // The dying worker records no outcome and stops renewing its lease.
    await expect(importJob.handle(run, deps)).rejects.toThrow('killed');
    registerImportKind('contact', CONTACT_IMPORT);
    expect((await api().get(`/api/v1/imports/${id}`)).json()).toMatchObject({
      status: 'running',
      processed: 2000,
      created: 2000,
    });
    expect(await contactsAt('takeover.example')).toBe(2000);

    const runner = createJobRunner(deps, recordsJobs);
    expect(await runner.runDue()).toBe(0);
    clock.advance(30_000);
    expect(await runner.runDue()).toBe(1);
    expect(await jobRow(t.deps, jobId)).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect((await api().get(`/api/v1/imports/${id}`)).json()).toMatchObject({
      status: 'done',
      total: 2001,
      processed: 2001,
      created: 2001,
      failed: 0,
    });
    expect(await contactsAt('takeover.example')).toBe(2001);

    // The dead worker wakes up and runs its stale claim again: the import is done, nothing repeats.
    await importJob.handle(run, deps);
    expect(await contactsAt('takeover.example')).toBe(2001);
  }, 60_000);

  it("marks the import failed with the reason when its job fails for good, lists the job as failed, and an admin's retry finishes it", async () => {
    let broken = true;
    failingImport('the disk is full', () => broken);
    const id = await upload(admin, csv('fails.example', 4));
    const jobId = await jobOf(id);
    const runner = createJobRunner(t.deps, recordsJobs, { retryBaseMs: 0 });
    for (let i = 0; i < 10 && (await runner.runDue()) > 0; i++);
    expect(await jobRow(t.deps, jobId)).toMatchObject({
      status: 'failed',
      attempts: 5,
      last_error: 'the disk is full',
    });
    const failed = (await api().get(`/api/v1/imports/${id}`)).json();
    expect(failed).toMatchObject({ status: 'failed', processed: 0, error: 'the disk is full' });
    expect(failed.finishedAt).not.toBeNull();

    const dead = (await api().get('/api/v1/jobs?filter[status]=failed')).json().data;
    expect(dead).toEqual([
      expect.objectContaining({
        id: jobId,
        name: IMPORT_JOB,
        status: 'failed',
        lastError: 'the disk is full',
        key: id,
      }),
    ]);
    // Not for a sales rep, and not for another organization.
    const rep = await addUser(t.app, admin, 'sales_rep');
    expect((await api(rep).get('/api/v1/jobs?filter[status]=failed')).statusCode).toBe(403);
    const stranger = await registerOrganization(t.app, 'Import job strangers');
    expect((await api(stranger).get('/api/v1/jobs?filter[status]=failed')).json().data).toEqual([]);
    expect((await api(stranger).post(`/api/v1/jobs/${jobId}/retry`)).statusCode).toBe(404);

    broken = false;
    expect((await api().post(`/api/v1/jobs/${jobId}/retry`)).statusCode).toBe(200);
    await runner.runDue();
    expect((await api().get(`/api/v1/imports/${id}`)).json()).toMatchObject({
      status: 'done',
      created: 4,
      error: null,
      finishedAt: expect.any(String),
    });
    expect(await contactsAt('fails.example')).toBe(4);
  });

  it('fails the import at once, without retries, when its creator can no longer act', async () => {
    const importer = await addUser(t.app, admin, 'sales_rep');
    const id = await upload(importer, csv('gone.example', 2));
    expect(
      (await api().patch(`/api/v1/users/${importer.userId}`, { status: 'disabled' })).statusCode,
    ).toBe(200);
    await runDueJobs(t.deps);
    expect(await jobRow(t.deps, await jobOf(id))).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: expect.stringContaining('no longer active'),
    });
    expect((await api().get(`/api/v1/imports/${id}`)).json()).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('no longer active'),
    });
    expect(await contactsAt('gone.example')).toBe(0);
  });

  it("fails the import when the worker of the job's last attempt vanished", async () => {
    const id = await upload(admin, csv('vanished.example', 2));
    const jobId = await jobOf(id);
    await withSystem(t.deps.database.db, (tx) =>
      sql`update jobs set max_attempts = 1 where id = ${jobId}`.execute(tx),
    );
    const clock = manualClock();
    expect(
      (await claimDue(t.deps.database.db, clock.now(), 30_000, 10)).claimed.map((j) => j.id),
    ).toEqual([jobId]);
    clock.advance(30_000);
    expect(await createJobRunner({ ...t.deps, clock }, recordsJobs).runDue()).toBe(0);
    expect(await jobRow(t.deps, jobId)).toMatchObject({
      status: 'failed',
      last_error: LEASE_EXPIRED_ERROR,
    });
    expect((await api().get(`/api/v1/imports/${id}`)).json()).toMatchObject({
      status: 'failed',
      error: LEASE_EXPIRED_ERROR,
    });
  });

  it('gives the imports and bulk operations in flight at the upgrade their jobs (migration 0021), which finish them', async () => {
    const id = await upload(admin, csv('upgrade.example', 2));
    const opId = '0190a000-0000-7000-8000-00000000b001';
    await withSystem(t.deps.database.db, async (tx) => {
      // As the sweeps left them: no jobs, an import half-started and a bulk operation queued.
      await sql`delete from jobs where key = ${id}`.execute(tx);
      await sql`update imports set status = 'running' where id = ${id}`.execute(tx);
      await sql`insert into bulk_operations (organization_id, id, object_type, action, params, total, created_by)
        values (${admin.organizationId}, ${opId}, 'contact', 'delete', ${JSON.stringify({ selection: { ids: [] }, action: { action: 'delete' } })}, 0, ${admin.userId})`.execute(
        tx,
      );
    });
    const migration = await readFile(
      path.join(MIGRATIONS_DIR, '0021_background_work_as_jobs.sql'),
      'utf8',
    );
    const backfill = migration.slice(migration.indexOf('INSERT INTO jobs'));
    await withSystem(t.deps.database.db, (tx) => sql.raw(backfill).execute(tx));
    await runDueJobs(t.deps);
    expect((await api().get(`/api/v1/imports/${id}`)).json()).toMatchObject({
      status: 'done',
      created: 2,
    });
    expect((await api().get(`/api/v1/bulk-operations/${opId}`)).json()).toMatchObject({
      status: 'done',
      processed: 0,
    });
    expect(await jobRow(t.deps, await jobOf(id))).toMatchObject({ status: 'succeeded' });
  });
});
