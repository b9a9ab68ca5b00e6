import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { definition, settle } from '../../../test/workflows.js';

interface Run {
  id: string;
  status: string;
  error: string | null;
  steps: Array<{
    stepId: string;
    status: string;
    output: Record<string, unknown> | null;
    error: string | null;
  }>;
}

/** Tickets as workflow triggers and targets: created / updated (to a value) / deleted, manual, and the create and update actions. */
describe('ticket workflows', () => {
  let t: TestApp;
  let admin: TestUser;
  let agent: TestUser;
  let other: TestUser;
  let ada: { id: string };
  const api = (u: TestUser = admin) => client(t.app, u.token);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Desk');
    agent = await addUser(t.app, admin, 'support_agent', { name: 'Agent Smith' });
    other = await registerOrganization(t.app, 'Other');
    ada = (
      await api().post('/api/v1/contacts', {
        firstName: 'Ada',
        lastName: 'Lovelace',
        email: 'ada@engines.example',
      })
    ).json();
  });
  afterAll(() => t.close());
  afterEach(async () => {
    for (const u of [admin, other])
      for (const w of (await api(u).get('/api/v1/workflows')).json().data as Array<{ id: string }>)
        await api(u).delete(`/api/v1/workflows/${w.id}`);
  });

  async function live(
    name: string,
    draft: Record<string, unknown>,
    as: TestUser = admin,
  ): Promise<{ id: string }> {
    const created = await api(as).post('/api/v1/workflows', { name, draft: definition(draft) });
    expect(created.statusCode, created.body).toBe(201);
    const published = await api(as).post(`/api/v1/workflows/${created.json().id}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    const enabled = await api(as).patch(`/api/v1/workflows/${created.json().id}`, {
      enabled: true,
    });
    expect(enabled.statusCode, enabled.body).toBe(200);
    return enabled.json();
  }
  const runsOf = async (workflowId: string, as: TestUser = admin): Promise<Run[]> => {
    const list = (await api(as).get(`/api/v1/workflow-runs?workflowId=${workflowId}`)).json()
      .data as Array<{ id: string }>;
    return Promise.all(
      list.map(async (r) => (await api(as).get(`/api/v1/workflow-runs/${r.id}`)).json<Run>()),
    );
  };
  const ticket = async (body: Record<string, unknown>, as: TestUser = admin) => {
    const res = await api(as).post('/api/v1/tickets', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; number: number; version: number }>();
  };

  it("on ticket.created creates a task linked to the ticket for its assignee, notifies them and writes to the ticket's contact", async () => {
    const w = await live('Triage', {
      trigger: { type: 'record_created', object: 'ticket' },
      conditions: {
        match: 'all',
        rules: [{ field: 'priority', op: 'in', value: ['high', 'urgent'] }],
      },
      start: 'task',
      steps: [
        {
          id: 'task',
          type: 'create_task',
          subject: 'Call {{contact.firstName}} about #{{ticket.number}}: {{ticket.subject}}',
          dueInDays: 1,
          next: 'tell',
        },
        {
          id: 'tell',
          type: 'notify',
          title: 'Urgent ticket #{{ticket.number}} from {{contact.firstName}} {{contact.lastName}}',
          next: 'mail',
        },
        {
          id: 'mail',
          type: 'send_email',
          subject: 'We are on it: {{ticket.subject}}',
          body: 'Hello {{contact.firstName}}, ticket #{{ticket.number}} is with {{ticket.priority}} priority.',
          next: null,
        },
      ],
    });
    const urgent = await ticket({
      subject: 'Engine jammed',
      priority: 'urgent',
      contactId: ada.id,
      ownerId: agent.userId,
    });
    await ticket({
      subject: 'Just a question',
      priority: 'low',
      contactId: ada.id,
      ownerId: agent.userId,
    });
    await settle(t);
    const runs = await runsOf(w.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.status, runs[0]?.error ?? '').toBe('succeeded');
    const tasks = (await api().get(`/api/v1/activities?filter[ticketId]=${urgent.id}`)).json()
      .data as Array<{
      subject: string;
      assigneeId: string;
      ticketId: string;
      dueAt: string | null;
    }>;
    expect(tasks).toEqual([
      expect.objectContaining({
        subject: `Call Ada about #${urgent.number}: Engine jammed`,
        assigneeId: agent.userId,
        ticketId: urgent.id,
      }),
    ]);
    expect(tasks[0]?.dueAt).not.toBeNull();
    const notes = (await api(agent).get('/api/v1/notifications')).json().data as Array<{
      title: string;
    }>;
    expect(notes.map((n) => n.title)).toContain(
      `Urgent ticket #${urgent.number} from Ada Lovelace`,
    );
    const mail = (
      (await api().get('/api/v1/mailbox')).json().data as Array<{ to: string; subject: string }>
    ).filter((m) => m.subject.startsWith('We are on it'));
    expect(mail).toEqual([
      expect.objectContaining({
        to: 'ada@engines.example',
        subject: 'We are on it: Engine jammed',
      }),
    ]);
  });

  it('fires record_updated with fields [status] and toValue solved only on that change', async () => {
    const w = await live('Survey', {
      trigger: { type: 'record_updated', object: 'ticket', fields: ['status'], toValue: 'solved' },
      start: 'tag',
      steps: [
        { id: 'tag', type: 'add_tag', tag: 'survey-sent', next: 'lower' },
        { id: 'lower', type: 'update_record', values: { priority: 'low' }, next: null },
      ],
    });
    const x = await ticket({ subject: 'Printer offline', priority: 'high' });
    const patch = async (body: Record<string, unknown>) => {
      const res = await api().patch(`/api/v1/tickets/${x.id}`, body);
      expect(res.statusCode, res.body).toBe(200);
      await settle(t);
    };
    await patch({ priority: 'urgent' });
    await patch({ status: 'open' });
    expect(await runsOf(w.id)).toHaveLength(0);
    await patch({ status: 'solved' });
    let runs = await runsOf(w.id);
    expect(runs.map((r) => r.status)).toEqual(['succeeded']);
    expect((await api().get(`/api/v1/tickets/${x.id}`)).json()).toMatchObject({
      status: 'solved',
      tags: ['survey-sent'],
      priority: 'low',
    });
    // The workflow's own edits (tags, priority) and later edits to the solved ticket do not fire it again.
    await patch({ description: 'Toner was empty' });
    runs = await runsOf(w.id);
    expect(runs).toHaveLength(1);
  });

  it("never starts on another organization's tickets, nor runs by hand on them", async () => {
    const created = await live('Ours', {
      trigger: { type: 'record_created', object: 'ticket' },
      start: 'tag',
      steps: [{ id: 'tag', type: 'add_tag', tag: 'seen', next: null }],
    });
    const manual = await live('By hand', {
      trigger: { type: 'manual', object: 'ticket' },
      start: 'tag',
      steps: [{ id: 'tag', type: 'add_tag', tag: 'handled', next: null }],
    });
    const theirs = await ticket({ subject: 'Their ticket' }, other);
    await settle(t);
    expect(await runsOf(created.id)).toHaveLength(0);
    expect((await api(other).get(`/api/v1/tickets/${theirs.id}`)).json().tags).toEqual([]);
    const refused = await api().post(`/api/v1/workflows/${manual.id}/run`, { recordId: theirs.id });
    expect(refused.statusCode).toBe(404);
    // The record page's menu lists the manual workflow for tickets, and it runs on our own ticket.
    expect(
      (await api().get('/api/v1/workflows?triggerKey=manual:ticket&enabled=true'))
        .json()
        .data.map((x: { id: string }) => x.id),
    ).toEqual([manual.id]);
    const ours = await ticket({ subject: 'Our ticket' });
    expect(
      (await api().post(`/api/v1/workflows/${manual.id}/run`, { recordId: ours.id })).statusCode,
    ).toBe(202);
    // Both runs tag the ticket, perhaps at the same moment: the loser of that race retries its step.
    await settle(t, { dueNow: true });
    expect((await api().get(`/api/v1/tickets/${ours.id}`)).json().tags.sort()).toEqual([
      'handled',
      'seen',
    ]);
  });

  it('opens tickets with create_record, validated like POST /tickets, and starts on ticket.deleted', async () => {
    const opener = await live('Open on contact', {
      trigger: { type: 'record_created', object: 'contact' },
      start: 'open',
      steps: [
        {
          id: 'open',
          type: 'create_record',
          object: 'ticket',
          values: {
            subject: 'Onboard {{contact.firstName}}',
            contactId: '{{contact.id}}',
            channel: 'api',
            priority: 'high',
          },
          next: null,
        },
      ],
    });
    const grace = (
      await api().post('/api/v1/contacts', { firstName: 'Grace', email: 'grace@navy.example' })
    ).json();
    await settle(t);
    const [run] = await runsOf(opener.id);
    expect(run?.status, run?.error ?? '').toBe('succeeded');
    const opened = (await api().get(`/api/v1/tickets?filter[contactId]=${grace.id}`)).json().data;
    expect(opened).toEqual([
      expect.objectContaining({
        subject: 'Onboard Grace',
        channel: 'api',
        priority: 'high',
        ownerId: null,
      }),
    ]);
    expect(run?.steps[0]?.output).toMatchObject({ object: 'ticket', id: opened[0].id });

    const broken = await live('Bad values', {
      trigger: { type: 'record_created', object: 'contact' },
      start: 'open',
      steps: [
        {
          id: 'open',
          type: 'create_record',
          object: 'ticket',
          values: { subject: 'x', status: 'exploded' },
          next: null,
        },
      ],
    });
    const deleted = await live('On delete', {
      trigger: { type: 'record_deleted', object: 'ticket' },
      start: 'tell',
      steps: [
        {
          id: 'tell',
          type: 'notify',
          userId: admin.userId,
          title: 'Ticket {{record.id}} deleted',
          next: null,
        },
      ],
    });
    await api().post('/api/v1/contacts', { firstName: 'Bad' });
    expect((await api().delete(`/api/v1/tickets/${opened[0].id}`)).statusCode).toBe(204);
    await settle(t);
    const [failed] = await runsOf(broken.id);
    expect(failed?.status).toBe('failed');
    expect(failed?.error).toMatch(/values\.status/);
    expect((await runsOf(deleted.id)).map((r) => r.status)).toEqual(['succeeded']);
  });

  it('test-runs a ticket workflow over a real ticket with its contact filled in', async () => {
    const w = (
      await api().post('/api/v1/workflows', {
        name: 'Dry',
        draft: definition({
          trigger: { type: 'manual', object: 'ticket' },
          start: 'mail',
          steps: [
            {
              id: 'mail',
              type: 'send_email',
              subject: 'About #{{ticket.number}}',
              body: 'Hi {{contact.firstName}}',
              next: null,
            },
          ],
        }),
      })
    ).json();
    const x = await ticket({ subject: 'Dry run', contactId: ada.id });
    const res = await api().post(`/api/v1/workflows/${w.id}/test`, { recordId: x.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().steps[0]).toMatchObject({
      input: { to: 'ada@engines.example', subject: `About #${x.number}`, text: 'Hi Ada' },
      problems: [],
    });
    const unknownRoot = await api().patch(`/api/v1/workflows/${w.id}`, {
      draft: definition({
        trigger: { type: 'manual', object: 'ticket' },
        start: 'n',
        steps: [{ id: 'n', type: 'notify', title: '{{tickets.subject}}', next: null }],
      }),
    });
    expect(unknownRoot.statusCode).toBe(200);
    const publish = await api().post(`/api/v1/workflows/${w.id}/publish`);
    expect(publish.statusCode).toBe(422);
    expect(errorOf(publish).details?.[0]).toMatchObject({ path: 'draft.steps.0.title' });
    expect(errorOf(publish).details?.[0]?.message).toMatch(/ticket/);
  });
});
