import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  createTeam,
  registerOrganization,
  type TestUser,
} from '../../../test/factories.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';
import { sql, withSystem } from '../../platform/db/index.js';
import { emitUnassignedLeadReminders, purgeExpiredLeads, seedDemoLeads } from './index.js';

const MINUTE = 60_000;

describe('unassigned lead reminders', () => {
  let t: TestApp;
  let admin: TestUser;
  let manager: TestUser;
  let teamId: string;
  let formId: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Reminders');
    manager = await addUser(t.app, admin, 'sales_manager');
    // A team with only its manager: the queue nobody picks leads from.
    teamId = await createTeam(t.app, admin, 'Inbound', [
      { userId: manager.userId, isManager: true },
    ]);
    const form = await client(t.app, admin.token).post('/api/v1/forms', {
      name: 'Demo request',
      fields: [{ name: 'email', label: 'Email', leadField: 'email', required: true }],
      defaultTeamId: teamId,
    });
    expect(form.statusCode, form.body).toBe(201);
    formId = form.json().id;
  });
  afterAll(() => t.close());

  const submit = (email: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/forms/${formId}/submit`,
      payload: { email },
      remoteAddress: `203.0.113.${email.length}`,
    });
  const outbox = (type: string) =>
    withSystem(t.deps.database.db, (tx) =>
      tx
        .selectFrom('outbox')
        .select(['aggregate_id', 'payload'])
        .where('organization_id', '=', admin.organizationId)
        .where('type', '=', type)
        .execute(),
    );
  const mailTo = async (email: string) =>
    await withSystem(t.deps.database.db, (tx) =>
      tx
        .selectFrom('mailbox')
        .select(['subject', 'text_body'])
        .where('to_address', '=', email)
        .where('subject', 'like', 'Lead waiting%')
        .execute(),
    );

  it("tells the team's managers once, after the wait, about a lead nobody owns", async () => {
    expect((await submit('waiting@queue.example')).statusCode).toBe(200);
    expect((await submit('taken@queue.example')).statusCode).toBe(200);
    const leads = (
      await client(t.app, admin.token).get(`/api/v1/leads?filter[teamId]=${teamId}`)
    ).json().data as Array<{ id: string; email: string; ownerId: string | null }>;
    expect(leads.map((l) => l.ownerId)).toEqual([null, null]);
    const waiting = leads.find((l) => l.email === 'waiting@queue.example');
    const taken = leads.find((l) => l.email === 'taken@queue.example');
    await client(t.app, admin.token).patch(`/api/v1/leads/${taken?.id ?? ''}`, {
      ownerId: manager.userId,
    });

    expect(await emitUnassignedLeadReminders(t.deps, new Date(Date.now() + 25 * MINUTE))).toBe(0);
    expect(await emitUnassignedLeadReminders(t.deps, new Date(Date.now() + 31 * MINUTE))).toBe(1);
    expect(await emitUnassignedLeadReminders(t.deps, new Date(Date.now() + 90 * MINUTE))).toBe(0);

    const events = await outbox('lead.unassigned_reminder');
    expect(events).toEqual([
      {
        aggregate_id: waiting?.id,
        payload: expect.objectContaining({
          leadId: waiting?.id,
          teamId,
          managerIds: [manager.userId],
        }),
      },
    ]);
    const mails = await mailTo(manager.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toContain('waiting@queue.example');
    expect(mails[0]?.text_body).toContain(`/leads/${waiting?.id ?? ''}`);
  });

  it("uses a rule's own wait, and starts the clock again when a lead loses its owner", async () => {
    const api = client(t.app, admin.token);
    const rule = await api.post('/api/v1/lead-assignment-rules', {
      name: 'Quick queue',
      strategy: 'least_loaded',
      teamId: await createTeam(t.app, admin, 'Empty', []),
      reminderMinutes: 5,
    });
    expect(rule.statusCode, rule.body).toBe(201);
    expect((await submit('quick@queue.example')).statusCode).toBe(200);
    expect(await emitUnassignedLeadReminders(t.deps, new Date(Date.now() + 6 * MINUTE))).toBe(1);
    await api.delete(`/api/v1/lead-assignment-rules/${rule.json().id}`);

    const lead = (await api.post('/api/v1/leads', { firstName: 'Dropped' })).json();
    await api.patch(`/api/v1/leads/${lead.id}`, { ownerId: null });
    expect(await emitUnassignedLeadReminders(t.deps, new Date(Date.now() + 31 * MINUTE))).toBe(1);
    expect((await outbox('lead.unassigned_reminder')).map((e) => e.aggregate_id)).toContain(
      lead.id,
    );
  });

  it('purges leads 30 days after they went to the trash', async () => {
    const api = client(t.app, admin.token);
    const lead = (await api.post('/api/v1/leads', { firstName: 'Old news' })).json();
    await api.delete(`/api/v1/leads/${lead.id}`);
    expect(await purgeExpiredLeads(t.deps, new Date(Date.now() + 29 * 86_400_000))).toBe(0);
    expect(await purgeExpiredLeads(t.deps, new Date(Date.now() + 31 * 86_400_000))).toBe(1);
    const left = await withSystem(t.deps.database.db, (tx) =>
      sql`select id from leads where id = ${lead.id}`.execute(tx),
    );
    expect(left.rows).toEqual([]);
  });

  it('seeds a demo: about 40 leads in every status, a form and two rules', async () => {
    const demo = await registerOrganization(t.app, 'Demo');
    const { leadIds } = await seedDemoLeads(t.deps, demo.organizationId, demo.userId);
    const api = client(t.app, demo.token);
    expect(leadIds.length).toBeGreaterThanOrEqual(40);
    for (const status of ['new', 'working', 'qualified', 'disqualified', 'converted']) {
      expect(
        (await api.get(`/api/v1/leads?filter[status]=${status}&count=true&limit=1`)).json().meta
          .total,
        status,
      ).toBeGreaterThan(0);
    }
    const converted = (await api.get('/api/v1/leads?filter[status]=converted')).json()
      .data as Array<{ convertedContactId: string }>;
    expect(
      (await api.get(`/api/v1/contacts/${converted[0]?.convertedContactId ?? ''}`)).statusCode,
    ).toBe(200);
    expect((await api.get('/api/v1/forms')).json().data).toHaveLength(1);
    expect((await api.get('/api/v1/lead-assignment-rules')).json().data).toHaveLength(2);
  });
});
