import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';
import { withSystem } from '../../platform/db/index.js';
import { assignmentNotice } from './consumers.js';

interface Note {
  type: string;
  title: string;
  link: string | null;
}

describe('"assigned to you" for every record with an owner or assignee', () => {
  let t: TestApp;
  let admin: TestUser;
  let rep: TestUser;
  let rep2: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Owners');
    other = await registerOrganization(t.app, 'Elsewhere');
    rep = await addUser(t.app, admin, 'sales_rep');
    rep2 = await addUser(t.app, admin, 'sales_rep');
  });
  afterAll(async () => t.close());

  const api = (u: TestUser) => client(t.app, u.token);
  /** The user's notifications after every pending event was handled. */
  async function inbox(u: TestUser): Promise<Note[]> {
    await t.deps.outbox.drain();
    const res = await api(u).get('/api/v1/notifications?limit=100');
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data as Note[];
  }
  const created = async (
    u: TestUser,
    path: string,
    body: Record<string, unknown>,
  ): Promise<{ id: string }> => {
    const res = await api(u).post(path, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const patched = async (u: TestUser, path: string, body: Record<string, unknown>) =>
    expect((await api(u).patch(path, body)).statusCode).toBe(200);

  it('tells the new owner of a deal, contact or company, naming its type and linking to it', async () => {
    const deal = await created(admin, '/api/v1/deals', { name: 'Acme renewal' });
    const contact = await created(admin, '/api/v1/contacts', {
      firstName: 'Ada',
      lastName: 'Owned',
    });
    const company = await created(admin, '/api/v1/companies', {
      name: 'Handed Over Ltd',
      ownerId: rep.userId,
    });
    await patched(admin, `/api/v1/deals/${deal.id}`, { ownerId: rep.userId });
    await patched(admin, `/api/v1/contacts/${contact.id}`, { ownerId: rep.userId });
    const notes = await inbox(rep);
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'deal.assigned',
          title: 'A deal was assigned to you: Acme renewal',
          link: `/deals/${deal.id}`,
        }),
        expect.objectContaining({
          type: 'contact.assigned',
          title: 'A contact was assigned to you: Ada Owned',
          link: `/contacts/${contact.id}`,
        }),
        expect.objectContaining({
          type: 'company.assigned',
          title: 'A company was assigned to you: Handed Over Ltd',
          link: `/companies/${company.id}`,
        }),
      ]),
    );
    expect(notes).toHaveLength(3);
    // The admin made all of it and hears of none; a later edit that keeps the owner says nothing.
    await patched(admin, `/api/v1/deals/${deal.id}`, { name: 'Acme renewal 2027' });
    expect(await inbox(rep)).toHaveLength(3);
    expect(await inbox(admin)).toEqual([]);
  });

  it('tells the assignee of a task someone else created or handed over, linking to its record', async () => {
    const contact = await created(admin, '/api/v1/contacts', {
      firstName: 'Task',
      lastName: 'Holder',
    });
    const task = await created(admin, '/api/v1/activities', {
      type: 'task',
      subject: 'Call back',
      assigneeId: rep.userId,
      contactId: contact.id,
    });
    await created(admin, '/api/v1/activities', {
      type: 'task',
      subject: 'Tidy up',
      assigneeId: rep2.userId,
    });
    const repNotes = (await inbox(rep)).filter((n) => n.type === 'activity.assigned');
    expect(repNotes).toEqual([
      expect.objectContaining({
        title: 'A task was assigned to you: Call back',
        link: `/contacts/${contact.id}`,
      }),
    ]);
    expect((await inbox(rep2)).filter((n) => n.type === 'activity.assigned')).toEqual([
      expect.objectContaining({ title: 'A task was assigned to you: Tidy up', link: null }),
    ]);

    await patched(admin, `/api/v1/activities/${task.id}`, { assigneeId: rep2.userId });
    const handed = (await inbox(rep2)).filter((n) => n.title.endsWith('Call back'));
    expect(handed).toEqual([
      expect.objectContaining({ type: 'activity.assigned', link: `/contacts/${contact.id}` }),
    ]);
    expect((await inbox(rep)).filter((n) => n.type === 'activity.assigned')).toHaveLength(1);
  });

  it('never tells people of their own actions', async () => {
    const before = (await inbox(rep)).length;
    const lead = await created(rep, '/api/v1/leads', { firstName: 'Self', lastName: 'Made' });
    const deal = await created(rep, '/api/v1/deals', { name: 'My own deal' });
    await patched(rep, `/api/v1/deals/${deal.id}`, { ownerId: rep.userId });
    await created(rep, '/api/v1/activities', {
      type: 'task',
      subject: 'Note to self',
      assigneeId: rep.userId,
    });
    const contact = await created(admin, '/api/v1/contacts', {
      firstName: 'Taken',
      ownerId: rep2.userId,
    });
    await patched(admin, `/api/v1/contacts/${contact.id}`, { ownerId: admin.userId });
    expect(await inbox(rep)).toHaveLength(before);
    expect(await inbox(admin)).toEqual([]);
    // A lead announces its first owner whoever it is (routing reads it): the rule chose not to
    // notify. A deal created for oneself announces nothing; taking one changes no owner here.
    const types = await withSystem(t.deps.database.db, (tx) =>
      tx
        .selectFrom('outbox')
        .select('type')
        .where('aggregate_id', 'in', [lead.id, deal.id])
        .execute(),
    );
    expect(types.map((e) => e.type).sort()).toEqual([
      'deal.created',
      'deal.updated',
      'lead.assigned',
      'lead.created',
    ]);
  });

  it("tells the owner the system chose: a web form's lead routed to them by a rule", async () => {
    await created(admin, '/api/v1/lead-assignment-rules', {
      name: 'Everything to the admin',
      strategy: 'user',
      userId: admin.userId,
    });
    const form = await created(admin, '/api/v1/forms', {
      name: 'Bell form',
      fields: [
        { name: 'first', label: 'First name', leadField: 'firstName', required: true },
        { name: 'last', label: 'Last name', leadField: 'lastName' },
        { name: 'email', label: 'Email', leadField: 'email', required: true },
      ],
    });
    const res = await client(t.app).post(`/api/v1/forms/${form.id}/submit`, {
      first: 'Bell',
      last: 'Ringer',
      email: 'bell@ring.example',
    });
    expect(res.statusCode, res.body).toBe(200);
    const notes = await inbox(admin);
    expect(notes).toEqual([
      expect.objectContaining({
        type: 'lead.assigned',
        title: 'A lead was assigned to you: Bell Ringer',
        link: expect.stringMatching(/^\/leads\/[0-9a-f-]{36}$/),
      }),
    ]);
  });

  it('keeps notices to their user and organization, behind a token', async () => {
    await created(other, '/api/v1/deals', { name: 'Theirs' });
    expect(await inbox(other)).toEqual([]);
    expect((await client(t.app).get('/api/v1/notifications')).statusCode).toBe(401);
    const [mine] = (await api(rep).get('/api/v1/notifications')).json().data as Array<{
      id: string;
    }>;
    const id = mine?.id ?? '';
    expect(id).not.toBe('');
    expect((await api(rep2).post(`/api/v1/notifications/${id}/read`)).statusCode).toBe(404);
    expect((await api(other).post(`/api/v1/notifications/${id}/read`)).statusCode).toBe(404);
  });
});

describe('assignmentNotice', () => {
  const base = {
    recordType: 'activity',
    recordId: 'a1',
    kind: 'email',
    label: 'Send the quote',
    ownerId: 'u2',
    previousOwnerId: null,
    assignedBy: null,
    parent: { type: 'deal', id: 'd1' },
  };

  it("words the notice by the record's kind and links to the record an activity belongs to", () => {
    expect(assignmentNotice(base)).toEqual({
      userId: 'u2',
      title: 'An email was assigned to you: Send the quote',
      link: '/deals/d1',
    });
    expect(
      assignmentNotice({
        ...base,
        recordType: 'ticket',
        recordId: 't1',
        kind: 'ticket',
        label: null,
        parent: null,
      }),
    ).toEqual({ userId: 'u2', title: 'A ticket was assigned to you', link: '/tickets/t1' });
  });

  it("says nothing to nobody, of no change, of one's own choice, or for a payload without the common fields", () => {
    expect(assignmentNotice({ ...base, ownerId: null })).toBeNull();
    expect(assignmentNotice({ ...base, previousOwnerId: 'u2' })).toBeNull();
    expect(assignmentNotice({ ...base, assignedBy: 'u2' })).toBeNull();
    expect(assignmentNotice({ leadId: 'l1', ownerId: 'u2' })).toBeNull();
    expect(assignmentNotice({ ...base, recordType: 'Not a key!' })).toBeNull();
  });
});
