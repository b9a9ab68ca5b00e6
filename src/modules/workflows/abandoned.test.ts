import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';
import { definition, settle } from '../../../test/workflows.js';
import { withSystem } from '../../platform/db/index.js';
import { LEASE_EXPIRED_ERROR } from '../../platform/jobs/index.js';

describe('a run whose worker died during the last attempt of a step', () => {
  let t: TestApp;
  let admin: TestUser;
  const api = () => client(t.app, admin.token);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Abandoned');
  });
  afterAll(() => t.close());

  it('fails with the reason and tells the owner, instead of staying "running" behind a dead job', async () => {
    const created = await api().post('/api/v1/workflows', {
      name: 'Fragile',
      draft: definition({
        trigger: { type: 'record_created', object: 'contact' },
        // A webhook step always goes to the job queue (database steps run inline with the event).
        start: 'hook',
        steps: [
          {
            id: 'hook',
            type: 'call_webhook',
            url: 'https://hooks.example.com/fragile',
            retry: { maxAttempts: 1 },
            next: 'tag',
          },
          { id: 'tag', type: 'add_tag', tag: 'seen', next: null },
        ],
      }),
    });
    const id = String(created.json().id);
    expect((await api().post(`/api/v1/workflows/${id}/publish`)).statusCode).toBe(200);
    expect((await api().patch(`/api/v1/workflows/${id}`, { enabled: true })).statusCode).toBe(200);
    expect(
      (await api().post('/api/v1/contacts', { firstName: 'Fragile', lastName: 'Run' })).statusCode,
    ).toBe(201);
    // The run starts; its step's only attempt is taken by a worker that then vanishes: claimed, lease already over.
    await t.deps.outbox.drain();
    await withSystem(t.deps.database.db, (tx) =>
      sql`update jobs set status = 'running', attempts = 1, lease_id = gen_random_uuid(), leased_until = now() - interval '1 second', started_at = now()
          where name = 'workflow.advance' and status = 'pending'`.execute(tx),
    );
    await settle(t);
    const runs = (await api().get(`/api/v1/workflow-runs?workflowId=${id}`)).json().data as Array<{
      status: string;
      error: string | null;
    }>;
    expect(runs).toEqual([
      expect.objectContaining({ status: 'failed', error: LEASE_EXPIRED_ERROR }),
    ]);
    const jobs = (await api().get('/api/v1/jobs?filter[status]=failed')).json().data as Array<{
      name: string;
      lastError: string | null;
    }>;
    expect(jobs).toEqual([
      expect.objectContaining({ name: 'workflow.advance', lastError: LEASE_EXPIRED_ERROR }),
    ]);
    const notes = (await api().get('/api/v1/notifications')).json().data as Array<{
      title: string;
    }>;
    expect(notes.some((n) => n.title === 'Workflow "Fragile" failed')).toBe(true);
    const contact = (
      (await api().get('/api/v1/contacts')).json().data as Array<{ tags: string[] }>
    )[0];
    expect(contact?.tags).toEqual([]);
  });
});
