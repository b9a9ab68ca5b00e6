import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';
import { definition, settle } from '../../../test/workflows.js';
import { withSystem } from '../../platform/db/index.js';
import { fireDateTriggers } from './index.js';

describe('time-based workflow triggers', () => {
  let t: TestApp;
  let admin: TestUser;
  const api = () => client(t.app, admin.token);
  const run = (q: string) => withSystem(t.deps.database.db, (tx) => sql.raw(q).execute(tx));

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Clock');
  });
  afterAll(() => t.close());

  async function live(draft: Record<string, unknown>): Promise<string> {
    const w = (
      await api().post('/api/v1/workflows', { name: 'Timed', draft: definition(draft) })
    ).json();
    expect((await api().post(`/api/v1/workflows/${w.id}/publish`)).statusCode).toBe(200);
    expect((await api().patch(`/api/v1/workflows/${w.id}`, { enabled: true })).statusCode).toBe(
      200,
    );
    return w.id;
  }

  it("fires on a cron schedule read in the workflow's time zone, once per fire time", async () => {
    const id = await live({
      trigger: { type: 'schedule', cron: '0 9 * * *', timezone: 'Europe/Berlin' },
      start: 'n',
      steps: [{ id: 'n', type: 'notify', userId: admin.userId, title: 'Good morning', next: null }],
    });
    const schedule = (
      await run(`select next_run_at from job_schedules where key = 'workflow:${id}'`)
    ).rows[0] as { next_run_at: Date };
    // 09:00 in Berlin is 08:00 UTC in winter and 07:00 UTC in summer.
    expect([7, 8]).toContain(schedule.next_run_at.getUTCHours());
    await run(
      `update job_schedules set next_run_at = now() - interval '1 minute' where key = 'workflow:${id}'`,
    );
    await settle(t);
    await settle(t);
    const runs = (await api().get(`/api/v1/workflow-runs?workflowId=${id}`)).json().data as Array<{
      status: string;
      triggerType: string;
    }>;
    expect(runs).toEqual([
      expect.objectContaining({ status: 'succeeded', triggerType: 'schedule' }),
    ]);
    const next = (await run(`select next_run_at from job_schedules where key = 'workflow:${id}'`))
      .rows[0] as { next_run_at: Date };
    expect(next.next_run_at.getTime()).toBeGreaterThan(Date.now());
    // Disabling removes the schedule.
    await api().patch(`/api/v1/workflows/${id}`, { enabled: false });
    expect(
      (await run(`select 1 from job_schedules where key = 'workflow:${id}'`)).rows,
    ).toHaveLength(0);
  });

  it("fires three days before a deal's expected close date, once per date", async () => {
    const pipeline = (await api().get('/api/v1/pipelines')).json().data[0] as {
      stages: Array<{ id: string; kind: string }>;
    };
    const stageId = pipeline.stages.find((s) => s.kind === 'open')?.id;
    const inThreeDays = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const later = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const soon = (
      await api().post('/api/v1/deals', {
        name: 'Closing soon',
        amount: 1000,
        currency: 'USD',
        stageId,
        expectedCloseDate: inThreeDays,
      })
    ).json();
    await api().post('/api/v1/deals', {
      name: 'Closing later',
      amount: 1000,
      currency: 'USD',
      stageId,
      expectedCloseDate: later,
    });
    const id = await live({
      trigger: {
        type: 'date_relative',
        object: 'deal',
        field: 'expectedCloseDate',
        offsetDays: -3,
      },
      start: 'tag',
      steps: [{ id: 'tag', type: 'add_tag', tag: 'closing-soon', next: null }],
    });
    // The sweep looks back to when it last ran: pretend that was two days ago.
    await run(`update workflows set date_swept_at = now() - interval '2 days' where id = '${id}'`);
    expect(await fireDateTriggers(t.deps)).toBe(1);
    await run(`update workflows set date_swept_at = now() - interval '2 days' where id = '${id}'`);
    expect(await fireDateTriggers(t.deps)).toBe(0);
    await settle(t);
    expect((await api().get(`/api/v1/deals/${soon.id}`)).json().tags).toEqual(['closing-soon']);
  });
});
