import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, insertOrganization, type TestApp } from '../../../test/harness.js';
import { manualClock } from '../../../test/jobs.js';
import { withSystem, withTenant } from '../db/index.js';
import {
  createJobRunner,
  nextFireTime,
  removeSchedule,
  upsertSchedule,
  type JobHandler,
  type JobRun,
  type JobTables,
  type ScheduleInput,
} from './index.js';

describe('nextFireTime', () => {
  it('reads the pattern in the time zone, across daylight saving time', () => {
    // 09:00 in Berlin is 08:00 UTC in winter (CET) and 07:00 UTC in summer (CEST).
    expect(nextFireTime('0 9 * * *', 'Europe/Berlin', new Date('2030-01-15T12:00:00Z'))).toEqual(
      new Date('2030-01-16T08:00:00Z'),
    );
    expect(nextFireTime('0 9 * * *', 'Europe/Berlin', new Date('2030-07-15T12:00:00Z'))).toEqual(
      new Date('2030-07-16T07:00:00Z'),
    );
    // Strictly after: a fire time is not its own successor.
    expect(nextFireTime('0 9 * * *', 'UTC', new Date('2030-01-15T09:00:00Z'))).toEqual(
      new Date('2030-01-16T09:00:00Z'),
    );
    expect(
      nextFireTime('30 8 * * MON-FRI', 'America/New_York', new Date('2030-03-09T12:00:00Z')),
    ).toEqual(new Date('2030-03-11T12:30:00Z'));
    expect(nextFireTime('*/15 * * * * *', 'UTC', new Date('2030-01-01T00:00:01Z'))).toEqual(
      new Date('2030-01-01T00:00:15Z'),
    );
    expect(nextFireTime('0 0 31 2 *', 'UTC', new Date('2030-01-01T00:00:00Z'))).toBeNull();
    expect(() => nextFireTime('every day', 'UTC', new Date())).toThrow();
  });
});

describe('job schedules', () => {
  let t: TestApp;
  let org: string;

  beforeAll(async () => {
    t = await createTestApp();
    org = await insertOrganization(t.deps.database, 'Cron');
  });
  afterAll(() => t.close());
  // Schedules fire across organizations: each test starts without the previous one's.
  afterEach(() =>
    withSystem(t.deps.database.db, (tx) =>
      tx.withTables<JobTables>().deleteFrom('job_schedules').execute(),
    ),
  );

  const schedule = (key: string, overrides: Partial<ScheduleInput> = {}): ScheduleInput => ({
    organizationId: org,
    key,
    cron: '0 9 * * *',
    timezone: 'Europe/Berlin',
    job: { name: 'test.report', payload: { report: key } },
    ...overrides,
  });
  const upsert = (s: ScheduleInput, now: Date) =>
    withTenant(t.deps.database.db, s.organizationId, (tx) => upsertSchedule(tx, s, now));
  const nextRunAt = async (key: string) =>
    await withSystem(t.deps.database.db, (tx) =>
      tx
        .withTables<JobTables>()
        .selectFrom('job_schedules')
        .select(['next_run_at', 'enabled'])
        .where('key', '=', key)
        .executeTakeFirstOrThrow(),
    );
  const jobsOf = (key: string) =>
    withSystem(t.deps.database.db, (tx) =>
      tx
        .withTables<JobTables>()
        .selectFrom('jobs')
        .select(['key', 'run_at', 'status', 'payload'])
        .where('key', 'like', `${key}@%`)
        .orderBy('run_at')
        .execute(),
    );
  const recorder = (): JobHandler & { runs: JobRun[] } => {
    const runs: JobRun[] = [];
    return { name: 'test.report', runs, handle: async (job) => void runs.push(job) };
  };

  it('fires once per fire time even when two runners look at the same moment', async () => {
    const clock = manualClock(new Date('2030-01-01T06:00:00Z'));
    const deps = { ...t.deps, clock };
    await upsert(schedule('daily'), clock.now());
    expect(await nextRunAt('daily')).toEqual({
      next_run_at: new Date('2030-01-01T08:00:00Z'),
      enabled: true,
    });

    const h = recorder();
    const a = createJobRunner(deps, [h]);
    const b = createJobRunner(deps, [h]);
    expect(await a.runDue()).toBe(0);
    clock.at = new Date('2030-01-01T08:00:05Z');
    const ran = await Promise.all([a.runDue(), b.runDue(), a.runDue(), b.runDue()]);
    expect(ran.reduce((x, y) => x + y, 0)).toBe(1);
    expect(h.runs).toHaveLength(1);
    expect(h.runs[0]?.payload).toEqual({ report: 'daily' });
    expect(await jobsOf('daily')).toEqual([
      {
        key: 'daily@2030-01-01T08:00:00.000Z',
        run_at: new Date('2030-01-01T08:00:00Z'),
        status: 'succeeded',
        payload: { report: 'daily' },
      },
    ]);
    expect((await nextRunAt('daily')).next_run_at).toEqual(new Date('2030-01-02T08:00:00Z'));
  });

  it('fires a window missed during downtime once, not once per missed time, and moves on to the next future time', async () => {
    const clock = manualClock(new Date('2030-02-01T00:00:00Z'));
    await upsert(schedule('missed'), clock.now());
    clock.at = new Date('2030-02-05T12:00:00Z');
    const h = recorder();
    const runner = createJobRunner({ ...t.deps, clock }, [h]);
    expect(await runner.runDue()).toBe(1);
    expect(await runner.runDue()).toBe(0);
    expect((await jobsOf('missed')).map((j) => j.key)).toEqual(['missed@2030-02-01T08:00:00.000Z']);
    expect((await nextRunAt('missed')).next_run_at).toEqual(new Date('2030-02-06T08:00:00Z'));
  });

  it('keeps a due fire when the schedule is saved again unchanged, and recomputes it when the pattern changes', async () => {
    const at = new Date('2030-03-01T00:00:00Z');
    await upsert(schedule('edited'), at);
    const due = new Date('2030-03-01T08:00:00Z');
    // Saved again after the fire time passed but before a runner fired it: still due.
    await upsert(
      schedule('edited', { job: { name: 'test.report', payload: { v: 2 } } }),
      new Date('2030-03-01T08:30:00Z'),
    );
    expect((await nextRunAt('edited')).next_run_at).toEqual(due);
    await upsert(schedule('edited', { cron: '0 18 * * *' }), new Date('2030-03-01T08:30:00Z'));
    expect((await nextRunAt('edited')).next_run_at).toEqual(new Date('2030-03-01T17:00:00Z'));
  });

  it('stops firing once removed', async () => {
    const clock = manualClock(new Date('2030-04-01T00:00:00Z'));
    await upsert(schedule('removed'), clock.now());
    await withTenant(t.deps.database.db, org, (tx) => removeSchedule(tx, org, 'removed'));
    clock.at = new Date('2030-04-03T00:00:00Z');
    await createJobRunner({ ...t.deps, clock }, [recorder()]).runDue();
    expect(await jobsOf('removed')).toEqual([]);
  });

  it('refuses a bad pattern or time zone with VALIDATION_FAILED naming the field', async () => {
    const now = new Date('2030-05-01T00:00:00Z');
    const refused = async (s: ScheduleInput) => {
      try {
        await upsert(s, now);
      } catch (e) {
        return e as { code: string; details: Array<{ path: string; message: string }> };
      }
      throw new Error('accepted');
    };
    const badCron = await refused(schedule('bad-cron', { cron: 'at nine' }));
    expect(badCron.code).toBe('VALIDATION_FAILED');
    expect(badCron.details).toEqual([
      { path: 'cron', message: expect.stringContaining('not a valid cron pattern') },
    ]);
    expect((await refused(schedule('never', { cron: '0 0 31 2 *' }))).details).toEqual([
      { path: 'cron', message: 'never fires' },
    ]);
    expect((await refused(schedule('seven', { cron: '0 0 9 * * * 2031' }))).details[0]?.path).toBe(
      'cron',
    );
    expect(
      (await refused(schedule('bad-zone', { timezone: 'Mars/Olympus_Mons' }))).details,
    ).toEqual([{ path: 'timezone', message: expect.stringContaining('IANA') }]);
    expect(
      (await refused(schedule('both', { cron: '', timezone: '' }))).details
        .map((d) => d.path)
        .sort(),
    ).toEqual(['cron', 'timezone']);
    const none = await withSystem(t.deps.database.db, (tx) =>
      tx
        .withTables<JobTables>()
        .selectFrom('job_schedules')
        .select('key')
        .where('key', 'in', ['bad-cron', 'never', 'seven', 'bad-zone', 'both'])
        .execute(),
    );
    expect(none).toEqual([]);
    // A zone in another spelling is stored as the platform names it.
    await upsert(schedule('utc', { timezone: 'utc' }), now);
    const stored = await withSystem(t.deps.database.db, (tx) =>
      tx
        .withTables<JobTables>()
        .selectFrom('job_schedules')
        .select('timezone')
        .where('key', '=', 'utc')
        .executeTakeFirstOrThrow(),
    );
    expect(stored.timezone).toBe('UTC');
  });
});
