import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  createTeam,
  registerOrganization,
  type TestUser,
} from '../../../test/factories.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';
import { jobRow, manualClock } from '../../../test/jobs.js';
import type { Deps } from '../../platform/context/index.js';
import { sql, withSystem } from '../../platform/db/index.js';
import { createJobRunner, type JobRun } from '../../platform/jobs/index.js';
import { claimDue } from '../../platform/jobs/store.js';
import type { Mailer } from '../../platform/mail/index.js';
import {
  UNASSIGNED_LEAD_REMINDER_JOB,
  unassignedLeadReminderJob,
  unassignedLeadReminderSource,
} from './index.js';

const MINUTE = 60_000;

/**
 * The unassigned-lead reminder as a durable job: a failure is retried and dead-lettered with its
 * reason and retried from the failed-jobs page, concurrent passes and workers send it once, and a
 * dead worker's job is taken over.
 */
describe('unassigned lead reminders as jobs', () => {
  let t: TestApp;
  let admin: TestUser;
  let manager: TestUser;
  let teamId: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Reminder jobs');
    manager = await addUser(t.app, admin, 'sales_manager');
    teamId = await createTeam(t.app, admin, 'Queue', [{ userId: manager.userId, isManager: true }]);
  });
  afterAll(() => t.close());

  const api = (u: TestUser = admin) => client(t.app, u.token);
  /** A lead of the team that nobody owns, waiting for the organization's 30 minutes. */
  const waitingLead = async (name: string): Promise<string> => {
    const res = await api().post('/api/v1/leads', { firstName: name, teamId, ownerId: null });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id;
  };
  const later = () => new Date(Date.now() + 31 * MINUTE);
  /** The source's pass, as of `now`; answers the job it enqueued for `leadId` (if any). */
  const pass = async (leadId: string, deps: Deps = t.deps): Promise<string[]> => {
    const enqueued = await unassignedLeadReminderSource.enqueueDue(deps, later());
    const ofLead = await withSystem(t.deps.database.db, (tx) =>
      sql<{
        job: string | null;
      }>`select unassigned_reminder_job_id as job from leads where id = ${leadId}`.execute(tx),
    );
    const job = ofLead.rows[0]?.job;
    return enqueued.filter((j) => j.id === job).map((j) => j.id);
  };
  const reminders = async (leadId: string) =>
    (
      await withSystem(t.deps.database.db, (tx) =>
        sql`select id from outbox where type = 'lead.unassigned_reminder' and aggregate_id = ${leadId}`.execute(
          tx,
        ),
      )
    ).rows.length;
  const mails = async (name: string) =>
    (
      await withSystem(t.deps.database.db, (tx) =>
        sql`select id from mailbox where to_address = ${manager.email} and subject = ${`Lead waiting for an owner: ${name}`}`.execute(
          tx,
        ),
      )
    ).rows.length;

  it('retries a reminder that fails, lists it as failed with the reason, and an admin retry sends it once', async () => {
    const leadId = await waitingLead('Bounced');
    const [jobId] = await pass(leadId);
    if (!jobId) throw new Error('the pass enqueued no job for the lead');
    expect(await jobRow(t.deps, jobId)).toMatchObject({
      name: UNASSIGNED_LEAD_REMINDER_JOB,
      status: 'pending',
      payload: { leadId },
    });

    const refusing: Mailer = {
      ...t.deps.mailer,
      send: () => Promise.reject(new Error('554 5.7.1 relay refused')),
    };
    const broken = createJobRunner({ ...t.deps, mailer: refusing }, [unassignedLeadReminderJob], {
      retryBaseMs: 0,
    });
    let attempts = 0;
    while (attempts < 10 && (await broken.runOne(jobId, admin.organizationId))) attempts++;
    expect(attempts).toBe(5);
    expect(await jobRow(t.deps, jobId)).toMatchObject({
      status: 'failed',
      attempts: 5,
      last_error: '554 5.7.1 relay refused',
    });
    // Each failed attempt rolled back with its event: nothing was told.
    expect(await reminders(leadId)).toBe(0);
    // The lead has its job: later passes leave it on the failed list instead of queueing another.
    expect(await pass(leadId)).toEqual([]);

    const failed = (await api().get('/api/v1/jobs?filter[status]=failed')).json().data;
    expect(failed).toContainEqual(
      expect.objectContaining({
        id: jobId,
        name: UNASSIGNED_LEAD_REMINDER_JOB,
        lastError: '554 5.7.1 relay refused',
      }),
    );
    // A sales rep may not retry it, nor may another organization see it.
    const rep = await addUser(t.app, admin, 'sales_rep');
    expect((await api(rep).post(`/api/v1/jobs/${jobId}/retry`)).statusCode).toBe(403);
    const stranger = await registerOrganization(t.app, 'Reminder strangers');
    expect((await api(stranger).post(`/api/v1/jobs/${jobId}/retry`)).statusCode).toBe(404);

    expect((await api().post(`/api/v1/jobs/${jobId}/retry`)).statusCode).toBe(200);
    const fixed = createJobRunner(t.deps, [unassignedLeadReminderJob]);
    expect(await fixed.runOne(jobId, admin.organizationId)).toBe(true);
    expect(await jobRow(t.deps, jobId)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(await reminders(leadId)).toBe(1);
    expect(await mails('Bounced')).toBe(1);
    // Done is done: running it again tells nobody twice.
    expect(await fixed.runOne(jobId, admin.organizationId)).toBe(false);
    expect(await reminders(leadId)).toBe(1);
  });

  it('enqueues and sends a reminder once when two workers pass and run at the same time', async () => {
    const leadId = await waitingLead('Raced');
    const [a, b] = await Promise.all([
      unassignedLeadReminderSource.enqueueDue(t.deps, later()),
      unassignedLeadReminderSource.enqueueDue(t.deps, later()),
    ]);
    const jobs = await withSystem(t.deps.database.db, (tx) =>
      sql<{
        id: string;
      }>`select id from jobs where name = ${UNASSIGNED_LEAD_REMINDER_JOB} and payload->>'leadId' = ${leadId}`.execute(
        tx,
      ),
    );
    expect(jobs.rows).toHaveLength(1);
    const jobId = jobs.rows[0]?.id ?? '';
    expect([...(a ?? []), ...(b ?? [])].filter((j) => j.id === jobId)).toHaveLength(1);

    const one = createJobRunner(t.deps, [unassignedLeadReminderJob]);
    const two = createJobRunner(t.deps, [unassignedLeadReminderJob]);
    const ran = await Promise.all([
      one.runOne(jobId, admin.organizationId),
      two.runOne(jobId, admin.organizationId),
    ]);
    expect(ran.filter(Boolean)).toHaveLength(1);
    expect(await reminders(leadId)).toBe(1);
    expect(await mails('Raced')).toBe(1);
  });

  it('lets another worker take over the reminder of a worker that died holding it; the dead one waking sends nothing more', async () => {
    const leadId = await waitingLead('Orphaned');
    const [jobId] = await pass(leadId);
    if (!jobId) throw new Error('the pass enqueued no job for the lead');
    const clock = manualClock();
    // The dying worker claims the job, then records no outcome and stops renewing its lease.
    const { claimed } = await claimDue(t.deps.database.db, clock.now(), 30_000, 1, {
      organizationId: admin.organizationId,
      id: jobId,
    });
    const [dead] = claimed;
    if (!dead) throw new Error('claimed nothing');

    const survivor = createJobRunner({ ...t.deps, clock }, [unassignedLeadReminderJob]);
    expect(await survivor.runOne(jobId, admin.organizationId)).toBe(false);
    expect(await reminders(leadId)).toBe(0);
    clock.advance(30_000);
    expect(await survivor.runOne(jobId, admin.organizationId)).toBe(true);
    expect(await jobRow(t.deps, jobId)).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(await reminders(leadId)).toBe(1);

    const stale: JobRun = {
      id: dead.id,
      organizationId: dead.organization_id,
      name: dead.name,
      payload: dead.payload,
      attempt: 1,
      maxAttempts: dead.max_attempts,
      complete: async () => undefined,
    };
    await unassignedLeadReminderJob.handle(stale, t.deps);
    expect(await reminders(leadId)).toBe(1);
    expect(await mails('Orphaned')).toBe(1);
  });

  it('sends nothing for a job whose lead found an owner, and a new wait gets a new job', async () => {
    const leadId = await waitingLead('Claimed');
    const [first] = await pass(leadId);
    if (!first) throw new Error('the pass enqueued no job for the lead');
    expect(
      (await api().patch(`/api/v1/leads/${leadId}`, { ownerId: manager.userId })).statusCode,
    ).toBe(200);
    const runner = createJobRunner(t.deps, [unassignedLeadReminderJob]);
    expect(await runner.runOne(first, admin.organizationId)).toBe(true);
    expect(await jobRow(t.deps, first)).toMatchObject({ status: 'succeeded' });
    expect(await reminders(leadId)).toBe(0);

    // Unassigned again: a new wait, which the next pass gives its own job and which is sent.
    expect((await api().patch(`/api/v1/leads/${leadId}`, { ownerId: null })).statusCode).toBe(200);
    const [second] = await pass(leadId);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(await runner.runOne(second ?? '', admin.organizationId)).toBe(true);
    expect(await reminders(leadId)).toBe(1);
  });
});
