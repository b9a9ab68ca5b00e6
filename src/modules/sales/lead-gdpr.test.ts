import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  createTeam,
  registerOrganization,
  type TestUser,
} from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { withSystem } from '../../platform/db/index.js';

describe('GDPR for leads', () => {
  let t: TestApp;
  let admin: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Lead GDPR');
    other = await registerOrganization(t.app, 'Lead GDPR elsewhere');
  });
  afterAll(() => t.close());

  const api = (u: TestUser = admin) => client(t.app, u.token);

  /** A lead with personal data everywhere: fields, an update in its audit, a note about it. */
  async function personWithTraces(email: string, secret: string) {
    const res = await api().post('/api/v1/leads', {
      firstName: secret,
      lastName: 'Quillfeather',
      email,
      phone: '+44 20 7946 0958',
      companyName: `${secret} Ltd`,
      notes: `${secret} likes hedgehogs`,
      source: 'webinar',
      country: 'GB',
      tags: ['hot'],
    });
    expect(res.statusCode, res.body).toBe(201);
    const lead = res.json<{ id: string; version: number }>();
    const updated = await api().patch(`/api/v1/leads/${lead.id}`, { title: `${secret}'s title` });
    expect(updated.statusCode, updated.body).toBe(200);
    const note = await api().post('/api/v1/activities', {
      type: 'note',
      subject: `Talked to ${secret}`,
      body: `${secret} lives at 1 Secret Lane`,
      leadId: lead.id,
    });
    expect(note.statusCode, note.body).toBe(201);
    return { lead, note: note.json<{ id: string }>() };
  }

  /** Everything stored about these ids in the audit log and the outbox, as one text. */
  const storedAbout = (ids: readonly string[]) =>
    withSystem(t.deps.database.db, async (tx) =>
      JSON.stringify([
        await tx.selectFrom('audit_log').selectAll().where('target_id', 'in', ids).execute(),
        await tx.selectFrom('outbox').selectAll().where('aggregate_id', 'in', ids).execute(),
      ]),
    );
  const auditOf = (id: string) =>
    withSystem(t.deps.database.db, (tx) =>
      tx
        .selectFrom('audit_log')
        .select(['action', 'diff'])
        .where('target_id', '=', id)
        .orderBy('seq')
        .execute(),
    );

  it("exports a lead's personal data: the lead, its activities, its history", async () => {
    const { lead, note } = await personWithTraces('olive@private.example', 'Olivander');
    const res = await api().get(`/api/v1/leads/${lead.id}/personal-data`);
    expect(res.statusCode, res.body).toBe(200);
    const data = res.json();
    expect(data.lead).toMatchObject({ id: lead.id, email: 'olive@private.example' });
    expect(data.activities).toEqual([
      expect.objectContaining({ id: note.id, subject: 'Talked to Olivander' }),
    ]);
    expect(data.history.map((h: { action: string }) => h.action)).toEqual([
      'lead.created',
      'lead.updated',
    ]);
    expect((await auditOf(lead.id)).at(-1)?.action).toBe('lead.personal_data_exported');
  });

  it('erases a lead: personal fields blank, activities without text, diffs and payloads scrubbed', async () => {
    const { lead, note } = await personWithTraces('wren@private.example', 'Wrenna');
    expect(await storedAbout([lead.id, note.id])).toContain('Wrenna');
    const res = await api().post(`/api/v1/leads/${lead.id}/erase`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ activities: 1, auditEntries: 3 });
    const after = (await api().get(`/api/v1/leads/${lead.id}`)).json();
    expect(after).toMatchObject({
      name: '[erased]',
      firstName: '[erased]',
      lastName: null,
      email: null,
      phone: null,
      companyName: null,
      title: null,
      notes: null,
      tags: [],
      customFields: {},
      // What is not the person's stays, so lead reports still add up.
      status: 'new',
      source: 'webinar',
      country: 'GB',
      version: lead.version + 2,
    });
    expect((await api().get(`/api/v1/activities/${note.id}`)).json()).toMatchObject({
      subject: '[erased] note',
      body: null,
      leadId: lead.id,
    });
    const stored = await storedAbout([lead.id, note.id]);
    for (const secret of ['Wrenna', 'Quillfeather', 'wren@private', 'Secret Lane', 'hedgehogs'])
      expect(stored, secret).not.toContain(secret);
    const audit = await auditOf(lead.id);
    expect(audit.at(-1)).toEqual({
      action: 'lead.erased',
      diff: { activitiesAnonymized: 1, auditEntriesRedacted: 3 },
    });
    expect((await api().get('/api/v1/audit-log/verify')).json().valid).toBe(true);
    // The typo-tolerant search no longer knows the name.
    const search = (await api().get('/api/v1/leads?q=Wrenna')).json();
    expect(search.data).toEqual([]);
  });

  it('erasing twice is harmless: the second pass finds the lead already blank', async () => {
    const { lead } = await personWithTraces('twice@private.example', 'Twyla');
    expect((await api().post(`/api/v1/leads/${lead.id}/erase`)).statusCode).toBe(200);
    const again = await api().post(`/api/v1/leads/${lead.id}/erase`);
    expect(again.statusCode, again.body).toBe(200);
    expect((await api().get(`/api/v1/leads/${lead.id}`)).json()).toMatchObject({
      firstName: '[erased]',
      email: null,
    });
    expect((await auditOf(lead.id)).filter((a) => a.action === 'lead.erased')).toHaveLength(2);
    expect((await api().get('/api/v1/audit-log/verify')).json().valid).toBe(true);
  });

  it("answers 404 for another organization's lead and a missing one, changing nothing", async () => {
    const { lead } = await personWithTraces('hidden@private.example', 'Hidda');
    for (const res of [
      await api(other).get(`/api/v1/leads/${lead.id}/personal-data`),
      await api(other).post(`/api/v1/leads/${lead.id}/erase`),
      await api().post('/api/v1/leads/0190a000-0000-7000-8000-000000000000/erase'),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(errorOf(res).code).toBe('NOT_FOUND');
    }
    expect((await api().get(`/api/v1/leads/${lead.id}`)).json().firstName).toBe('Hidda');
  });

  it('refuses a role without the permission (403), a caller without a token (401), a bad id (400)', async () => {
    const { lead } = await personWithTraces('guarded@private.example', 'Guinevere');
    const agent = await addUser(t.app, admin, 'support_agent');
    const marketer = await addUser(t.app, admin, 'marketing_specialist');
    expect((await api(agent).get(`/api/v1/leads/${lead.id}/personal-data`)).statusCode).toBe(403);
    expect((await api(agent).post(`/api/v1/leads/${lead.id}/erase`)).statusCode).toBe(403);
    // Marketing may export leads but not delete them, so not erase them either.
    expect((await api(marketer).get(`/api/v1/leads/${lead.id}/personal-data`)).statusCode).toBe(
      200,
    );
    const refused = await api(marketer).post(`/api/v1/leads/${lead.id}/erase`);
    expect(refused.statusCode).toBe(403);
    expect(errorOf(refused).details).toMatchObject({ permission: 'leads:delete' });
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/v1/leads/${lead.id}/erase` })).statusCode,
    ).toBe(401);
    // A rep reads their team's leads but deletes, so erases, only their own.
    const rep = await addUser(t.app, admin, 'sales_rep');
    await createTeam(t.app, admin, 'Erasers', [{ userId: rep.userId }, { userId: admin.userId }]);
    expect((await api(rep).get(`/api/v1/leads/${lead.id}`)).statusCode).toBe(200);
    expect((await api(rep).post(`/api/v1/leads/${lead.id}/erase`)).statusCode).toBe(403);
    const bad = await api().post('/api/v1/leads/not-an-id/erase');
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).details).toEqual([expect.objectContaining({ path: 'id' })]);
    expect((await api().get(`/api/v1/leads/${lead.id}`)).json().firstName).toBe('Guinevere');
  });

  it("covers the same person's leads in a contact's export and erasure: same email or converted into it", async () => {
    const { lead, note } = await personWithTraces('grace@navy.example', 'Gracia');
    const stranger = await personWithTraces('someone@else.example', 'Strangeways');
    const contact = (
      await api().post('/api/v1/contacts', { firstName: 'Grace', email: 'Grace@Navy.example' })
    ).json<{ id: string }>();
    // Converted into the contact under another address: still the contact's person.
    const converted = (
      await api().post('/api/v1/leads', { firstName: 'Convertida', email: 'g.old@navy.example' })
    ).json<{ id: string }>();
    const conversion = await api().post(`/api/v1/leads/${converted.id}/convert`, {
      contactId: contact.id,
    });
    expect(conversion.statusCode, conversion.body).toBe(200);

    const data = (await api().get(`/api/v1/contacts/${contact.id}/personal-data`)).json();
    expect(data.leads.map((l: { lead: { id: string } }) => l.lead.id).sort()).toEqual(
      [lead.id, converted.id].sort(),
    );
    expect(data.leads.find((l: { lead: { id: string } }) => l.lead.id === lead.id)).toMatchObject({
      lead: { email: 'grace@navy.example', notes: 'Gracia likes hedgehogs' },
      activities: [expect.objectContaining({ id: note.id })],
    });

    expect((await api().post(`/api/v1/contacts/${contact.id}/erase`)).statusCode).toBe(200);
    for (const id of [lead.id, converted.id]) {
      expect((await api().get(`/api/v1/leads/${id}`)).json()).toMatchObject({
        firstName: '[erased]',
        email: null,
      });
      expect((await auditOf(id)).at(-1)?.action).toBe('lead.erased');
    }
    const stored = await storedAbout([lead.id, note.id, converted.id]);
    for (const secret of ['Gracia', 'grace@navy', 'Convertida', 'g.old@navy'])
      expect(stored, secret).not.toContain(secret);
    // A lead of someone else is left alone.
    expect((await api().get(`/api/v1/leads/${stranger.lead.id}`)).json()).toMatchObject({
      firstName: 'Strangeways',
      email: 'someone@else.example',
    });
    expect((await api().get('/api/v1/audit-log/verify')).json().valid).toBe(true);
  });
});
