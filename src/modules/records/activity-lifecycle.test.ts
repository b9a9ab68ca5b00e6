import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { withSystem } from '../../platform/db/index.js';
import type { RecordsTables } from './schema.js';

// Activities run on the shared record lifecycle with their own rules as hooks: these pin what
// they have always answered — audit entries, events, the assignee's notice, scopes, the trash.
describe('activities on the shared record lifecycle', () => {
  let t: TestApp;
  let admin: TestUser;
  let rep: TestUser;
  let stranger: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Activity lifecycle');
    rep = await addUser(t.app, admin, 'sales_rep');
    stranger = await addUser(t.app, admin, 'sales_rep');
  });
  afterAll(() => t.close());

  const api = (u: TestUser = admin) => client(t.app, u.token);

  /** The audit entries and events of one activity, oldest first. */
  const trail = (id: string) =>
    withSystem(t.deps.database.db, async (tx) => ({
      audit: await tx
        .selectFrom('audit_log')
        .select(['action', 'diff'])
        .where('target_id', '=', id)
        .orderBy('seq')
        .execute(),
      events: await tx
        .selectFrom('outbox')
        .select(['type', 'payload'])
        .where('aggregate_id', '=', id)
        .orderBy('position')
        .execute(),
    }));

  const lastContacted = async (contactId: string) =>
    (await api().get(`/api/v1/contacts/${contactId}`)).json<{ lastContactedAt: string | null }>()
      .lastContactedAt;

  it('audits a create by type and subject, and tells the assignee, naming the parent record', async () => {
    const contact = (await api().post('/api/v1/contacts', { firstName: 'Ada' })).json<{
      id: string;
    }>();
    const res = await api().post('/api/v1/activities', {
      type: 'call',
      subject: 'Intro call',
      status: 'done',
      contactId: contact.id,
      assigneeId: rep.userId,
    });
    expect(res.statusCode, res.body).toBe(201);
    const call = res.json<{ id: string; ownerId: string; version: number }>();
    expect(call).toMatchObject({ ownerId: admin.userId, assigneeId: rep.userId, version: 1 });
    expect(await lastContacted(contact.id)).toEqual(expect.any(String));

    const { audit, events } = await trail(call.id);
    expect(audit).toEqual([
      {
        action: 'activity.created',
        diff: { type: { from: null, to: 'call' }, subject: { from: null, to: 'Intro call' } },
      },
    ]);
    expect(events.map((e) => e.type)).toEqual(['activity.created', 'activity.assigned']);
    expect(events[0]?.payload).toEqual({ activity: res.json() });
    expect(events[1]?.payload).toMatchObject({
      recordType: 'activity',
      recordId: call.id,
      kind: 'call',
      label: 'Intro call',
      ownerId: rep.userId,
      previousOwnerId: null,
      assignedBy: admin.userId,
      parent: { type: 'contact', id: contact.id },
    });
  });

  it('diffs an update including its links, and moves both contacts’ last contact', async () => {
    const [first, second] = await Promise.all(
      ['First', 'Second'].map(async (firstName) =>
        (await api().post('/api/v1/contacts', { firstName })).json<{ id: string }>(),
      ),
    );
    if (!first || !second) throw new Error('contacts were not created');
    const created = await api().post('/api/v1/activities', {
      type: 'meeting',
      subject: 'Demo',
      status: 'done',
      contactId: first.id,
    });
    const meeting = created.json<{ id: string; version: number }>();
    // The creator is its assignee: nothing was handed over, so nobody is told.
    expect((await trail(meeting.id)).events.map((e) => e.type)).toEqual(['activity.created']);

    const stale = await api().patch(
      `/api/v1/activities/${meeting.id}`,
      { contactId: second.id },
      { 'if-match': String(meeting.version + 1) },
    );
    expect(stale.statusCode).toBe(412);

    const moved = await api().patch(
      `/api/v1/activities/${meeting.id}`,
      { contactId: second.id, assigneeId: rep.userId },
      { 'if-match': String(meeting.version) },
    );
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ contactId: second.id, version: meeting.version + 1 });
    expect(await lastContacted(first.id)).toBeNull();
    expect(await lastContacted(second.id)).toEqual(expect.any(String));

    const { audit, events } = await trail(meeting.id);
    expect(audit.map((a) => a.action)).toEqual(['activity.created', 'activity.updated']);
    expect(audit[1]?.diff).toMatchObject({
      contactId: { from: first.id, to: second.id },
      assigneeId: { from: admin.userId, to: rep.userId },
    });
    expect(Object.keys(audit[1]?.diff ?? {})).not.toContain('version');
    expect(events.map((e) => e.type)).toEqual([
      'activity.created',
      'activity.updated',
      'activity.assigned',
    ]);
    expect(events[1]?.payload).toEqual({ activity: moved.json(), changes: audit[1]?.diff });
    expect(events[2]?.payload).toMatchObject({
      ownerId: rep.userId,
      previousOwnerId: admin.userId,
    });
  });

  it('lets the assignee read and change it but not delete it; strangers see nothing', async () => {
    const task = (
      await api().post('/api/v1/activities', {
        type: 'task',
        subject: 'Call back',
        assigneeId: rep.userId,
      })
    ).json<{ id: string }>();
    expect((await api(rep).get(`/api/v1/activities/${task.id}`)).statusCode).toBe(200);
    const done = await api(rep).patch(`/api/v1/activities/${task.id}`, { status: 'done' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done', doneAt: expect.any(String) });
    // Deleting stays the owner's: the rep's delete scope covers only what the rep owns.
    const refused = await api(rep).delete(`/api/v1/activities/${task.id}`);
    expect(refused.statusCode).toBe(404);
    expect(errorOf(refused).code).toBe('NOT_FOUND');
    expect((await api(stranger).get(`/api/v1/activities/${task.id}`)).statusCode).toBe(404);
    expect(
      (await api(stranger).patch(`/api/v1/activities/${task.id}`, { subject: 'Mine' })).statusCode,
    ).toBe(404);
  });

  it('moves a deleted activity to the trash, audited, and forgets its contact', async () => {
    const contact = (await api().post('/api/v1/contacts', { firstName: 'Grace' })).json<{
      id: string;
    }>();
    const call = (
      await api().post('/api/v1/activities', {
        type: 'call',
        subject: 'Only call',
        status: 'done',
        contactId: contact.id,
      })
    ).json<{ id: string; version: number }>();
    expect(await lastContacted(contact.id)).toEqual(expect.any(String));

    expect((await api().delete(`/api/v1/activities/${call.id}`)).statusCode).toBe(204);
    expect((await api().get(`/api/v1/activities/${call.id}`)).statusCode).toBe(404);
    expect((await api().delete(`/api/v1/activities/${call.id}`)).statusCode).toBe(404);
    expect(await lastContacted(contact.id)).toBeNull();

    const { audit, events } = await trail(call.id);
    expect(audit.at(-1)).toEqual({ action: 'activity.deleted', diff: null });
    expect(events.at(-1)).toEqual({ type: 'activity.deleted', payload: { id: call.id } });
    const row = await withSystem(t.deps.database.db, (tx) =>
      tx
        .withTables<RecordsTables>()
        .selectFrom('activities')
        .select(['version', 'deleted_at'])
        .where('id', '=', call.id)
        .executeTakeFirstOrThrow(),
    );
    expect(row.version).toBe(call.version + 1);
    expect(row.deleted_at).toBeInstanceOf(Date);
  });
});
