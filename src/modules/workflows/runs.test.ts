import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { startReceiver, type Receiver } from '../../../test/webhook-receiver.js';
import { definition, settle } from '../../../test/workflows.js';
import { advanceRun } from './index.js';

interface Run {
  id: string;
  status: string;
  stopReason: string | null;
  error: string | null;
  depth: number;
  steps: Array<{
    stepId: string;
    status: string;
    attempt: number;
    input: Record<string, unknown>;
    output: Record<string, unknown> | null;
    error: string | null;
  }>;
}

describe('workflow runs', () => {
  let t: TestApp;
  let admin: TestUser;
  let other: TestUser;
  let receiver: Receiver;
  const api = () => client(t.app, admin.token);

  beforeAll(async () => {
    t = await createTestApp({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
    admin = await registerOrganization(t.app, 'Runs');
    other = await registerOrganization(t.app, 'Other');
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });
  afterEach(async () => {
    for (const w of (await api().get('/api/v1/workflows')).json().data as Array<{ id: string }>)
      await api().delete(`/api/v1/workflows/${w.id}`);
    receiver.respond(() => ({ status: 200, body: 'ok' }));
    receiver.requests.length = 0;
  });

  /** Creates, publishes and enables a workflow; answers it. */
  async function live(
    name: string,
    draft: Record<string, unknown>,
    as = api(),
  ): Promise<{ id: string; signingSecret: string; inboundUrl: string | null }> {
    const created = await as.post('/api/v1/workflows', { name, draft: definition(draft) });
    expect(created.statusCode, created.body).toBe(201);
    const published = await as.post(`/api/v1/workflows/${created.json().id}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    const enabled = await as.patch(`/api/v1/workflows/${created.json().id}`, { enabled: true });
    expect(enabled.statusCode, enabled.body).toBe(200);
    return enabled.json();
  }
  const runsOf = async (workflowId: string): Promise<Run[]> => {
    const list = (await api().get(`/api/v1/workflow-runs?workflowId=${workflowId}`)).json()
      .data as Array<{ id: string }>;
    return Promise.all(
      list.map(async (r) => (await api().get(`/api/v1/workflow-runs/${r.id}`)).json<Run>()),
    );
  };

  it('creates a task and sends an email for each new lead, exactly once', async () => {
    const w = await live('Welcome', {
      trigger: { type: 'record_created', object: 'lead' },
      conditions: { match: 'all', rules: [{ field: 'email', op: 'isNotEmpty' }] },
      start: 'task',
      steps: [
        {
          id: 'task',
          type: 'create_task',
          subject: 'Call {{lead.firstName}} <{{lead.email}}>',
          dueInDays: 2,
          next: 'mail',
        },
        {
          id: 'mail',
          type: 'send_email',
          subject: 'Hello {{lead.firstName}}',
          body: 'Dear {{lead.firstName}} & co',
          next: null,
        },
      ],
    });
    const emails = ['ada@example.com', 'grace@example.com'];
    for (const [i, email] of emails.entries())
      expect(
        (await api().post('/api/v1/leads', { firstName: `<b>L${i}</b>`, email })).statusCode,
      ).toBe(201);
    expect((await api().post('/api/v1/leads', { firstName: 'NoMail' })).statusCode).toBe(201);
    await settle(t);
    const runs = await runsOf(w.id);
    expect(runs).toHaveLength(2);
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    const tasks = (await api().get('/api/v1/activities?filter[type]=task&limit=50')).json()
      .data as Array<{
      subject: string;
      leadId: string | null;
      dueAt: string | null;
      assigneeId: string | null;
    }>;
    const mine = tasks.filter((x) => x.subject.startsWith('Call '));
    expect(mine.map((x) => x.subject).sort()).toEqual([
      'Call <b>L0</b> <ada@example.com>',
      'Call <b>L1</b> <grace@example.com>',
    ]);
    expect(mine.every((x) => x.leadId !== null && x.dueAt !== null)).toBe(true);
    const inbox = (await api().get('/api/v1/mailbox')).json().data as Array<{
      id: string;
      to: string;
      subject: string;
    }>;
    const sent = inbox.filter((m) => m.subject.startsWith('Hello '));
    expect(sent.map((m) => m.to).sort()).toEqual(emails);
    const html = (await api().get(`/api/v1/mailbox/${sent[0]?.id ?? ''}`)).json().html as string;
    // Values inserted into the HTML part are escaped; the template's own text is too.
    expect(html).toContain('&lt;b&gt;L');
    expect(html).toContain('&amp; co');
    // A duplicate job for a finished step changes nothing.
    const first = runs[0];
    await advanceRun(t.deps, {
      id: 'dup',
      organizationId: admin.organizationId,
      name: 'workflow.advance',
      payload: { runId: first?.id, seq: 0 },
      attempt: 1,
      maxAttempts: 3,
      complete: async () => undefined,
    });
    const again = (await api().get('/api/v1/activities?filter[type]=task&limit=50')).json()
      .data as unknown[];
    expect(again).toHaveLength(tasks.length);
  });

  it('stops a workflow that keeps triggering itself, with the reason, and tells its owner', async () => {
    const w = await live('Echo', {
      trigger: { type: 'record_updated', object: 'contact', fields: ['title'] },
      start: 'bump',
      steps: [
        { id: 'bump', type: 'update_record', values: { title: '{{contact.title}}+' }, next: null },
      ],
    });
    const contact = (
      await api().post('/api/v1/contacts', { firstName: 'Loop', lastName: 'Er', title: 'a' })
    ).json();
    expect((await api().patch(`/api/v1/contacts/${contact.id}`, { title: 'b' })).statusCode).toBe(
      200,
    );
    await settle(t);
    const runs = await runsOf(w.id);
    const stopped = runs.filter((r) => r.status === 'stopped');
    expect(stopped).toHaveLength(1);
    expect(stopped[0]?.stopReason).toMatch(/Loop guard/);
    expect(runs.filter((r) => r.status === 'succeeded')).toHaveLength(5);
    expect((await api().get(`/api/v1/contacts/${contact.id}`)).json().title).toBe('b+++++');
    const notes = (await api().get('/api/v1/notifications')).json().data as Array<{
      title: string;
    }>;
    expect(notes.some((n) => n.title === 'Workflow "Echo" was stopped')).toBe(true);
  });

  it("calls a webhook signed with the workflow's secret and retries after a 500", async () => {
    receiver.respond((_req, n) =>
      n === 0 ? { status: 500, body: 'busy' } : { status: 200, body: 'thanks' },
    );
    const w = await live('Hook', {
      trigger: { type: 'record_created', object: 'company' },
      start: 'call',
      steps: [
        {
          id: 'call',
          type: 'call_webhook',
          url: receiver.url,
          body: '{"company": {{company.name}}, "n": 1}',
          next: null,
        },
      ],
    });
    expect((await api().post('/api/v1/companies', { name: 'Acme "Rockets"' })).statusCode).toBe(
      201,
    );
    await settle(t, { dueNow: true });
    expect(receiver.requests).toHaveLength(2);
    const req = receiver.requests[1];
    expect(JSON.parse(req?.body ?? '{}')).toEqual({ company: 'Acme "Rockets"', n: 1 });
    const sig = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req?.headers['x-cerebro-signature']));
    expect(sig?.[2]).toBe(
      createHmac('sha256', w.signingSecret)
        .update(`${sig?.[1] ?? ''}.${req?.body ?? ''}`)
        .digest('hex'),
    );
    // Both attempts carry the same idempotency key, so the receiver can drop a duplicate.
    expect(req?.headers['idempotency-key']).toBe(receiver.requests[0]?.headers['idempotency-key']);
    const [run] = await runsOf(w.id);
    expect(run?.status).toBe('succeeded');
    expect(run?.steps.map((s) => `${s.status}:${s.attempt}`)).toEqual([
      'retrying:1',
      'succeeded:2',
    ]);
    expect(run?.steps[0]?.error).toMatch(/500/);
  });

  it('fails a run whose webhook points at a private address, and tells the owner', async () => {
    const w = await live('Private', {
      trigger: { type: 'record_created', object: 'company' },
      start: 'call',
      steps: [{ id: 'call', type: 'call_webhook', url: 'http://10.0.0.1/hook', next: null }],
    });
    expect((await api().post('/api/v1/companies', { name: 'Inside' })).statusCode).toBe(201);
    await settle(t);
    const [run] = await runsOf(w.id);
    expect(run?.status).toBe('failed');
    expect(run?.error).toMatch(/refused/);
    expect(run?.steps).toHaveLength(1);
    const notes = (await api().get('/api/v1/notifications')).json().data as Array<{
      title: string;
    }>;
    expect(notes.some((n) => n.title === 'Workflow "Private" failed')).toBe(true);
  });

  it('branches on the record, waits, and follows the branch that matches', async () => {
    const w = await live('Branchy', {
      trigger: { type: 'record_created', object: 'contact' },
      start: 'wait',
      steps: [
        { id: 'wait', type: 'wait', duration: { amount: 1, unit: 'days' }, next: 'vip' },
        {
          id: 'vip',
          type: 'branch',
          condition: {
            match: 'any',
            rules: [
              { field: 'tags', op: 'contains', value: 'vip' },
              { match: 'all', rules: [{ field: 'title', op: 'eq', value: 'CEO' }] },
            ],
          },
          then: 'gold',
          else: 'plain',
        },
        { id: 'gold', type: 'add_tag', tag: 'gold', next: null },
        { id: 'plain', type: 'add_tag', tag: 'plain', next: null },
      ],
    });
    const boss = (await api().post('/api/v1/contacts', { firstName: 'Big', title: 'ceo' })).json();
    const dev = (await api().post('/api/v1/contacts', { firstName: 'Small', title: 'dev' })).json();
    await settle(t);
    const asleep = await runsOf(w.id);
    expect(asleep.map((r) => r.status)).toEqual(['waiting', 'waiting']);
    expect(asleep.map((r) => r.steps.map((s) => `${s.stepId}:${s.status}`))).toEqual([
      ['wait:waiting'],
      ['wait:waiting'],
    ]);
    await settle(t, { dueNow: true });
    expect((await api().get(`/api/v1/contacts/${boss.id}`)).json().tags).toEqual(['gold']);
    expect((await api().get(`/api/v1/contacts/${dev.id}`)).json().tags).toEqual(['plain']);
    // The wait is over: its log row says so, not `waiting` in a finished run.
    const done = await runsOf(w.id);
    expect(done.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    for (const run of done)
      expect(run.steps.map((s) => `${s.stepId}:${s.status}`)).toEqual([
        'wait:succeeded',
        'vip:succeeded',
        expect.stringMatching(/^(gold|plain):succeeded$/),
      ]);
  });

  it('marks a wait done when the step after it fails, and a wait that ends the run as succeeded', async () => {
    const w = await live('Wait then fail', {
      trigger: { type: 'record_created', object: 'company' },
      start: 'wait',
      steps: [
        { id: 'wait', type: 'wait', duration: { amount: 2, unit: 'hours' }, next: 'call' },
        { id: 'call', type: 'call_webhook', url: 'http://10.0.0.1/hook', next: 'rest' },
        { id: 'rest', type: 'wait', duration: { amount: 1, unit: 'days' }, next: null },
      ],
    });
    const tail = await live('Wait last', {
      trigger: { type: 'record_created', object: 'company' },
      start: 'rest',
      steps: [{ id: 'rest', type: 'wait', duration: { amount: 1, unit: 'days' }, next: null }],
    });
    expect((await api().post('/api/v1/companies', { name: 'Sleepy' })).statusCode).toBe(201);
    await settle(t, { dueNow: true });
    const [failed] = await runsOf(w.id);
    expect(failed?.status).toBe('failed');
    expect(failed?.steps.map((s) => `${s.stepId}:${s.status}`)).toEqual([
      'wait:succeeded',
      'call:failed',
    ]);
    const [ended] = await runsOf(tail.id);
    expect(ended?.status).toBe('succeeded');
    expect(ended?.steps.map((s) => `${s.stepId}:${s.status}`)).toEqual(['rest:succeeded']);
  });

  it('test-runs a draft on a record without changing anything', async () => {
    const contact = (
      await api().post('/api/v1/contacts', {
        firstName: 'Try',
        emails: [{ email: 'try@example.com', primary: true }],
      })
    ).json();
    const w = (
      await api().post('/api/v1/workflows', {
        name: 'Dry',
        draft: definition({
          trigger: { type: 'manual', object: 'contact' },
          start: 'a',
          steps: [
            { id: 'a', type: 'create_task', subject: 'Ring {{contact.firstName}}', next: 'b' },
            {
              id: 'b',
              type: 'send_email',
              subject: 'Hi {{contact.firstName}}',
              body: 'x',
              next: 'c',
            },
            { id: 'c', type: 'update_record', values: { status: 'PLANET' }, next: null },
          ],
        }),
      })
    ).json();
    const res = await api().post(`/api/v1/workflows/${w.id}/test`, { recordId: contact.id });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.steps.map((s: { summary: string }) => s.summary)).toEqual([
      'Create a task "Ring Try" for its assignee',
      'Send "Hi Try" to try@example.com',
      'Update the contact: status',
    ]);
    expect(body.steps[2].problems[0].path).toBe('values.status');
    const tasks = (await api().get('/api/v1/activities?filter[type]=task&limit=200')).json()
      .data as Array<{ subject: string }>;
    expect(tasks.some((x) => x.subject === 'Ring Try')).toBe(false);
    expect(errorOf(await api().post(`/api/v1/workflows/${w.id}/test`, {})).details?.[0]?.path).toBe(
      'recordId',
    );
  });

  it("runs a manual workflow on a record, never on another organization's", async () => {
    const w = await live('Button', {
      trigger: { type: 'manual', object: 'contact' },
      start: 'a',
      steps: [{ id: 'a', type: 'add_tag', tag: 'pressed', next: null }],
    });
    const contact = (await api().post('/api/v1/contacts', { firstName: 'Press' })).json();
    const foreign = (
      await client(t.app, other.token).post('/api/v1/contacts', { firstName: 'Theirs' })
    ).json();
    const res = await api().post(`/api/v1/workflows/${w.id}/run`, { recordId: contact.id });
    expect(res.statusCode, res.body).toBe(202);
    expect(
      (await api().post(`/api/v1/workflows/${w.id}/run`, { recordId: foreign.id })).statusCode,
    ).toBe(404);
    expect(
      (
        await client(t.app, other.token).post(`/api/v1/workflows/${w.id}/run`, {
          recordId: foreign.id,
        })
      ).statusCode,
    ).toBe(404);
    expect(
      errorOf(await api().post(`/api/v1/workflows/${w.id}/run`, { recordId: 'nope' })).details?.[0]
        ?.path,
    ).toBe('recordId');
    await settle(t);
    expect((await api().get(`/api/v1/contacts/${contact.id}`)).json().tags).toEqual(['pressed']);
    expect(
      (await client(t.app, other.token).get(`/api/v1/workflow-runs/${res.json().runId}`))
        .statusCode,
    ).toBe(404);
  });

  it('starts an inbound-webhook workflow only with the right secret, once per Idempotency-Key', async () => {
    const w = await live('Inbound', {
      trigger: { type: 'inbound_webhook' },
      start: 'make',
      steps: [
        {
          id: 'make',
          type: 'create_record',
          object: 'contact',
          values: { firstName: '{{webhook.body.first}}', lastName: 'Hooked' },
          next: null,
        },
      ],
    });
    const url = new URL(w.inboundUrl ?? '');
    const path = url.pathname;
    expect(
      (
        await client(t.app).post(`${path.slice(0, path.lastIndexOf('/'))}/wrong-token-123`, {
          first: 'X',
        })
      ).statusCode,
    ).toBe(404);
    const ok = await client(t.app).post(path, { first: 'Hedy' }, { 'idempotency-key': 'abc-1' });
    expect(ok.statusCode, ok.body).toBe(202);
    expect(
      (await client(t.app).post(path, { first: 'Hedy' }, { 'idempotency-key': 'abc-1' })).json()
        .status,
    ).toBe('skipped');
    await settle(t);
    const found = (await api().get('/api/v1/contacts?q=Hooked')).json().data as Array<{
      firstName: string;
    }>;
    expect(found.map((c) => c.firstName)).toEqual(['Hedy']);
  });
});
