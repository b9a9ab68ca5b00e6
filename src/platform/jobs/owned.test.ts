import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { createTestApp, insertOrganization, type TestApp } from '../../../test/harness.js';
import { jobRow, manualClock } from '../../../test/jobs.js';
import { withTenant } from '../db/index.js';
import { claimDue } from './store.js';
import { enqueueJobs, hastenJobs, jobStates } from './index.js';

describe('jobs an owner enqueues in bulk, looks up and brings forward', () => {
  let t: TestApp;
  let org: string;
  let otherOrg: string;

  beforeAll(async () => {
    t = await createTestApp();
    org = await insertOrganization(t.deps.database, 'Owner');
    otherOrg = await insertOrganization(t.deps.database, 'Neighbour');
  });
  afterAll(() => t.close());

  const inOrg = <T>(organizationId: string, fn: Parameters<typeof withTenant<T>>[2]) =>
    withTenant(t.deps.database.db, organizationId, fn);

  it('inserts many jobs in one statement, in order, under the ids the caller chose or new ones', async () => {
    const chosen = uuidv7();
    const later = new Date(Date.now() + 3_600_000);
    const ids = await inOrg(org, (tx) =>
      enqueueJobs(tx, [
        { organizationId: org, id: chosen, name: 'test.bulk', payload: { n: 1 }, maxAttempts: 3 },
        { organizationId: org, name: 'test.bulk', payload: { n: 2 }, runAt: later },
      ]),
    );
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(chosen);
    expect(await jobRow(t.deps, chosen)).toMatchObject({
      status: 'pending',
      payload: { n: 1 },
      max_attempts: 3,
      attempts: 0,
    });
    expect(await jobRow(t.deps, ids[1] ?? '')).toMatchObject({ payload: { n: 2 }, run_at: later });
    await expect(
      inOrg(org, (tx) =>
        enqueueJobs(tx, [{ organizationId: org, name: 'test.bulk', payload: {}, maxAttempts: 0 }]),
      ),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('brings forward only pending jobs that wait, and shows each job of the organization only', async () => {
    const clock = manualClock();
    const now = clock.now();
    const inHour = new Date(now.getTime() + 3_600_000);
    const [waiting = '', running = '', due = ''] = await inOrg(org, (tx) =>
      enqueueJobs(tx, [
        { organizationId: org, name: 'test.hasten', payload: {}, runAt: inHour },
        { organizationId: org, name: 'test.hasten', payload: {}, runAt: now },
        { organizationId: org, name: 'test.hasten', payload: {}, runAt: now },
      ]),
    );
    await claimDue(t.deps.database.db, now, 30_000, 1, { organizationId: org, id: running });
    expect(await inOrg(org, (tx) => hastenJobs(tx, org, [waiting, running, due], now))).toBe(1);
    // Another organization's transaction cannot move them (row level security).
    expect(await inOrg(otherOrg, (tx) => hastenJobs(tx, org, [waiting], now))).toBe(0);

    const states = await inOrg(org, (tx) => jobStates(tx, org, [waiting, running, due, uuidv7()]));
    expect([...states.keys()].sort()).toEqual([waiting, running, due].sort());
    expect(states.get(waiting)).toMatchObject({ status: 'pending', runAt: now, attempts: 0 });
    expect(states.get(running)).toMatchObject({ status: 'running', attempts: 1 });
    expect((await inOrg(otherOrg, (tx) => jobStates(tx, org, [waiting]))).size).toBe(0);
  });
});
