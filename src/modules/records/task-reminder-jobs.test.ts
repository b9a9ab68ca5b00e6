import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';
import { jobRow } from '../../../test/jobs.js';
import { sql, withSystem } from '../../platform/db/index.js';
import { createJobRunner } from '../../platform/jobs/index.js';
import { TASK_REMINDER_JOB, taskReminderJob, taskReminderSource } from './index.js';

/** A task's reminder is a job per reminder time; the job sends nothing for a reminder since changed. */
describe('task reminders as jobs', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Task reminder jobs');
  });
  afterAll(() => t.close());

  const api = () => client(t.app, admin.token);
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
  const task = async (subject: string, remindAt: string): Promise<string> => {
    const res = await api().post('/api/v1/activities', { type: 'task', subject, remindAt });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id;
  };
  /** The source's pass; answers the job it enqueued for `taskId` (none: undefined). */
  const pass = async (taskId: string): Promise<string | undefined> => {
    const enqueued = await taskReminderSource.enqueueDue(t.deps, new Date());
    const rows = await withSystem(t.deps.database.db, (tx) =>
      sql<{
        job: string | null;
      }>`select reminder_job_id as job from activities where id = ${taskId}`.execute(tx),
    );
    return enqueued.find((j) => j.id === rows.rows[0]?.job)?.id;
  };
  const reminders = async (taskId: string) =>
    (
      await withSystem(t.deps.database.db, (tx) =>
        sql<{
          payload: Record<string, unknown>;
        }>`select payload from outbox where type = 'task.due' and aggregate_id = ${taskId}`.execute(
          tx,
        ),
      )
    ).rows.map((r) => r.payload);
  const runner = () => createJobRunner(t.deps, [taskReminderJob]);

  it('enqueues one job per due reminder, once, and its job emits task.due once', async () => {
    const id = await task('Call back', ago(60_000));
    const jobId = await pass(id);
    if (!jobId) throw new Error('the pass enqueued no job for the task');
    expect(await jobRow(t.deps, jobId)).toMatchObject({
      name: TASK_REMINDER_JOB,
      status: 'pending',
      payload: { activityId: id },
    });
    expect(await pass(id)).toBeUndefined();
    expect(await runner().runOne(jobId, admin.organizationId)).toBe(true);
    expect(await reminders(id)).toEqual([
      expect.objectContaining({ activityId: id, subject: 'Call back', assigneeId: admin.userId }),
    ]);
    expect(await pass(id)).toBeUndefined();
  });

  it('sends nothing for a job whose reminder time was changed, and sends the new one', async () => {
    const id = await task('Moved', ago(120_000));
    const first = await pass(id);
    if (!first) throw new Error('the pass enqueued no job for the task');
    const moved = await api().patch(`/api/v1/activities/${id}`, { remindAt: ago(60_000) });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await runner().runOne(first, admin.organizationId)).toBe(true);
    expect(await jobRow(t.deps, first)).toMatchObject({ status: 'succeeded' });
    expect(await reminders(id)).toEqual([]);

    const second = await pass(id);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(await runner().runOne(second ?? '', admin.organizationId)).toBe(true);
    expect(await reminders(id)).toHaveLength(1);
  });

  it('sends nothing for a task done before its job ran', async () => {
    const id = await task('Done already', ago(60_000));
    const jobId = await pass(id);
    if (!jobId) throw new Error('the pass enqueued no job for the task');
    expect((await api().patch(`/api/v1/activities/${id}`, { status: 'done' })).statusCode).toBe(
      200,
    );
    expect(await runner().runOne(jobId, admin.organizationId)).toBe(true);
    expect(await jobRow(t.deps, jobId)).toMatchObject({ status: 'succeeded' });
    expect(await reminders(id)).toEqual([]);
  });
});
