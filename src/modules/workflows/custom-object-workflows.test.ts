import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { definition, settle } from '../../../test/workflows.js';

/** An admin's object as a workflow trigger and target, like any built-in one. */
describe('workflows on custom objects', () => {
  let t: TestApp;
  let admin: TestUser;
  const api = () => client(t.app, admin.token);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Builders');
    const defined = await api().post('/api/v1/objects', {
      key: 'project',
      labels: { singular: 'Project', plural: 'Projects' },
      fields: [
        { key: 'budget', label: 'Budget', type: 'number' },
        { key: 'stage', label: 'Stage', type: 'select', options: { choices: ['plan', 'build'] } },
      ],
    });
    expect(defined.statusCode, defined.body).toBe(201);
  });
  afterAll(() => t.close());

  async function live(name: string, draft: Record<string, unknown>): Promise<{ id: string }> {
    const created = await api().post('/api/v1/workflows', { name, draft: definition(draft) });
    expect(created.statusCode, created.body).toBe(201);
    const published = await api().post(`/api/v1/workflows/${created.json().id}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    const enabled = await api().patch(`/api/v1/workflows/${created.json().id}`, { enabled: true });
    expect(enabled.statusCode, enabled.body).toBe(200);
    return enabled.json();
  }

  it('starts on a record created with a condition, updates it and creates a record of the object', async () => {
    const w = await live('Big projects start building', {
      trigger: { type: 'record_created', object: 'project' },
      conditions: { match: 'all', rules: [{ field: 'budget', op: 'gte', value: 10000 }] },
      start: 'build',
      steps: [
        { id: 'build', type: 'update_record', values: { stage: 'build' }, next: 'review' },
        {
          id: 'review',
          type: 'create_record',
          object: 'project',
          values: { name: 'Review of {{project.name}}', budget: 0 },
          next: null,
        },
      ],
    });
    const big = (await api().post('/api/v1/projects', { name: 'Bridge', budget: 50000 })).json<{
      id: string;
    }>();
    await api().post('/api/v1/projects', { name: 'Shed', budget: 500 });
    await settle(t);
    const runs = (await api().get(`/api/v1/workflow-runs?workflowId=${w.id}`)).json<{
      data: Array<{ id: string; status: string; recordId: string }>;
    }>().data;
    expect(runs.map((r) => [r.status, r.recordId])).toEqual([['succeeded', big.id]]);
    const bridge = (await api().get(`/api/v1/projects/${big.id}`)).json<{ stage: string }>();
    expect(bridge.stage).toBe('build');
    const review = (await api().get('/api/v1/projects?filter[name]=Review of Bridge')).json<{
      data: Array<{ budget: number }>;
    }>().data;
    expect(review).toEqual([expect.objectContaining({ budget: 0 })]);
  });

  it('refuses a draft on an object the organization does not have, and publishing one whose object was removed', async () => {
    const draft = (object: string) =>
      definition({
        trigger: { type: 'record_created', object },
        start: 'tag',
        steps: [{ id: 'tag', type: 'update_record', values: { name: 'x' }, next: null }],
      });
    const unknown = await api().post('/api/v1/workflows', {
      name: 'Nowhere',
      draft: draft('spaceship'),
    });
    expect(unknown.statusCode).toBe(400);
    expect(errorOf(unknown).details).toEqual([
      expect.objectContaining({ path: 'draft.trigger.object' }),
    ]);
    await api().post('/api/v1/objects', {
      key: 'shortlived',
      labels: { singular: 'Short', plural: 'Shorts' },
    });
    const saved = await api().post('/api/v1/workflows', {
      name: 'Soon gone',
      draft: draft('shortlived'),
    });
    expect(saved.statusCode, saved.body).toBe(201);
    expect((await api().delete('/api/v1/objects/shortlived')).statusCode).toBe(204);
    const published = await api().post(`/api/v1/workflows/${saved.json().id}/publish`);
    expect(published.statusCode).toBe(422);
    expect(errorOf(published).details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'draft.trigger.object' })]),
    );
  });

  it("takes a custom object's key as a placeholder root, and still refuses an unknown one", async () => {
    const draft = (subject: string) =>
      definition({
        trigger: { type: 'record_created', object: 'contact' },
        start: 'task',
        steps: [{ id: 'task', type: 'create_task', subject, next: null }],
      });
    const known = await api().post('/api/v1/workflows', {
      name: 'Project roots',
      draft: draft('Plan {{project.name}} for {{contact.firstName}}'),
    });
    expect(known.statusCode, known.body).toBe(201);
    const published = await api().post(`/api/v1/workflows/${known.json().id}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    const unknown = await api().post('/api/v1/workflows', {
      name: 'Rocket roots',
      draft: draft('Launch {{rocket.name}}'),
    });
    const refused = await api().post(`/api/v1/workflows/${unknown.json().id}/publish`);
    expect(refused.statusCode).toBe(422);
    const problem = errorOf(refused).details?.find((d) => d.path === 'draft.steps.0.subject');
    expect(problem?.message).toMatch(/"rocket" is unknown/);
    expect(problem?.message).toMatch(/\bproject\b/);
  });

  it("fills in the records a custom object's relation fields point at, for {{company.name}}", async () => {
    const defined = await api().post('/api/v1/objects', {
      key: 'site',
      labels: { singular: 'Site', plural: 'Sites' },
      fields: [
        { key: 'client', label: 'Client', type: 'relation', options: { objectType: 'company' } },
      ],
    });
    expect(defined.statusCode, defined.body).toBe(201);
    await live('Sites are named after their client', {
      trigger: { type: 'record_created', object: 'site' },
      start: 'rename',
      steps: [
        {
          id: 'rename',
          type: 'update_record',
          values: { name: '{{company.name}} HQ' },
          next: 'visit',
        },
        { id: 'visit', type: 'create_task', subject: 'Visit {{record.name}}', next: null },
      ],
    });
    const company = (await api().post('/api/v1/companies', { name: 'Globex' })).json<{
      id: string;
    }>();
    const site = (await api().post('/api/v1/sites', { name: 'tbd', client: company.id })).json<{
      id: string;
    }>();
    await settle(t);
    expect((await api().get(`/api/v1/sites/${site.id}`)).json<{ name: string }>().name).toBe(
      'Globex HQ',
    );
    // The run's task is linked to the site, so it shows on the site's timeline.
    const tasks = (await api().get(`/api/v1/activities?filter[linkedTo]=site:${site.id}`)).json<{
      data: Array<{ subject: string; links: unknown[] }>;
    }>().data;
    expect(tasks.map((a) => [a.subject, a.links])).toEqual([
      ['Visit Globex HQ', [{ objectType: 'site', recordId: site.id }]],
    ]);
  });
});
