import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, insertOrganization, type TestApp } from '../../../test/harness.js';
import { eventually, jobRow } from '../../../test/jobs.js';
import { createCtx, systemActor } from '../context/index.js';
import { withTenant } from '../db/index.js';
import {
  createJobRunner,
  type JobHandler,
  type JobRun,
  type JobRunner,
  type JobTables,
} from './index.js';

describe("jobs run where they were enqueued, and completed in the handler's transaction", () => {
  let t: TestApp;
  let org: string;
  const runners: JobRunner[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    org = await insertOrganization(t.deps.database, 'Here');
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
  });
  afterAll(() => t.close());

  /** A runner whose own loop never claims: a job it runs can only have come from enqueueHere. */
  function runner(handlers: JobHandler[]): JobRunner {
    const r = createJobRunner(t.deps, handlers, { claimOnPoll: false, pollMs: 60_000 });
    runners.push(r);
    return r;
  }

  it('inserts the job already leased to a started runner and runs it right after the commit', async () => {
    const runs: JobRun[] = [];
    const r = runner([{ name: 'test.here', handle: async (job) => void runs.push(job) }]);
    r.start();
    let inTx: Record<string, unknown> = {};
    const id = await withTenant(t.deps.database.db, org, async (tx) => {
      const jobId = await r.enqueueHere(tx, {
        organizationId: org,
        name: 'test.here',
        payload: { n: 1 },
      });
      inTx = {
        ...(await tx
          .withTables<JobTables>()
          .selectFrom('jobs')
          .selectAll()
          .where('id', '=', jobId)
          .executeTakeFirstOrThrow()),
      };
      expect(runs).toHaveLength(0);
      return jobId;
    });
    expect(inTx).toMatchObject({ status: 'running', attempts: 1 });
    expect(inTx.lease_id).not.toBeNull();
    await eventually(async () => (await jobRow(t.deps, id)).status === 'succeeded');
    expect(runs.map((j) => [j.id, j.attempt, j.payload])).toEqual([[id, 1, { n: 1 }]]);
  });

  it('leaves nothing when the enqueueing transaction rolls back', async () => {
    const runs: string[] = [];
    const r = runner([
      { name: 'test.here-rollback', handle: async (job) => void runs.push(job.id) },
    ]);
    r.start();
    let id = '';
    await expect(
      withTenant(t.deps.database.db, org, async (tx) => {
        id = await r.enqueueHere(tx, {
          organizationId: org,
          name: 'test.here-rollback',
          payload: {},
        });
        throw new Error('the change fails');
      }),
    ).rejects.toThrow('the change fails');
    await new Promise((res) => setTimeout(res, 100));
    expect(runs).toEqual([]);
    await expect(jobRow(t.deps, id)).rejects.toThrow();
  });

  it('enqueues an ordinary pending job when the runner is not started, lacks the handler, or the job is delayed', async () => {
    const stopped = runner([{ name: 'test.here-idle', handle: async () => undefined }]);
    const started = runner([{ name: 'test.here-other', handle: async () => undefined }]);
    started.start();
    const later = new Date(Date.now() + 60_000);
    const ids = await withTenant(t.deps.database.db, org, async (tx) => [
      await stopped.enqueueHere(tx, { organizationId: org, name: 'test.here-idle', payload: {} }),
      await started.enqueueHere(tx, {
        organizationId: org,
        name: 'test.here-unknown',
        payload: {},
      }),
      await started.enqueueHere(tx, {
        organizationId: org,
        name: 'test.here-other',
        payload: {},
        runAt: later,
      }),
    ]);
    for (const id of ids)
      expect(await jobRow(t.deps, id)).toMatchObject({
        status: 'pending',
        attempts: 0,
        lease_id: null,
      });
  });

  it("commits the job's success with the handler's effect, and records nothing after it", async () => {
    const ctxOf = (job: JobRun) => createCtx(t.deps, systemActor(job.organizationId));
    const r = runner([
      {
        name: 'test.complete',
        handle: async (job) => {
          const ctx = ctxOf(job);
          await ctx.tx(async (tx) => {
            await ctx.audit(tx, {
              action: 'test.completed_in_tx',
              targetType: 'job',
              targetId: job.id,
              diff: null,
            });
            await job.complete(tx);
          });
        },
      },
    ]);
    r.start();
    const id = await withTenant(t.deps.database.db, org, (tx) =>
      r.enqueueHere(tx, { organizationId: org, name: 'test.complete', payload: {} }),
    );
    await eventually(async () => (await jobRow(t.deps, id)).status === 'succeeded');
    expect(r.outcomes()).toEqual([{ name: 'test.complete', outcome: 'succeeded', count: 1 }]);
    expect((await jobRow(t.deps, id)).lease_id).toBeNull();
  });

  it('retries a job whose handler completed it in a transaction that then rolled back', async () => {
    let attempts = 0;
    const r = runner([
      {
        name: 'test.complete-rollback',
        handle: async (job) => {
          attempts++;
          const ctx = createCtx(t.deps, systemActor(job.organizationId));
          if (attempts === 1) {
            await ctx.tx(async (tx) => {
              await job.complete(tx);
              throw new Error('the step failed after completing');
            });
          }
        },
      },
    ]);
    r.start();
    const id = await withTenant(t.deps.database.db, org, (tx) =>
      r.enqueueHere(tx, {
        organizationId: org,
        name: 'test.complete-rollback',
        payload: {},
        maxAttempts: 3,
      }),
    );
    await eventually(async () => (await jobRow(t.deps, id)).status === 'pending');
    expect(await jobRow(t.deps, id)).toMatchObject({
      attempts: 1,
      last_error: 'the step failed after completing',
    });
    expect(attempts).toBe(1);
  });
});
