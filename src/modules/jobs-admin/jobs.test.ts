import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { enqueueAs, jobRow } from '../../../test/jobs.js';
import { MIGRATIONS_DIR, sql, withSystem } from '../../platform/db/index.js';
import { createJobRunner, type JobRunner } from '../../platform/jobs/index.js';

const FOREIGN_ID = '0190a000-0000-7000-8000-0000000000ff';

describe('/api/v1/jobs', () => {
  let t: TestApp;
  let admin: TestUser;
  let other: TestUser;
  let rep: TestUser;
  let runner: JobRunner;
  /** Attempts of test.flaky succeed while this is set. */
  let healthy = false;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Jobs');
    other = await registerOrganization(t.app, 'Elsewhere');
    rep = await addUser(t.app, admin, 'sales_rep');
    runner = createJobRunner(
      t.deps,
      [
        {
          name: 'test.flaky',
          handle: async (job) => {
            if (!healthy)
              throw new Error(`the mail provider answered 503 (attempt ${job.attempt})`);
          },
        },
      ],
      { retryBaseMs: 0 },
    );
  });
  afterAll(() => t.close());

  const api = (u?: TestUser) => client(t.app, u?.token);

  /** Enqueues a test.flaky job for `user`'s organization and runs it until it is dead. */
  async function deadJob(
    user: TestUser = admin,
    payload: Record<string, unknown> = {},
  ): Promise<string> {
    const id = await enqueueAs(t.deps, {
      organizationId: user.organizationId,
      name: 'test.flaky',
      payload,
      maxAttempts: 2,
    });
    for (let i = 0; i < 5 && (await runner.runDue()) > 0; i++);
    expect((await jobRow(t.deps, id)).status).toBe('failed');
    return id;
  }

  it('lists failed jobs (the dead-letter list) newest first, with their error and attempts', async () => {
    const owner = await registerOrganization(t.app, 'Dead letters');
    const first = await deadJob(owner, { n: 1 });
    const second = await deadJob(owner, { n: 2 });
    const pending = await enqueueAs(t.deps, {
      organizationId: owner.organizationId,
      name: 'test.later',
      payload: {},
      runAt: new Date(Date.now() + 3_600_000),
    });

    const res = await api(owner).get('/api/v1/jobs?filter[status]=failed&count=true');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.meta).toEqual({ nextCursor: null, total: 2 });
    expect(body.data.map((j: { id: string }) => j.id)).toEqual([second, first]);
    expect(body.data[0]).toEqual({
      id: second,
      name: 'test.flaky',
      status: 'failed',
      attempts: 2,
      maxAttempts: 2,
      runAt: expect.any(String),
      lastError: 'the mail provider answered 503 (attempt 2)',
      payload: { n: 2 },
      key: null,
      createdAt: expect.any(String),
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
    });

    const all = (await api(owner).get('/api/v1/jobs')).json().data.map((j: { id: string }) => j.id);
    expect(all).toEqual([pending, second, first]);
    const named = (await api(owner).get('/api/v1/jobs?filter[name]=test.later'))
      .json()
      .data.map((j: { id: string }) => j.id);
    expect(named).toEqual([pending]);
    const page1 = (await api(owner).get('/api/v1/jobs?limit=2')).json();
    expect(page1.data).toHaveLength(2);
    const page2 = (
      await api(owner).get(`/api/v1/jobs?limit=2&cursor=${page1.meta.nextCursor}`)
    ).json();
    expect([...page1.data, ...page2.data].map((j: { id: string }) => j.id)).toEqual(all);
    expect(page2.meta.nextCursor).toBeNull();

    expect((await api(owner).get(`/api/v1/jobs/${first}`)).json()).toMatchObject({
      id: first,
      status: 'failed',
      payload: { n: 1 },
    });
    expect((await api(owner).get('/api/v1/jobs/stats')).json()).toEqual({
      failed: 2,
      pending: 1,
      running: 0,
      succeeded: 0,
      discarded: 0,
    });
  });

  it('answers bad filters, pages and ids with 400 naming the parameter', async () => {
    const cases: Array<[string, string]> = [
      ['/api/v1/jobs?filter[status]=broken', 'filter[status]'],
      ['/api/v1/jobs?filter[owner]=me', 'filter[owner]'],
      ['/api/v1/jobs?limit=0', 'limit'],
      ['/api/v1/jobs?limit=201', 'limit'],
      ['/api/v1/jobs?cursor=not-a-cursor', 'cursor'],
      ['/api/v1/jobs/not-a-uuid', 'id'],
    ];
    for (const [url, field] of cases) {
      const res = await api(admin).get(url);
      expect(res.statusCode, url).toBe(400);
      expect(errorOf(res).code, url).toBe('VALIDATION_FAILED');
      expect(
        errorOf(res).details?.map((d) => d.path),
        url,
      ).toContain(field);
    }
    const post = await api(admin).post('/api/v1/jobs/not-a-uuid/retry');
    expect(post.statusCode).toBe(400);
    expect(errorOf(post).details?.[0]?.path).toBe('id');
  });

  it("answers 401 without a token, 403 to a role without jobs permissions, 404 for another organization's job", async () => {
    const mine = await deadJob();
    const everything = ['/api/v1/jobs', '/api/v1/jobs/stats', `/api/v1/jobs/${mine}`];
    for (const url of everything) expect((await api().get(url)).statusCode, url).toBe(401);
    expect((await api().post(`/api/v1/jobs/${mine}/retry`)).statusCode).toBe(401);
    expect((await api().post(`/api/v1/jobs/${mine}/discard`)).statusCode).toBe(401);

    for (const res of [
      ...(await Promise.all(everything.map((url) => api(rep).get(url)))),
      await api(rep).post(`/api/v1/jobs/${mine}/retry`),
      await api(rep).post(`/api/v1/jobs/${mine}/discard`),
    ]) {
      expect(res.statusCode).toBe(403);
      expect(errorOf(res).code).toBe('FORBIDDEN');
    }

    for (const res of [
      await api(other).get(`/api/v1/jobs/${mine}`),
      await api(other).post(`/api/v1/jobs/${mine}/retry`),
      await api(other).post(`/api/v1/jobs/${mine}/discard`),
      await api(admin).get(`/api/v1/jobs/${FOREIGN_ID}`),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(errorOf(res).code).toBe('NOT_FOUND');
    }
    expect(
      (await api(other).get('/api/v1/jobs')).json().data.map((j: { id: string }) => j.id),
    ).not.toContain(mine);
    expect((await api(other).get('/api/v1/jobs/stats')).json().failed).toBe(0);
    expect((await jobRow(t.deps, mine)).status).toBe('failed');
  });

  it('retries a failed job: pending now with its attempts reset, audited, and run again by the runner', async () => {
    const id = await deadJob(admin, { to: 'ada@example.com' });
    const before = Date.now();
    const res = await api(admin).post(`/api/v1/jobs/${id}/retry`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      id,
      status: 'pending',
      attempts: 0,
      finishedAt: null,
      lastError: 'the mail provider answered 503 (attempt 2)',
    });
    const row = await jobRow(t.deps, id);
    expect(row).toMatchObject({
      status: 'pending',
      attempts: 0,
      finished_at: null,
      lease_id: null,
    });
    expect(row.run_at.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(row.run_at.getTime()).toBeLessThanOrEqual(Date.now());

    const audit = (await api(admin).get('/api/v1/audit-log?filter[action]=job.retried')).json()
      .data;
    expect(audit[0]).toMatchObject({
      action: 'job.retried',
      targetType: 'job',
      targetId: id,
      actor: { id: admin.userId },
      diff: { status: { from: 'failed', to: 'pending' }, attempts: { from: 2, to: 0 } },
    });

    // The cause is fixed: the next attempt (attempt 1 of a fresh round) succeeds.
    healthy = true;
    try {
      expect(await runner.runDue()).toBeGreaterThanOrEqual(1);
    } finally {
      healthy = false;
    }
    expect(await jobRow(t.deps, id)).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      last_error: null,
    });

    const conflict = await api(admin).post(`/api/v1/jobs/${id}/retry`);
    expect(conflict.statusCode).toBe(409);
    expect(errorOf(conflict).code).toBe('JOBS_NOT_RETRYABLE');
    const waiting = await enqueueAs(t.deps, {
      organizationId: admin.organizationId,
      name: 'test.later',
      payload: {},
      runAt: new Date(Date.now() + 3_600_000),
    });
    expect((await api(admin).post(`/api/v1/jobs/${waiting}/retry`)).statusCode).toBe(409);
    expect(await jobRow(t.deps, waiting)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('discards a failed job, audited; a discarded job can still be retried, but not discarded twice', async () => {
    const id = await deadJob();
    const res = await api(admin).post(`/api/v1/jobs/${id}/discard`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id, status: 'discarded', attempts: 2 });
    expect((await jobRow(t.deps, id)).status).toBe('discarded');
    expect(
      (await api(admin).get('/api/v1/jobs?filter[status]=failed'))
        .json()
        .data.map((j: { id: string }) => j.id),
    ).not.toContain(id);
    const audit = (await api(admin).get('/api/v1/audit-log?filter[action]=job.discarded')).json()
      .data;
    expect(audit[0]).toMatchObject({
      targetType: 'job',
      targetId: id,
      diff: { status: { from: 'failed', to: 'discarded' } },
    });

    const twice = await api(admin).post(`/api/v1/jobs/${id}/discard`);
    expect(twice.statusCode).toBe(409);
    expect(errorOf(twice).code).toBe('JOBS_NOT_DISCARDABLE');
    expect((await api(admin).post(`/api/v1/jobs/${id}/retry`)).json()).toMatchObject({
      status: 'pending',
      attempts: 0,
    });
    expect((await api(admin).post(`/api/v1/jobs/${id}/discard`)).statusCode).toBe(409);
    expect((await jobRow(t.deps, id)).status).toBe('pending');
  });

  it("gives existing organizations' admin roles the jobs permissions in migration 0015", async () => {
    // An admin role as it was before the migration: without the jobs permissions.
    const strip = (org: string) =>
      sql`update roles set permissions = (select jsonb_agg(g) from jsonb_array_elements(permissions) g where g->>'permission' not like 'jobs:%')
          where organization_id = ${org} and key = 'admin'`;
    await withSystem(t.deps.database.db, (tx) => strip(other.organizationId).execute(tx));
    const migration = await readFile(path.join(MIGRATIONS_DIR, '0015_jobs.sql'), 'utf8');
    const grant = migration.slice(migration.indexOf('UPDATE roles'));
    await withSystem(t.deps.database.db, (tx) => sql.raw(grant).execute(tx));
    const roles = await withSystem(t.deps.database.db, (tx) =>
      sql<{
        key: string;
        permissions: Array<{ permission: string; scope: string }>;
      }>`select key, permissions from roles where organization_id = ${other.organizationId} order by key`.execute(
        tx,
      ),
    );
    const adminRole = roles.rows.find((r) => r.key === 'admin');
    const names = adminRole?.permissions.map((g) => g.permission) ?? [];
    expect(adminRole?.permissions.filter((g) => g.permission.startsWith('jobs:'))).toEqual([
      { permission: 'jobs:read', scope: 'all' },
      { permission: 'jobs:update', scope: 'all' },
    ]);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
    for (const r of roles.rows.filter((x) => x.key !== 'admin'))
      expect(
        r.permissions.some((g) => g.permission.startsWith('jobs:')),
        r.key,
      ).toBe(false);
  });
});
