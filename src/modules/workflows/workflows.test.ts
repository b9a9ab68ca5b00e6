import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { definition } from '../../../test/workflows.js';

const leadTask = definition({
  trigger: { type: 'record_created', object: 'lead' },
  start: 'a',
  steps: [{ id: 'a', type: 'create_task', subject: 'Call {{lead.firstName}}', next: null }],
});

describe('workflow definitions', () => {
  let t: TestApp;
  let admin: TestUser;
  let other: TestUser;
  let rep: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Flows');
    other = await registerOrganization(t.app, 'Elsewhere');
    rep = await addUser(t.app, admin, 'sales_rep');
  });
  afterAll(async () => t.close());

  const api = () => client(t.app, admin.token);

  it('creates a draft, publishes it as version 1 and keeps editing separate from the published version', async () => {
    const created = await api().post('/api/v1/workflows', {
      name: 'Lead follow-up',
      draft: leadTask,
    });
    expect(created.statusCode, created.body).toBe(201);
    const w = created.json();
    expect(w).toMatchObject({
      enabled: false,
      publishedVersion: null,
      hasUnpublishedChanges: true,
      triggerKey: null,
    });
    const published = await api().post(`/api/v1/workflows/${w.id}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({
      publishedVersion: 1,
      hasUnpublishedChanges: false,
      triggerKey: 'lead.created',
    });
    const edited = await api().patch(
      `/api/v1/workflows/${w.id}`,
      {
        draft: {
          ...leadTask,
          steps: [
            { id: 'a', type: 'create_task', subject: 'Email {{lead.firstName}}', next: null },
          ],
        },
      },
      { 'if-match': String(published.json().version) },
    );
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ publishedVersion: 1, hasUnpublishedChanges: true });
    const stale = await api().patch(
      `/api/v1/workflows/${w.id}`,
      { name: 'x' },
      { 'if-match': String(published.json().version) },
    );
    expect(stale.statusCode).toBe(412);
    await api().post(`/api/v1/workflows/${w.id}/publish`);
    const versions = (await api().get(`/api/v1/workflows/${w.id}/versions`)).json().data as Array<{
      version: number;
      definition: { steps: Array<{ subject: string }> };
    }>;
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions[1]?.definition.steps[0]?.subject).toBe('Call {{lead.firstName}}');
  });

  it('answers 400 naming the field of a malformed definition', async () => {
    const res = await api().post('/api/v1/workflows', {
      name: 'Bad',
      draft: definition({
        trigger: { type: 'record_created', object: 'planet' },
        start: null,
        steps: [],
      }),
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).details?.map((d) => d.path)).toContain('draft.trigger.object');
    const noName = await api().post('/api/v1/workflows', { name: '' });
    expect(errorOf(noName).details?.[0]?.path).toBe('name');
  });

  it('refuses to publish an incomplete graph with 422 naming each problem', async () => {
    const w = (
      await api().post('/api/v1/workflows', {
        name: 'Broken',
        draft: definition({
          trigger: { type: 'schedule', cron: '0 9 * * 1', timezone: 'Europe/Berlin' },
          start: 'a',
          steps: [
            { id: 'a', type: 'add_tag', tag: 'x', next: 'missing' },
            {
              id: 'b',
              type: 'send_email',
              subject: 'Hi {{contact.firstName}',
              body: 'Hello {{planet.name}}',
              next: null,
            },
            { id: 'c', type: 'wait', next: null },
          ],
        }),
      })
    ).json();
    const res = await api().post(`/api/v1/workflows/${w.id}/publish`);
    expect(res.statusCode).toBe(422);
    const paths = errorOf(res).details?.map((d) => d.path) ?? [];
    expect(paths).toEqual(
      expect.arrayContaining([
        'draft.steps.0.next',
        'draft.steps.0.type',
        'draft.steps.1.body',
        'draft.steps.2.duration',
      ]),
    );
    expect(errorOf(res).code).toBe('WORKFLOW_DEFINITION_INVALID');
    const enable = await api().patch(`/api/v1/workflows/${w.id}`, { enabled: true });
    expect(enable.statusCode).toBe(422);
    expect(errorOf(enable).code).toBe('WORKFLOW_NOT_PUBLISHED');
  });

  it("refuses a webhook body that can never render to JSON, naming the step's body", async () => {
    const hook = (id: string, body: string, next: string | null) => ({
      id,
      type: 'call_webhook',
      url: 'https://example.com/hook',
      body,
      next,
    });
    const w = (
      await api().post('/api/v1/workflows', {
        name: 'Bad body',
        draft: definition({
          trigger: { type: 'record_created', object: 'lead' },
          start: 'ok',
          steps: [
            hook('ok', '{"lead": {{lead.id}}, "tags": {{lead.tags}}}', 'comma'),
            hook('comma', '{"lead": {{lead.id}}, }', 'quoted'),
            hook('quoted', '{"lead": "{{lead.id}}"}', 'key'),
            hook('key', '{ {{lead.id}}: 1 }', null),
          ],
        }),
      })
    ).json();
    const res = await api().post(`/api/v1/workflows/${w.id}/publish`);
    expect(res.statusCode).toBe(422);
    const details = errorOf(res).details ?? [];
    expect(details.map((d) => d.path)).toEqual([
      'draft.steps.1.body',
      'draft.steps.2.body',
      'draft.steps.3.body',
    ]);
    expect(details[0]?.message).toMatch(/not valid JSON/);
    const fixed = await api().patch(`/api/v1/workflows/${w.id}`, {
      draft: definition({
        trigger: { type: 'record_created', object: 'lead' },
        start: 'ok',
        steps: [hook('ok', '{"lead": {{lead.id}}, "note": "id {{lead.id}}" }', null)],
      }),
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    // A placeholder inside quotes breaks the JSON whatever it holds, so even this is refused.
    expect(
      errorOf(await api().post(`/api/v1/workflows/${w.id}/publish`)).details?.map((d) => d.path),
    ).toEqual(['draft.steps.0.body']);
  });

  it('names unreachable steps together with every other problem', async () => {
    const w = (
      await api().post('/api/v1/workflows', {
        name: 'Islands',
        draft: definition({
          trigger: { type: 'record_created', object: 'contact' },
          start: 'a',
          steps: [
            { id: 'a', type: 'add_tag', tag: 'x', next: 'gone' },
            { id: 'b', type: 'update_record', values: {}, next: null },
            { id: 'c', name: 'Lonely', type: 'remove_tag', tag: 'x', next: 'c' },
          ],
        }),
      })
    ).json();
    const res = await api().post(`/api/v1/workflows/${w.id}/publish`);
    expect(res.statusCode).toBe(422);
    const details = errorOf(res).details ?? [];
    expect(details.map((d) => d.path).sort()).toEqual([
      'draft.steps.0.next',
      'draft.steps.1',
      'draft.steps.1.values',
      'draft.steps.2',
      'draft.steps.2.next',
    ]);
    expect(details.find((d) => d.path === 'draft.steps.2')?.message).toBe(
      '"Lonely" cannot be reached from the first step',
    );
  });

  it('names the very rule of a nested condition group that needs a list, in entry conditions and branches', async () => {
    const group = {
      match: 'any',
      rules: [
        { field: 'status', op: 'eq', value: 'new' },
        { field: 'source', op: 'in', value: 'web' },
      ],
    };
    const w = (
      await api().post('/api/v1/workflows', {
        name: 'Nested',
        draft: definition({
          trigger: { type: 'record_created', object: 'lead' },
          conditions: { match: 'all', rules: [{ field: 'email', op: 'isNotEmpty' }, group] },
          start: 'b',
          steps: [
            {
              id: 'b',
              type: 'branch',
              condition: { match: 'all', rules: [group] },
              then: null,
              else: null,
            },
          ],
        }),
      })
    ).json();
    const res = await api().post(`/api/v1/workflows/${w.id}/publish`);
    expect(res.statusCode).toBe(422);
    const inList = (errorOf(res).details ?? [])
      .filter((d) => d.message.includes('list for "in"'))
      .map((d) => d.path);
    expect(inList).toEqual([
      'draft.conditions.rules.1.rules.1.value',
      'draft.steps.0.condition.rules.0.rules.1.value',
    ]);
  });

  it('refuses a loop in the graph', async () => {
    const w = (
      await api().post('/api/v1/workflows', {
        name: 'Loop',
        draft: definition({
          trigger: { type: 'record_created', object: 'contact' },
          start: 'a',
          steps: [
            { id: 'a', type: 'add_tag', tag: 'x', next: 'b' },
            { id: 'b', type: 'remove_tag', tag: 'x', next: 'a' },
          ],
        }),
      })
    ).json();
    const res = await api().post(`/api/v1/workflows/${w.id}/publish`);
    expect(res.statusCode).toBe(422);
    expect(errorOf(res).message).toMatch(/loop/);
  });

  it('needs a token, the permission, and hides other organizations', async () => {
    const w = (await api().post('/api/v1/workflows', { name: 'Mine', draft: leadTask })).json();
    expect((await client(t.app).get('/api/v1/workflows')).statusCode).toBe(401);
    expect((await client(t.app, rep.token).get('/api/v1/workflows')).statusCode).toBe(403);
    expect(
      (await client(t.app, rep.token).post('/api/v1/workflows', { name: 'x' })).statusCode,
    ).toBe(403);
    expect((await client(t.app, other.token).get(`/api/v1/workflows/${w.id}`)).statusCode).toBe(
      404,
    );
    expect(
      (await client(t.app, other.token).post(`/api/v1/workflows/${w.id}/publish`)).statusCode,
    ).toBe(404);
    expect((await client(t.app, other.token).delete(`/api/v1/workflows/${w.id}`)).statusCode).toBe(
      404,
    );
    const list = (await client(t.app, other.token).get('/api/v1/workflows')).json()
      .data as unknown[];
    expect(list).toHaveLength(0);
  });

  it('deletes a workflow, which then answers 404 and stops listing', async () => {
    const w = (await api().post('/api/v1/workflows', { name: 'Gone', draft: leadTask })).json();
    expect((await api().delete(`/api/v1/workflows/${w.id}`)).statusCode).toBe(204);
    expect((await api().get(`/api/v1/workflows/${w.id}`)).statusCode).toBe(404);
    const ids = ((await api().get('/api/v1/workflows')).json().data as Array<{ id: string }>).map(
      (x) => x.id,
    );
    expect(ids).not.toContain(w.id);
  });

  it("validates a schedule's cron and time zone before publishing", async () => {
    const w = (
      await api().post('/api/v1/workflows', {
        name: 'Weekly',
        draft: definition({
          trigger: { type: 'schedule', cron: '0 9 * * 1', timezone: 'Mars/Olympus' },
          start: 'n',
          steps: [{ id: 'n', type: 'notify', userId: admin.userId, title: 'Monday', next: null }],
        }),
      })
    ).json();
    const published = await api().post(`/api/v1/workflows/${w.id}/publish`);
    expect(published.statusCode).toBe(422);
    expect(errorOf(published).details?.map((d) => d.path)).toContain('draft.trigger.timezone');
  });
});
