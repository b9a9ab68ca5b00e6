import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';
import { settle } from '../../../test/workflows.js';
import { seedDemoWorkflowRuns, seedDemoWorkflows } from './index.js';

describe('workflows demo seed', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'DemoFlows');
    await seedDemoWorkflows(t.deps, admin.organizationId, admin.userId);
    await seedDemoWorkflowRuns(t.deps, admin.organizationId, admin.userId);
    await settle(t);
  });
  afterAll(() => t.close());

  it('welcomes the demo leads with a call task and an email', async () => {
    const api = client(t.app, admin.token);
    const runs = (await api.get('/api/v1/workflow-runs')).json().data as Array<{ status: string }>;
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    const tasks = (await api.get('/api/v1/activities?filter[type]=task')).json().data as Array<{
      subject: string;
      assigneeId: string;
    }>;
    expect(tasks.map((x) => x.subject).sort()).toEqual([
      'Call Ada Byron (Analytical Engines)',
      'Call Alan Turing (Bletchley Labs)',
    ]);
    expect(tasks.every((x) => x.assigneeId === admin.userId)).toBe(true);
    const mail = (await api.get('/api/v1/mailbox')).json().data as Array<{
      to: string;
      subject: string;
    }>;
    expect(
      mail
        .filter((m) => m.subject.startsWith('Thanks for your interest'))
        .map((m) => m.to)
        .sort(),
    ).toEqual(['ada.byron@analytical.example', 'alan@bletchley.example']);
  });

  it('tags a big deal that changes stage and tells its owner; a small one is left alone', async () => {
    const api = client(t.app, admin.token);
    const pipeline = (await api.get('/api/v1/pipelines')).json().data[0] as {
      id: string;
      stages: Array<{ id: string; kind: string }>;
    };
    const open = pipeline.stages.filter((s) => s.kind === 'open');
    const big = (
      await api.post('/api/v1/deals', {
        name: 'Big one',
        amount: 2_500_000,
        currency: 'USD',
        stageId: open[0]?.id,
        ownerId: admin.userId,
      })
    ).json();
    const small = (
      await api.post('/api/v1/deals', {
        name: 'Small one',
        amount: 10_000,
        currency: 'USD',
        stageId: open[0]?.id,
        ownerId: admin.userId,
      })
    ).json();
    for (const d of [big, small])
      expect((await api.patch(`/api/v1/deals/${d.id}`, { stageId: open[1]?.id })).statusCode).toBe(
        200,
      );
    await settle(t);
    expect((await api.get(`/api/v1/deals/${big.id}`)).json().tags).toEqual(['big-deal']);
    expect((await api.get(`/api/v1/deals/${small.id}`)).json().tags).toEqual([]);
    const notes = (await api.get('/api/v1/notifications')).json().data as Array<{ title: string }>;
    expect(notes.map((n) => n.title)).toContain('Big one moved on');
  });
});
