import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';
import { definition, settle } from '../../../test/workflows.js';
import { withSystem } from '../../platform/db/index.js';
import { INLINE_STEP_BUDGET } from './step-run.js';

interface Run {
  id: string;
  status: string;
  error: string | null;
  steps: Array<{ stepId: string; status: string; attempt: number }>;
}

/** How many step jobs the runs of this organization have had (pending, running or finished). */
async function stepJobs(t: TestApp, organizationId: string): Promise<number> {
  const r = await withSystem(t.deps.database.db, (tx) =>
    sql<{ n: number }>`select count(*)::int as n from jobs
      where organization_id = ${organizationId} and name = 'workflow.advance'`.execute(tx),
  );
  return r.rows[0]?.n ?? -1;
}

describe('a run takes its database steps inline, with the event that started it', () => {
  let t: TestApp;
  let admin: TestUser;
  const api = () => client(t.app, admin.token);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Inline');
  });
  afterAll(() => t.close());
  afterEach(async () => {
    for (const w of (await api().get('/api/v1/workflows')).json().data as Array<{ id: string }>)
      await api().delete(`/api/v1/workflows/${w.id}`);
  });

  async function live(draft: Record<string, unknown>): Promise<string> {
    const created = await api().post('/api/v1/workflows', {
      name: 'Inline',
      draft: definition(draft),
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = String(created.json().id);
    expect((await api().post(`/api/v1/workflows/${id}/publish`)).statusCode).toBe(200);
    expect((await api().patch(`/api/v1/workflows/${id}`, { enabled: true })).statusCode).toBe(200);
    return id;
  }

  async function runsOf(workflowId: string): Promise<Run[]> {
    const list = (await api().get(`/api/v1/workflow-runs?workflowId=${workflowId}`)).json()
      .data as Array<{ id: string }>;
    return Promise.all(
      list.map(async (r) => (await api().get(`/api/v1/workflow-runs/${r.id}`)).json<Run>()),
    );
  }

  it('finishes a three-step run in the consumer that saw the event: no step job at all', async () => {
    const id = await live({
      trigger: { type: 'record_created', object: 'contact' },
      start: 'tag',
      steps: [
        { id: 'tag', type: 'add_tag', tag: 'inline', next: 'task' },
        { id: 'task', type: 'create_task', subject: 'Call {{contact.firstName}}', next: 'tell' },
        { id: 'tell', type: 'notify', title: 'Hello {{contact.firstName}}', next: null },
      ],
    });
    const before = await stepJobs(t, admin.organizationId);
    const contact = (
      await api().post('/api/v1/contacts', { firstName: 'Ada', lastName: 'Inline' })
    ).json<{ id: string }>();
    // One pass of the event transport, no job runner: the run must already be done.
    await t.deps.outbox.drain();
    const [run] = await runsOf(id);
    expect(run?.status).toBe('succeeded');
    expect(run?.steps.map((s) => [s.stepId, s.status, s.attempt])).toEqual([
      ['tag', 'succeeded', 1],
      ['task', 'succeeded', 1],
      ['tell', 'succeeded', 1],
    ]);
    expect(await stepJobs(t, admin.organizationId)).toBe(before);
    const tagged = (await api().get(`/api/v1/contacts/${contact.id}`)).json<{ tags: string[] }>();
    expect(tagged.tags).toEqual(['inline']);
    const tasks = (await api().get('/api/v1/activities?type=task')).json().data as Array<{
      subject: string;
    }>;
    expect(tasks.map((a) => a.subject)).toContain('Call Ada');
  });

  it('undoes the inline steps when one fails, and the job queue takes the run on from the first', async () => {
    const id = await live({
      trigger: { type: 'record_created', object: 'contact' },
      start: 'tag',
      steps: [
        { id: 'tag', type: 'add_tag', tag: 'first', next: 'task' },
        // No such user: the task cannot be created, and no retry can fix it.
        {
          id: 'task',
          type: 'create_task',
          subject: 'Never',
          assignTo: '01a00000-0000-7000-8000-000000000000',
          next: null,
        },
      ],
    });
    const before = await stepJobs(t, admin.organizationId);
    const contact = (
      await api().post('/api/v1/contacts', { firstName: 'Bo', lastName: 'Broken' })
    ).json<{ id: string }>();
    await t.deps.outbox.drain();
    // The failed inline attempt left nothing behind but the job of the run's first step.
    let [run] = await runsOf(id);
    expect(run?.status).toBe('running');
    expect(run?.steps).toEqual([]);
    expect(await stepJobs(t, admin.organizationId)).toBe(before + 1);
    const untagged = (await api().get(`/api/v1/contacts/${contact.id}`)).json<{ tags: string[] }>();
    expect(untagged.tags).toEqual([]);
    await settle(t);
    [run] = await runsOf(id);
    expect(run?.status).toBe('failed');
    expect(run?.steps.map((s) => [s.stepId, s.status, s.attempt])).toEqual([
      ['tag', 'succeeded', 1],
      ['task', 'failed', 1],
    ]);
    const tagged = (await api().get(`/api/v1/contacts/${contact.id}`)).json<{ tags: string[] }>();
    expect(tagged.tags).toEqual(['first']);
    const tasks = (await api().get('/api/v1/activities?type=task')).json().data as Array<{
      subject: string;
    }>;
    expect(tasks.map((a) => a.subject)).not.toContain('Never');
  });

  it('stops at its budget and hands the rest to the job queue, which finishes the run', async () => {
    const n = INLINE_STEP_BUDGET + 3;
    const steps = Array.from({ length: n }, (_, i) => ({
      id: `s${i}`,
      type: 'add_tag',
      tag: `t${i}`,
      next: i + 1 < n ? `s${i + 1}` : null,
    }));
    const id = await live({
      trigger: { type: 'record_created', object: 'contact' },
      start: 's0',
      steps,
    });
    const before = await stepJobs(t, admin.organizationId);
    await api().post('/api/v1/contacts', { firstName: 'Long', lastName: 'Run' });
    await t.deps.outbox.drain();
    let [run] = await runsOf(id);
    expect(run?.steps).toHaveLength(INLINE_STEP_BUDGET);
    expect(await stepJobs(t, admin.organizationId)).toBe(before + 1);
    await settle(t);
    [run] = await runsOf(id);
    expect(run?.status).toBe('succeeded');
    expect(run?.steps.map((s) => s.stepId)).toEqual(steps.map((s) => s.id));
  });
});
