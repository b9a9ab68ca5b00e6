import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';
import { enqueueAs, jobRow } from '../../../test/jobs.js';
import { definition } from '../../../test/workflows.js';
import { withSystem } from '../../platform/db/index.js';
import { createJobRunner, type JobRun } from '../../platform/jobs/index.js';
import { DATE_TRIGGER_JOB, dateTriggerJob, dateTriggerSource } from './index.js';

/** A relative-date trigger enqueues a job per workflow, record and date, which starts one run. */
describe('relative-date triggers as jobs', () => {
  let t: TestApp;
  let admin: TestUser;
  const api = () => client(t.app, admin.token);
  const run = (q: string) => withSystem(t.deps.database.db, (tx) => sql.raw(q).execute(tx));

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Date jobs');
  });
  afterAll(() => t.close());

  /** A deal closing in three days and an enabled workflow firing three days before, last looked at two days ago. */
  async function closingDeal(name: string): Promise<{ workflowId: string; dealId: string }> {
    const pipeline = (await api().get('/api/v1/pipelines')).json().data[0] as {
      stages: Array<{ id: string; kind: string }>;
    };
    const deal = await api().post('/api/v1/deals', {
      name,
      amount: 1000,
      currency: 'USD',
      stageId: pipeline.stages.find((s) => s.kind === 'open')?.id,
      expectedCloseDate: new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10),
    });
    expect(deal.statusCode, deal.body).toBe(201);
    const w = (
      await api().post('/api/v1/workflows', {
        name,
        draft: definition({
          trigger: {
            type: 'date_relative',
            object: 'deal',
            field: 'expectedCloseDate',
            offsetDays: -3,
          },
          start: 'tag',
          steps: [{ id: 'tag', type: 'add_tag', tag: 'closing-soon', next: null }],
        }),
      })
    ).json();
    expect((await api().post(`/api/v1/workflows/${w.id}/publish`)).statusCode).toBe(200);
    expect((await api().patch(`/api/v1/workflows/${w.id}`, { enabled: true })).statusCode).toBe(
      200,
    );
    await run(
      `update workflows set date_swept_at = now() - interval '2 days' where id = '${w.id}'`,
    );
    return { workflowId: w.id, dealId: deal.json().id };
  }
  const jobsOf = async (workflowId: string) =>
    (
      await withSystem(t.deps.database.db, (tx) =>
        sql<{
          id: string;
          key: string;
        }>`select id, key from jobs where name = ${DATE_TRIGGER_JOB} and payload->>'workflowId' = ${workflowId}`.execute(
          tx,
        ),
      )
    ).rows;
  const runsOf = async (workflowId: string) =>
    (await api().get(`/api/v1/workflow-runs?workflowId=${workflowId}`)).json().data as unknown[];

  it('enqueues one job for a record and date however many passes overlap, and it starts one run', async () => {
    const { workflowId, dealId } = await closingDeal('Overlapping passes');
    await Promise.all([
      dateTriggerSource.enqueueDue(t.deps, new Date()),
      dateTriggerSource.enqueueDue(t.deps, new Date()),
    ]);
    // A pass after the cursor went back finds the same record and date: no second job.
    await run(
      `update workflows set date_swept_at = now() - interval '2 days' where id = '${workflowId}'`,
    );
    await dateTriggerSource.enqueueDue(t.deps, new Date());
    const jobs = await jobsOf(workflowId);
    expect(jobs).toHaveLength(1);
    const job = jobs[0];
    if (!job) throw new Error('no job');
    expect(job.key).toContain(`${workflowId}:${dealId}:`);

    const runner = createJobRunner(t.deps, [dateTriggerJob]);
    expect(await runner.runOne(job.id, admin.organizationId)).toBe(true);
    expect(await runsOf(workflowId)).toHaveLength(1);
    // A worker that lost its lease runs the job again: the run's dedupe key keeps it one run.
    const row = await jobRow(t.deps, job.id);
    const stale: JobRun = {
      id: row.id,
      organizationId: row.organization_id,
      name: row.name,
      payload: row.payload,
      attempt: 1,
      maxAttempts: row.max_attempts,
      complete: async () => undefined,
    };
    await dateTriggerJob.handle(stale, t.deps);
    expect(await runsOf(workflowId)).toHaveLength(1);
  });

  it('starts no run when the workflow was disabled before its job ran', async () => {
    const { workflowId } = await closingDeal('Disabled meanwhile');
    await dateTriggerSource.enqueueDue(t.deps, new Date());
    const [job] = await jobsOf(workflowId);
    if (!job) throw new Error('no job');
    expect(
      (await api().patch(`/api/v1/workflows/${workflowId}`, { enabled: false })).statusCode,
    ).toBe(200);
    expect(
      await createJobRunner(t.deps, [dateTriggerJob]).runOne(job.id, admin.organizationId),
    ).toBe(true);
    expect(await jobRow(t.deps, job.id)).toMatchObject({ status: 'succeeded' });
    expect(await runsOf(workflowId)).toEqual([]);
  });

  it('fails a job that names no record at once, with the reason, without retries', async () => {
    const id = await enqueueAs(t.deps, {
      organizationId: admin.organizationId,
      name: DATE_TRIGGER_JOB,
      payload: { workflowId: admin.userId, version: 1, object: 'deal', date: '2030-01-01' },
    });
    expect(await createJobRunner(t.deps, [dateTriggerJob]).runOne(id, admin.organizationId)).toBe(
      true,
    );
    expect(await jobRow(t.deps, id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: 'The job names no record to start the run on',
    });
  });
});
