import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  insertOrganization,
  TEST_DATABASE,
  type TestApp,
} from '../../../test/harness.js';
import { enqueueAs, eventually, jobRow, manualClock } from '../../../test/jobs.js';
import { createJobRunner, LEASE_EXPIRED_ERROR, type JobHandler } from './index.js';
import { claimDue, PROCESS_STOPPED_NOTE, recordAttempt, releaseOrphanedJobs } from './store.js';

describe('job leases', () => {
  let t: TestApp;
  let org: string;

  beforeAll(async () => {
    t = await createTestApp();
    org = await insertOrganization(t.deps.database, 'Leases');
  });
  afterAll(() => t.close());

  const counting = (name: string, ms = 0): JobHandler & { calls: number } => {
    const h = {
      name,
      calls: 0,
      handle: async () => {
        h.calls++;
        if (ms) await new Promise((r) => setTimeout(r, ms));
      },
    };
    return h;
  };

  it("runs again a job whose worker died after claiming it, once the lease ran out, and drops the dead worker's late outcome", async () => {
    const clock = manualClock();
    const deps = { ...t.deps, clock };
    const id = await enqueueAs(deps, { organizationId: org, name: 'test.survivor', payload: {} });
    // A worker claims the job and then "dies": it never renews the lease or records an outcome.
    const [dead] = (await claimDue(t.deps.database.db, clock.now(), 30_000, 10)).claimed;
    expect(dead?.id).toBe(id);
    expect(await jobRow(t.deps, id)).toMatchObject({ status: 'running', attempts: 1 });

    const h = counting('test.survivor');
    const runner = createJobRunner(deps, [h]);
    expect(await runner.runDue()).toBe(0);
    expect(await runner.runOne(id, org)).toBe(false);
    clock.advance(29_999);
    expect(await runner.runDue()).toBe(0);
    clock.advance(1);
    expect(await runner.runDue()).toBe(1);
    expect(h.calls).toBe(1);
    expect(await jobRow(t.deps, id)).toMatchObject({ status: 'succeeded', attempts: 2 });

    // The "dead" worker wakes up and tries to record a failure: its lease is gone, nothing changes.
    if (!dead) throw new Error('claimed nothing');
    expect(
      await recordAttempt(
        t.deps.database.db,
        dead,
        { ok: false, error: 'late', final: true, retryAt: new Date() },
        new Date(),
      ),
    ).toBe(false);
    expect(await jobRow(t.deps, id)).toMatchObject({ status: 'succeeded', last_error: null });
  });

  it('renews the lease while a slow handler runs, so no other runner starts it a second time', async () => {
    const slow = counting('test.slow', 2_000);
    const a = createJobRunner(t.deps, [slow], { leaseMs: 600 });
    const b = createJobRunner(t.deps, [slow], { leaseMs: 600 });
    const id = await enqueueAs(t.deps, { organizationId: org, name: 'test.slow', payload: {} });
    const first = a.runDue();
    await eventually(async () => (await jobRow(t.deps, id)).status === 'running');
    const deadline = Date.now() + 1_500;
    let stolen = 0;
    while (Date.now() < deadline) {
      stolen += await b.runDue();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await first).toBe(1);
    expect(stolen).toBe(0);
    expect(slow.calls).toBe(1);
    expect(await jobRow(t.deps, id)).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('fails a job whose worker died during its last attempt instead of running it past maxAttempts', async () => {
    const clock = manualClock();
    const deps = { ...t.deps, clock };
    const id = await enqueueAs(deps, {
      organizationId: org,
      name: 'test.last-try',
      payload: {},
      maxAttempts: 1,
    });
    await claimDue(t.deps.database.db, clock.now(), 30_000, 10);
    clock.advance(30_000);
    const told: Array<[string, string]> = [];
    const h = Object.assign(counting('test.last-try'), {
      abandoned: async (job: { id: string }, error: string) => void told.push([job.id, error]),
    });
    expect(await createJobRunner(deps, [h]).runDue()).toBe(0);
    expect(h.calls).toBe(0);
    expect(await jobRow(t.deps, id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: LEASE_EXPIRED_ERROR,
    });
    // Its handler hears of it once, so the work it stood for can be failed too.
    expect(told).toEqual([[id, LEASE_EXPIRED_ERROR]]);
    expect(await createJobRunner(deps, [h]).runDue()).toBe(0);
    expect(told).toHaveLength(1);
  });

  it(
    TEST_DATABASE === 'embedded'
      ? 'releases jobs left running by the previous process as soon as it starts (the data-dir lock proves that process is gone)'
      : 'leaves jobs another worker is running alone when it starts (on PostgreSQL only the lease decides)',
    async () => {
      const id = await enqueueAs(t.deps, { organizationId: org, name: 'test.orphan', payload: {} });
      await claimDue(t.deps.database.db, new Date(), 3_600_000, 10);
      const h = counting('test.orphan');
      const runner = createJobRunner(t.deps, [h], { pollMs: 50 });
      runner.start();
      try {
        if (TEST_DATABASE === 'embedded') {
          await eventually(async () => (await jobRow(t.deps, id)).status === 'succeeded', 3_000);
          expect(h.calls).toBe(1);
          // The dead process's attempt is given back: one attempt, the one that ran.
          expect((await jobRow(t.deps, id)).attempts).toBe(1);
        } else {
          await new Promise((r) => setTimeout(r, 400));
          expect(h.calls).toBe(0);
          expect((await jobRow(t.deps, id)).status).toBe('running');
        }
      } finally {
        await runner.stop();
      }
    },
  );

  it('gives a dead process its attempt back once in a row, so a job that kills the process still runs out', async () => {
    const id = await enqueueAs(t.deps, { organizationId: org, name: 'test.poison', payload: {} });
    const claim = () => claimDue(t.deps.database.db, new Date(), 3_600_000, 100);
    await claim();
    expect(await releaseOrphanedJobs(t.deps.database.db, new Date())).toBeGreaterThanOrEqual(1);
    expect(await jobRow(t.deps, id)).toMatchObject({
      attempts: 0,
      last_error: PROCESS_STOPPED_NOTE,
    });
    await claim();
    await releaseOrphanedJobs(t.deps.database.db, new Date());
    // The process died again on the same job: this time the attempt counts.
    expect((await jobRow(t.deps, id)).attempts).toBe(1);
  });
});
