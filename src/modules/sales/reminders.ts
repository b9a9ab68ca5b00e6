import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { createCtx, systemActor, type Ctx, type Deps } from '../../platform/context/index.js';
import { withSystem, type Tx } from '../../platform/db/index.js';
import {
  enqueueJobs,
  runSourceNow,
  type EnqueuedJob,
  type JobHandler,
  type JobRun,
  type JobSource,
} from '../../platform/jobs/index.js';
import { purgeTrashedRecords } from '../records/index.js';
import { LEAD_EVENTS, type LeadUnassignedReminderPayload } from './events.js';
import type { SalesTables } from './schema.js';

interface Claimed {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  company_name: string | null;
  team_id: string | null;
  created_at: Date;
}

/** The managers of a team, with their addresses; none without a team. */
async function managersOf(
  tx: Tx,
  organizationId: string,
  teamId: string | null,
): Promise<Array<{ id: string; email: string; name: string }>> {
  if (!teamId) return [];
  return tx
    .withTables<SalesTables>()
    .selectFrom('team_members as m')
    .innerJoin('users as u', (j) =>
      j.onRef('u.organization_id', '=', 'm.organization_id').onRef('u.id', '=', 'm.user_id'),
    )
    .select(['u.id', 'u.email', 'u.name'])
    .where('m.organization_id', '=', organizationId)
    .where('m.team_id', '=', teamId)
    .where('m.is_manager', '=', true)
    .where('u.status', '=', 'active')
    .orderBy('u.id')
    .execute();
}

/** The job that tells a lead's team managers it waits for an owner. */
export const UNASSIGNED_LEAD_REMINDER_JOB = 'sales.unassigned-lead-reminder';

/** Due reminders enqueued per statement; a pass takes batches until none is left. */
const BATCH = 500;
/** Batches per pass at most, so one pass never holds a worker for long; the next pass goes on. */
const MAX_BATCHES = 20;

/**
 * Tells a lead's team managers it is waiting (event, and an email each), once per wait. Claiming
 * the lead and telling in one transaction, under the row lock of a conditional update, makes the
 * reminder exactly-once even when a worker that lost its lease runs the job again. Nothing is sent
 * when the lead found an owner, went to the trash or started another wait (its job is then another).
 */
async function remindOne(job: JobRun, deps: Deps): Promise<void> {
  const ctx = createCtx(deps, systemActor(job.organizationId));
  await ctx.tx(async (tx) => {
    const claimed = await sql<Claimed>`
      update leads set unassigned_reminded_at = ${deps.clock.now()}
      where organization_id = ${job.organizationId} and id = ${String(job.payload.leadId)}
        and unassigned_reminder_job_id = ${job.id} and unassigned_reminded_at is null
        and owner_id is null and deleted_at is null
      returning id, first_name, last_name, email, company_name, team_id, created_at`.execute(tx);
    const lead = claimed.rows[0];
    if (lead) await tell(ctx, tx, lead);
    await job.complete(tx);
  });
}

/** The event and the managers' emails about a waiting lead. */
async function tell(ctx: Ctx, tx: Tx, lead: Claimed): Promise<void> {
  const managers = await managersOf(tx, ctx.organizationId, lead.team_id);
  const payload: LeadUnassignedReminderPayload = {
    leadId: lead.id,
    teamId: lead.team_id,
    managerIds: managers.map((m) => m.id),
    waitingSince: lead.created_at.toISOString(),
  };
  await ctx.emit(tx, {
    type: LEAD_EVENTS.unassignedReminder,
    aggregateType: 'lead',
    aggregateId: lead.id,
    payload: { ...payload },
  });
  const who =
    [lead.first_name, lead.last_name].filter(Boolean).join(' ') ||
    lead.email ||
    lead.company_name ||
    'A new lead';
  const url = `${ctx.deps.config.http.publicUrl}/leads/${lead.id}`;
  for (const m of managers) {
    await ctx.deps.mailer.send(tx, {
      organizationId: ctx.organizationId,
      to: m.email,
      subject: `Lead waiting for an owner: ${who}`,
      text: `Hello ${m.name},\n\n${who} came in at ${lead.created_at.toISOString()} and nobody in your team owns it yet.\nAssign it here: ${url}\n`,
    });
  }
}

/**
 * Enqueues a job for each lead that waited past its reminder time with no owner and has no job
 * yet, and records the job on the lead in the same transaction. SKIP LOCKED gives concurrent
 * passes disjoint leads, and a lead that has its job is not looked at again: one reminder per wait.
 */
async function enqueueDueLeadReminders(deps: Deps, now: Date): Promise<EnqueuedJob[]> {
  const enqueued: EnqueuedJob[] = [];
  for (let i = 0; i < MAX_BATCHES; i++) {
    const batch = await withSystem(deps.database.db, async (tx) => {
      const due = await sql<{ organization_id: string; id: string }>`
        select organization_id, id from leads
        where owner_id is null and unassigned_reminder_job_id is null and unassigned_reminded_at is null
          and deleted_at is null and unassigned_remind_at <= ${now}
          and status not in ('converted', 'disqualified')
        order by unassigned_remind_at limit ${BATCH}
        for update skip locked`.execute(tx);
      const jobs = due.rows.map((lead) => ({
        organizationId: lead.organization_id,
        id: uuidv7(),
        name: UNASSIGNED_LEAD_REMINDER_JOB,
        payload: { leadId: lead.id },
      }));
      if (jobs.length === 0) return [];
      await enqueueJobs(tx, jobs);
      const values = sql.join(
        jobs.map((j) => sql`(${j.organizationId}::uuid, ${j.payload.leadId}::uuid, ${j.id}::uuid)`),
      );
      await sql`update leads l set unassigned_reminder_job_id = v.job_id
        from (values ${values}) as v(organization_id, id, job_id)
        where l.organization_id = v.organization_id and l.id = v.id`.execute(tx);
      return jobs.map((j) => ({ organizationId: j.organizationId, id: j.id }));
    });
    enqueued.push(...batch);
    if (batch.length < BATCH) break;
  }
  return enqueued;
}

/** Finds the leads that waited too long for an owner (every minute on each worker). */
export const unassignedLeadReminderSource: JobSource = {
  job: UNASSIGNED_LEAD_REMINDER_JOB,
  everyMs: 60_000,
  enqueueDue: enqueueDueLeadReminders,
};

/** Tells a lead's team managers it waits for an owner. */
export const unassignedLeadReminderJob: JobHandler = {
  name: UNASSIGNED_LEAD_REMINDER_JOB,
  handle: remindOne,
};

/**
 * Enqueues the reminders due by `now` and runs their jobs in this process; answers how many jobs
 * ran. For scripts and tests: workers leave it to the source's pass and the job runner.
 */
export const emitUnassignedLeadReminders = (
  deps: Deps,
  now: Date = deps.clock.now(),
): Promise<number> => runSourceNow(deps, unassignedLeadReminderSource, now);

/** Deletes leads that have been in the trash for more than 30 days; their activities lose the link. */
export const purgeExpiredLeads = (deps: Deps, now: Date = deps.clock.now()): Promise<number> =>
  purgeTrashedRecords(deps, 'leads', 'lead', now);
