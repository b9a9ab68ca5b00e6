import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { createCtx, systemActor, type Deps } from '../../platform/context/index.js';
import { withSystem } from '../../platform/db/index.js';
import {
  enqueueJobs,
  runSourceNow,
  type EnqueuedJob,
  type JobHandler,
  type JobSource,
} from '../../platform/jobs/index.js';

// A task's reminder is one durable job: the source below enqueues it once the reminder time has
// passed, and the job emits `task.due` (the notifications consumer tells the assignee). The job
// gets the platform's retries, dead letter and takeover; the activity row names its job.

/** The job that sends one task's reminder. */
export const TASK_REMINDER_JOB = 'records.task-reminder';

/** Due reminders enqueued per statement; a pass takes batches until none is left. */
const BATCH = 500;
/** Batches per pass at most, so one pass never holds a worker for long; the next pass goes on. */
const MAX_BATCHES = 20;

/**
 * Enqueues a job for each open task whose reminder time has come and that has no job yet, and
 * records the job on the task in the same transaction. SKIP LOCKED gives concurrent passes
 * disjoint tasks, and a task that has its job is not looked at again: the reminder is enqueued once.
 */
async function enqueueDueTaskReminders(deps: Deps, now: Date): Promise<EnqueuedJob[]> {
  const enqueued: EnqueuedJob[] = [];
  for (let i = 0; i < MAX_BATCHES; i++) {
    const batch = await withSystem(deps.database.db, async (tx) => {
      const due = await sql<{ organization_id: string; id: string }>`
        select organization_id, id from activities
        where remind_at <= ${now} and reminder_job_id is null and reminded_at is null
          and status = 'open' and deleted_at is null
        order by remind_at limit ${BATCH}
        for update skip locked`.execute(tx);
      const jobs = due.rows.map((task) => ({
        organizationId: task.organization_id,
        id: uuidv7(),
        name: TASK_REMINDER_JOB,
        payload: { activityId: task.id },
      }));
      if (jobs.length === 0) return [];
      await enqueueJobs(tx, jobs);
      const values = sql.join(
        jobs.map(
          (j) => sql`(${j.organizationId}::uuid, ${j.payload.activityId}::uuid, ${j.id}::uuid)`,
        ),
      );
      await sql`update activities a set reminder_job_id = v.job_id
        from (values ${values}) as v(organization_id, id, job_id)
        where a.organization_id = v.organization_id and a.id = v.id`.execute(tx);
      return jobs.map((j) => ({ organizationId: j.organizationId, id: j.id }));
    });
    enqueued.push(...batch);
    if (batch.length < BATCH) break;
  }
  return enqueued;
}

/** Finds the tasks whose reminder time came (every 30 s on each worker). */
export const taskReminderSource: JobSource = {
  job: TASK_REMINDER_JOB,
  everyMs: 30_000,
  enqueueDue: enqueueDueTaskReminders,
};

/**
 * Emits `task.due` for the task, as the organization's system actor. Marking the task reminded in
 * the transaction that emits, under the row lock of a conditional update, makes the reminder
 * exactly-once even when a worker that lost its lease runs the job again. Nothing is sent when the
 * task was done, deleted or given another reminder time since (its job is then another one).
 */
export const taskReminderJob: JobHandler = {
  name: TASK_REMINDER_JOB,
  handle: async (job, deps) => {
    const ctx = createCtx(deps, systemActor(job.organizationId));
    await ctx.tx(async (tx) => {
      const claimed = await sql<{
        id: string;
        subject: string;
        assignee_id: string | null;
        due_at: Date | null;
        contact_id: string | null;
      }>`
        update activities a set reminded_at = ${deps.clock.now()}
        where a.organization_id = ${job.organizationId} and a.id = ${String(job.payload.activityId)}
          and a.reminder_job_id = ${job.id} and a.reminded_at is null
          and a.status = 'open' and a.deleted_at is null
        returning a.id, a.subject, a.assignee_id, a.due_at, (select l.record_id from activity_links l
          where l.organization_id = a.organization_id and l.activity_id = a.id and l.object_type = 'contact'
          order by l.created_at, l.record_id limit 1) as contact_id`.execute(tx);
      const row = claimed.rows[0];
      if (row)
        await ctx.emit(tx, {
          type: 'task.due',
          aggregateType: 'activity',
          aggregateId: row.id,
          payload: {
            activityId: row.id,
            subject: row.subject,
            assigneeId: row.assignee_id,
            dueAt: row.due_at?.toISOString() ?? null,
            contactId: row.contact_id,
          },
        });
      await job.complete(tx);
    });
  },
};

/**
 * Enqueues the reminders due by `now` and runs their jobs in this process; answers how many jobs
 * ran. For scripts and tests: workers leave it to the source's pass and the job runner.
 */
export const emitDueTaskReminders = (deps: Deps, now: Date = deps.clock.now()): Promise<number> =>
  runSourceNow(deps, taskReminderSource, now);
