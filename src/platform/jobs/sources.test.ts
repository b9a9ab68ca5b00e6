import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, insertOrganization, type TestApp } from '../../../test/harness.js';
import { jobRow } from '../../../test/jobs.js';
import type { Deps } from '../context/index.js';
import { withSystem } from '../db/index.js';
import {
  createJobRunner,
  enqueueUniqueJobs,
  jobSourceTask,
  runSourceNow,
  type JobHandler,
  type JobSource,
} from './index.js';

describe('job sources', () => {
  let t: TestApp;
  let org: string;
  beforeAll(async () => {
    t = await createTestApp();
    org = await insertOrganization(t.deps.database, 'Sources');
  });
  afterAll(() => t.close());

  /** A source that finds one unit per key in `due`, keyed by it, and the handler that records what ran. */
  const keyed = (name: string, due: () => string[]) => {
    const handled: string[] = [];
    const source: JobSource = {
      job: name,
      everyMs: 1_000,
      enqueueDue: (deps, now) =>
        withSystem(deps.database.db, (tx) =>
          enqueueUniqueJobs(
            tx,
            due().map((key) => ({
              organizationId: org,
              name,
              key,
              payload: { key, at: now.toISOString() },
            })),
          ),
        ),
    };
    const handler: JobHandler = {
      name,
      handle: async (job) => void handled.push(String(job.payload.key)),
    };
    return { source, handler, handled };
  };

  it('enqueues each key once: within a batch, across passes and across concurrent passes', async () => {
    const { source } = keyed('test.keyed', () => ['a', 'b', 'a']);
    const [first, second] = await Promise.all([
      source.enqueueDue(t.deps, new Date()),
      source.enqueueDue(t.deps, new Date()),
    ]);
    const all = [...(first ?? []), ...(second ?? [])];
    expect(all).toHaveLength(2);
    expect(await source.enqueueDue(t.deps, new Date())).toEqual([]);
    const keys = await Promise.all(all.map(async (j) => (await jobRow(t.deps, j.id)).key));
    expect(keys.sort()).toEqual(['a', 'b']);
    // Refused like any enqueue: the key does not excuse a bad job.
    await expect(
      withSystem(t.deps.database.db, (tx) =>
        enqueueUniqueJobs(tx, [{ organizationId: org, name: ' ', key: 'x', payload: {} }]),
      ),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it("runs a pass as a periodic task at the deps' clock, answering how many it enqueued", async () => {
    let seen: Date | null = null;
    const at = new Date('2030-05-01T10:00:00Z');
    const { source } = keyed('test.task', () => ['only']);
    const watched: JobSource = {
      ...source,
      enqueueDue: (deps, now) => ((seen = now), source.enqueueDue(deps, now)),
    };
    const deps: Deps = { ...t.deps, clock: { now: () => at } };
    const task = jobSourceTask(watched, deps);
    expect(task).toMatchObject({ name: 'test.task (source)', everyMs: 1_000 });
    expect(await task.run()).toBe(1);
    expect(seen).toEqual(at);
    expect(await task.run()).toBe(0);
  });

  it('runSourceNow runs the jobs its pass enqueued and no others', async () => {
    let due = ['earlier'];
    const { source, handler, handled } = keyed('test.now', () => due);
    const deps: Deps = { ...t.deps, jobs: createJobRunner(t.deps, [handler]) };
    const [earlier] = await source.enqueueDue(deps, new Date());
    due = ['one', 'two'];
    expect(await runSourceNow(deps, source)).toBe(2);
    expect(handled.sort()).toEqual(['one', 'two']);
    expect(await jobRow(t.deps, earlier?.id ?? '')).toMatchObject({ status: 'pending' });
    expect(await runSourceNow(deps, source)).toBe(0);
    expect(handled).toHaveLength(2);
  });
});
