import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';
import { sql, withSystem } from '../../platform/db/index.js';
import { purgeExpiredTrash } from '../contacts/index.js';
import { emitDueTaskReminders } from './index.js';

describe('records maintenance', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Sweep');
  });
  afterAll(() => t.close());

  it('purges the trash after 30 days, keeping activities unlinked', async () => {
    const api = client(t.app, admin.token);
    const old = (await api.post('/api/v1/contacts', { firstName: 'Old' })).json();
    const recent = (await api.post('/api/v1/contacts', { firstName: 'Recent' })).json();
    const note = (
      await api.post('/api/v1/activities', {
        type: 'note',
        subject: 'About Old',
        contactId: old.id,
      })
    ).json();
    await api.delete(`/api/v1/contacts/${old.id}`);
    await api.delete(`/api/v1/contacts/${recent.id}`);
    // Old was deleted 31 days ago, Recent just now.
    await withSystem(t.deps.database.db, (tx) =>
      sql`update contacts set deleted_at = now() - interval '31 days' where id = ${old.id}`.execute(
        tx,
      ),
    );
    const purged = await purgeExpiredTrash(t.deps);
    expect(purged.contacts).toBe(1);
    expect((await api.post(`/api/v1/contacts/${recent.id}/restore`)).statusCode).toBe(200);
    expect((await api.post(`/api/v1/contacts/${old.id}/restore`)).statusCode).toBe(404);
    expect((await api.get(`/api/v1/activities/${note.id}`)).json().contactId).toBeNull();
  });

  it('emits task.due once per reminder', async () => {
    const api = client(t.app, admin.token);
    const person = (await api.post('/api/v1/contacts', { firstName: 'Remind' })).json();
    const task = (
      await api.post('/api/v1/activities', {
        type: 'task',
        subject: 'Call back',
        contactId: person.id,
        remindAt: new Date(Date.now() - 60_000).toISOString(),
      })
    ).json();
    await api.post('/api/v1/activities', {
      type: 'task',
      subject: 'Later',
      remindAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(await emitDueTaskReminders(t.deps)).toBe(1);
    expect(await emitDueTaskReminders(t.deps)).toBe(0);
    const events = await withSystem(t.deps.database.db, (tx) =>
      tx
        .selectFrom('outbox')
        .select(['type', 'payload'])
        .where('aggregate_id', '=', task.id)
        .where('type', '=', 'task.due')
        .execute(),
    );
    expect(events).toHaveLength(1);
    expect(events[0]?.payload).toMatchObject({
      subject: 'Call back',
      assigneeId: admin.userId,
      contactId: person.id,
    });
  });
});
