import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, insertOrganization, type TestApp } from '../../../test/harness.js';
import { enqueueAs, eventually, gate, jobRow, manualClock } from '../../../test/jobs.js';
import { createCtx, systemActor } from '../context/index.js';
import { withSystem, withTenant, withoutTenant } from '../db/index.js';
import {
  createJobRunner,
  PermanentJobError,
  purgeSucceededJobs,
  type JobHandler,
  type JobRun,
  type JobTables,
} from './index.js';

describe('the job runner', () => {
  let t: TestApp;
  let org: string;

  beforeAll(async () => {
    t = await createTestApp();
    org = await insertOrganization(t.deps.database, 'Jobs');
  });
  afterAll(() => t.close());

  /** A handler that records what it was given and then does `then`. */
  function recording(
    name: string,
    then: (job: JobRun) => Promise<void> = async () => undefined,
  ): JobHandler & { runs: JobRun[] } {
    const runs: JobRun[] = [];
    return { name, runs, handle: async (job) => (runs.push(job), then(job)) };
  }

  it('runs a due job once, outside any transaction, and keeps it as succeeded', async () => {
    const h = recording('test.ok', async (job) => {
      // A handler may open its own tenant transaction: the runner holds none while it runs.
      const ctx = createCtx(t.deps, systemActor(job.organizationId));
      await ctx.tx(async (tx) =>
        ctx.audit(tx, { action: 'test.job_ran', targetType: 'job', targetId: job.id, diff: null }),
      );
    });
    const runner = createJobRunner(t.deps, [h]);
    const id = await enqueueAs(t.deps, {
      organizationId: org,
      name: 'test.ok',
      payload: { hello: 'world' },
    });
    expect((await jobRow(t.deps, id)).status).toBe('pending');

    expect(await runner.runDue()).toBe(1);
    expect(await runner.runDue()).toBe(0);
    expect(h.runs).toEqual([
      {
        id,
        organizationId: org,
        name: 'test.ok',
        payload: { hello: 'world' },
        attempt: 1,
        maxAttempts: 5,
        complete: expect.any(Function),
      },
    ]);
    const row = await jobRow(t.deps, id);
    expect(row).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      lease_id: null,
      leased_until: null,
      last_error: null,
    });
    expect(row.started_at).toBeInstanceOf(Date);
    expect(row.finished_at?.getTime()).toBeGreaterThanOrEqual(
      row.started_at?.getTime() ?? Infinity,
    );
    expect(runner.outcomes()).toEqual([{ name: 'test.ok', outcome: 'succeeded', count: 1 }]);
  });

  it("enqueues in the caller's transaction: a rolled-back change leaves no job", async () => {
    const ctx = createCtx(t.deps, systemActor(org));
    let id = '';
    await expect(
      ctx.tx(async (tx) => {
        id = await ctx.enqueue(tx, { name: 'test.rolled-back', payload: {} });
        throw new Error('the change fails');
      }),
    ).rejects.toThrow('the change fails');
    expect(id).not.toBe('');
    const found = await withSystem(t.deps.database.db, (tx) =>
      tx.withTables<JobTables>().selectFrom('jobs').select('id').where('id', '=', id).execute(),
    );
    expect(found).toEqual([]);
  });

  it('retries a job that always throws with backoff, then fails it with the last error after maxAttempts', async () => {
    let n = 0;
    const h = recording('test.always-throws', async () => {
      throw new TypeError(`upstream said no (${++n})`);
    });
    const clock = manualClock();
    const deps = { ...t.deps, clock };
    const runner = createJobRunner(deps, [h], { retryBaseMs: 60_000 });
    const id = await enqueueAs(deps, {
      organizationId: org,
      name: 'test.always-throws',
      payload: {},
      maxAttempts: 3,
    });

    expect(await runner.runDue()).toBe(1);
    const first = await jobRow(t.deps, id);
    expect(first).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: 'TypeError: upstream said no (1)',
      lease_id: null,
      finished_at: null,
    });
    // The retry waits somewhere in the first window [0, 60 s): not at once unless the jitter drew 0.
    const wait = first.run_at.getTime() - clock.at.getTime();
    expect(wait).toBeGreaterThanOrEqual(0);
    expect(wait).toBeLessThan(60_000);
    if (wait > 0) expect(await runner.runDue()).toBe(0);

    clock.advance(60_000);
    expect(await runner.runDue()).toBe(1);
    const second = await jobRow(t.deps, id);
    expect(second).toMatchObject({
      status: 'pending',
      attempts: 2,
      last_error: 'TypeError: upstream said no (2)',
    });
    expect(second.run_at.getTime() - clock.at.getTime()).toBeLessThan(120_000);

    clock.advance(120_000);
    expect(await runner.runDue()).toBe(1);
    const dead = await jobRow(t.deps, id);
    expect(dead).toMatchObject({
      status: 'failed',
      attempts: 3,
      last_error: 'TypeError: upstream said no (3)',
      lease_id: null,
    });
    expect(dead.finished_at).toEqual(clock.at);
    clock.advance(3_600_000);
    expect(await runner.runDue()).toBe(0);
    expect(h.runs.map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect(runner.outcomes()).toEqual([
      { name: 'test.always-throws', outcome: 'retried', count: 2 },
      { name: 'test.always-throws', outcome: 'failed', count: 1 },
    ]);
  });

  it('fails at once on PermanentJobError, and on a job name no handler is registered for', async () => {
    const h = recording('test.permanent', async () => {
      throw new PermanentJobError('the contact was erased');
    });
    const runner = createJobRunner(t.deps, [h], { retryBaseMs: 0 });
    const permanent = await enqueueAs(t.deps, {
      organizationId: org,
      name: 'test.permanent',
      payload: {},
    });
    const unknown = await enqueueAs(t.deps, {
      organizationId: org,
      name: 'test.nobody-handles-this',
      payload: {},
    });
    expect(await runner.runDue()).toBe(2);
    expect(await jobRow(t.deps, permanent)).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: 'the contact was erased',
    });
    const orphan = await jobRow(t.deps, unknown);
    expect(orphan).toMatchObject({ status: 'failed', attempts: 1 });
    expect(orphan.last_error).toContain(
      'No handler is registered for jobs named "test.nobody-handles-this"',
    );
    expect(h.runs).toHaveLength(1);
  });

  it('does not run a delayed job before its runAt', async () => {
    const clock = manualClock();
    const deps = { ...t.deps, clock };
    const h = recording('test.delayed');
    const runner = createJobRunner(deps, [h]);
    const id = await enqueueAs(deps, {
      organizationId: org,
      name: 'test.delayed',
      payload: {},
      runAt: new Date(clock.at.getTime() + 3_600_000),
    });
    expect(await runner.runDue()).toBe(0);
    clock.advance(3_599_000);
    expect(await runner.runDue()).toBe(0);
    expect((await jobRow(t.deps, id)).status).toBe('pending');
    clock.advance(1_000);
    expect(await runner.runDue()).toBe(1);
    expect(h.runs.map((r) => r.id)).toEqual([id]);
  });

  it('dedupes by key per organization and name, for ever', async () => {
    const other = await insertOrganization(t.deps.database, 'Other');
    const h = recording('test.keyed');
    const runner = createJobRunner(t.deps, [h]);
    const a = await enqueueAs(t.deps, {
      organizationId: org,
      name: 'test.keyed',
      payload: { n: 1 },
      key: 'deal-42',
    });
    const again = await enqueueAs(t.deps, {
      organizationId: org,
      name: 'test.keyed',
      payload: { n: 2 },
      key: 'deal-42',
    });
    expect(again).toBe(a);
    const otherName = await enqueueAs(t.deps, {
      organizationId: org,
      name: 'test.keyed-too',
      payload: {},
      key: 'deal-42',
    });
    const otherOrg = await enqueueAs(t.deps, {
      organizationId: other,
      name: 'test.keyed',
      payload: {},
      key: 'deal-42',
    });
    expect(new Set([a, otherName, otherOrg]).size).toBe(3);
    await runner.runDue();
    expect((await jobRow(t.deps, a)).status).toBe('succeeded');
    // Still the same job after it ran: the key means "once", not "once at a time".
    expect(
      await enqueueAs(t.deps, {
        organizationId: org,
        name: 'test.keyed',
        payload: { n: 3 },
        key: 'deal-42',
      }),
    ).toBe(a);
    expect(h.runs.filter((r) => r.id === a).map((r) => r.payload)).toEqual([{ n: 1 }]);
  });

  it('refuses a maxAttempts outside 1–100, naming the field', async () => {
    await expect(
      enqueueAs(t.deps, { organizationId: org, name: 'test.x', payload: {}, maxAttempts: 0 }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'maxAttempts' }] });
    await expect(
      enqueueAs(t.deps, { organizationId: org, name: 'test.x', payload: {}, maxAttempts: 101 }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('runs at most `concurrency` jobs at once', async () => {
    let running = 0;
    let peak = 0;
    const h = recording('test.parallel', async () => {
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, 40));
      running--;
    });
    const runner = createJobRunner(t.deps, [h], { concurrency: 2 });
    for (let i = 0; i < 5; i++)
      await enqueueAs(t.deps, { organizationId: org, name: 'test.parallel', payload: { i } });
    expect(await runner.runDue()).toBe(2);
    expect(await runner.runDue()).toBe(2);
    expect(await runner.runDue()).toBe(1);
    expect(peak).toBe(2);
    expect(h.runs).toHaveLength(5);
  });

  it('runOne runs exactly the named job when it is due and unclaimed', async () => {
    const clock = manualClock();
    const deps = { ...t.deps, clock };
    const held = gate();
    const h = recording('test.one', (job) => (job.payload.hold ? held.promise : Promise.resolve()));
    const runner = createJobRunner(deps, [h]);
    const due = await enqueueAs(deps, { organizationId: org, name: 'test.one', payload: {} });
    const alsoDue = await enqueueAs(deps, { organizationId: org, name: 'test.one', payload: {} });
    const later = await enqueueAs(deps, {
      organizationId: org,
      name: 'test.one',
      payload: {},
      runAt: new Date(clock.at.getTime() + 60_000),
    });
    const busy = await enqueueAs(deps, {
      organizationId: org,
      name: 'test.one',
      payload: { hold: true },
    });

    expect(await runner.runOne(due, org)).toBe(true);
    expect(h.runs.map((r) => r.id)).toEqual([due]);
    expect((await jobRow(t.deps, alsoDue)).status).toBe('pending');
    expect(await runner.runOne(due, org)).toBe(false);
    expect(await runner.runOne(later, org)).toBe(false);
    expect(await runner.runOne(alsoDue, await insertOrganization(t.deps.database, 'Wrong'))).toBe(
      false,
    );
    expect(await runner.runOne('0190a000-0000-7000-8000-0000000000ff', org)).toBe(false);

    const first = runner.runOne(busy, org);
    await eventually(async () => (await jobRow(t.deps, busy)).status === 'running');
    expect(await runner.runOne(busy, org)).toBe(false);
    held.open();
    expect(await first).toBe(true);
    expect((await jobRow(t.deps, busy)).status).toBe('succeeded');
  });

  it('keeps tenants apart: jobs are invisible without the tenant setting and to other organizations', async () => {
    const other = await insertOrganization(t.deps.database, 'Tenant');
    await enqueueAs(t.deps, { organizationId: other, name: 'test.tenant', payload: {} });
    const q = (tx: Parameters<Parameters<typeof withoutTenant>[1]>[0]) =>
      tx.withTables<JobTables>().selectFrom('jobs').select('organization_id').execute();
    expect(await withoutTenant(t.deps.database.db, q)).toEqual([]);
    const seen = await withTenant(t.deps.database.db, other, q);
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen.map((r) => r.organization_id))).toEqual(new Set([other]));
  });

  it('deletes succeeded jobs after 7 days and keeps failed ones', async () => {
    const now = new Date();
    const make = async (status: 'succeeded' | 'failed', daysAgo: number) => {
      const id = await enqueueAs(t.deps, {
        organizationId: org,
        name: 'test.retention',
        payload: {},
      });
      await withSystem(t.deps.database.db, (tx) =>
        tx
          .withTables<JobTables>()
          .updateTable('jobs')
          .set({ status, finished_at: new Date(now.getTime() - daysAgo * 86_400_000) })
          .where('id', '=', id)
          .execute(),
      );
      return id;
    };
    const old = await make('succeeded', 8);
    const recent = await make('succeeded', 6);
    const deadOld = await make('failed', 30);
    expect(await purgeSucceededJobs(t.deps.database.db, now)).toBe(1);
    await expect(jobRow(t.deps, old)).rejects.toThrow();
    expect((await jobRow(t.deps, recent)).status).toBe('succeeded');
    expect((await jobRow(t.deps, deadOld)).status).toBe('failed');
  });

  it('when started, runs a job enqueued through ctx.enqueue right after the commit, not at the next poll', async () => {
    const h = recording('test.woken');
    const runner = createJobRunner(t.deps, [h], { pollMs: 60_000 });
    const deps = { ...t.deps, jobs: runner };
    runner.start();
    try {
      await new Promise((r) => setTimeout(r, 100));
      const id = await enqueueAs(deps, { organizationId: org, name: 'test.woken', payload: {} });
      await eventually(() => h.runs.length === 1, 3_000);
      await eventually(async () => (await jobRow(t.deps, id)).status === 'succeeded', 3_000);
    } finally {
      await runner.stop();
    }
  });

  it('counts outcomes on /metrics', async () => {
    await enqueueAs(t.deps, { organizationId: org, name: 'test.metrics-orphan', payload: {} });
    await t.deps.jobs.runDue();
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toContain(
      'cerebro_jobs_finished_total{name="test.metrics-orphan",outcome="failed"} 1',
    );
  });
});
