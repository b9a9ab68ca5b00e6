import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { withSystem } from '../../platform/db/index.js';

interface Described {
  key: string;
  personalData: { fields: string[] } | null;
}

describe('GDPR for custom objects', () => {
  let t: TestApp;
  let admin: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Object GDPR');
    other = await registerOrganization(t.app, 'Object GDPR elsewhere');
    const defined = await client(t.app, admin.token).post('/api/v1/objects', {
      key: 'patient',
      labels: { singular: 'Patient', plural: 'Patients' },
      fields: [
        { key: 'email', label: 'Email', type: 'email', personal: true },
        { key: 'diagnosis', label: 'Diagnosis', type: 'long_text', personal: true },
        { key: 'alias', label: 'Alias', type: 'text', required: true, personal: true },
        { key: 'ward', label: 'Ward', type: 'text' },
      ],
    });
    expect(defined.statusCode, defined.body).toBe(201);
    const plain = await client(t.app, admin.token).post('/api/v1/objects', {
      key: 'machine',
      labels: { singular: 'Machine', plural: 'Machines' },
      fields: [{ key: 'serial', label: 'Serial', type: 'text' }],
    });
    expect(plain.statusCode, plain.body).toBe(201);
  });
  afterAll(() => t.close());

  const api = (u: TestUser = admin) => client(t.app, u.token);

  /** A patient with personal data in its fields, its audit (an update) and a linked note. */
  async function patientWithTraces(secret: string) {
    const res = await api().post('/api/v1/patients', {
      name: 'Bed 4',
      email: `${secret.toLowerCase()}@private.example`,
      diagnosis: `${secret} has hedgehog allergy`,
      alias: secret,
      ward: 'North',
    });
    expect(res.statusCode, res.body).toBe(201);
    const patient = res.json<{ id: string; version: number }>();
    const updated = await api().patch(`/api/v1/patients/${patient.id}`, {
      diagnosis: `${secret} recovered`,
    });
    expect(updated.statusCode, updated.body).toBe(200);
    const note = await api().post('/api/v1/activities', {
      type: 'note',
      subject: `Visited ${secret}`,
      body: `${secret} lives at 1 Secret Lane`,
      links: [{ objectType: 'patient', recordId: patient.id }],
    });
    expect(note.statusCode, note.body).toBe(201);
    return { patient, note: note.json<{ id: string }>() };
  }

  const storedAbout = (ids: readonly string[]) =>
    withSystem(t.deps.database.db, async (tx) =>
      JSON.stringify([
        await tx.selectFrom('audit_log').selectAll().where('target_id', 'in', ids).execute(),
        await tx.selectFrom('outbox').selectAll().where('aggregate_id', 'in', ids).execute(),
      ]),
    );
  const lastAudit = (id: string) =>
    withSystem(t.deps.database.db, (tx) =>
      tx
        .selectFrom('audit_log')
        .select(['action', 'diff'])
        .where('target_id', '=', id)
        .orderBy('seq', 'desc')
        .executeTakeFirst(),
    );

  it('describes which objects hold personal data: contacts, leads and marked fields', async () => {
    const res = await api().get('/api/v1/objects');
    expect(res.statusCode, res.body).toBe(200);
    const byKey = new Map(res.json<{ data: Described[] }>().data.map((o) => [o.key, o]));
    expect(byKey.get('contact')?.personalData?.fields).toEqual(
      expect.arrayContaining(['firstName', 'lastName', 'emails']),
    );
    expect(byKey.get('lead')?.personalData?.fields).toEqual(
      expect.arrayContaining(['firstName', 'email', 'customFields']),
    );
    expect(byKey.get('deal')?.personalData).toBeNull();
    expect(byKey.get('patient')?.personalData).toEqual({
      fields: ['email', 'diagnosis', 'alias'],
    });
    expect(byKey.get('machine')?.personalData).toBeNull();
  });

  it('marks a field personal later, and refuses the mark on an object declared in code', async () => {
    const field = await api().post('/api/v1/custom-fields', {
      objectType: 'machine',
      key: 'operator',
      label: 'Operator',
      type: 'text',
    });
    expect(field.statusCode, field.body).toBe(201);
    expect(field.json()).toMatchObject({ personal: false });
    const marked = await api().patch(`/api/v1/custom-fields/${field.json<{ id: string }>().id}`, {
      personal: true,
    });
    expect(marked.statusCode, marked.body).toBe(200);
    expect(marked.json()).toMatchObject({ personal: true });
    const machine = (await api().get('/api/v1/objects/machine')).json<Described>();
    expect(machine.personalData).toEqual({ fields: ['operator'] });

    const onDeals = await api().post('/api/v1/custom-fields', {
      objectType: 'deal',
      key: 'buyerNickname',
      label: 'Buyer nickname',
      type: 'text',
      personal: true,
    });
    expect(onDeals.statusCode, onDeals.body).toBe(400);
    expect(errorOf(onDeals).details?.[0]?.path).toBe('personal');
  });

  it("exports a record's personal data: the record, its activities, its history", async () => {
    const { patient, note } = await patientWithTraces('Olivia');
    const res = await api().get(`/api/v1/patients/${patient.id}/personal-data`);
    expect(res.statusCode, res.body).toBe(200);
    const data = res.json();
    expect(data.record).toMatchObject({ id: patient.id, email: 'olivia@private.example' });
    expect(data.activities).toEqual([
      expect.objectContaining({ id: note.id, subject: 'Visited Olivia' }),
    ]);
    expect(data.history.map((h: { action: string }) => h.action)).toEqual([
      'patient.created',
      'patient.updated',
    ]);
    expect((await lastAudit(patient.id))?.action).toBe('patient.personal_data_exported');
  });

  it('erases the personal fields and their traces, leaving the other fields alone', async () => {
    const { patient, note } = await patientWithTraces('Wilhelmina');
    expect(await storedAbout([patient.id, note.id])).toContain('Wilhelmina');
    const res = await api().post(`/api/v1/patients/${patient.id}/erase`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ activities: 1, auditEntries: 3 });
    expect((await api().get(`/api/v1/patients/${patient.id}`)).json()).toMatchObject({
      name: 'Bed 4',
      email: null,
      diagnosis: null,
      alias: '[erased]',
      ward: 'North',
      version: patient.version + 2,
    });
    expect((await api().get(`/api/v1/activities/${note.id}`)).json()).toMatchObject({
      subject: '[erased] note',
      body: null,
    });
    const stored = await storedAbout([patient.id, note.id]);
    for (const secret of ['Wilhelmina', 'wilhelmina@private', 'Secret Lane', 'hedgehog'])
      expect(stored, secret).not.toContain(secret);
    expect(await lastAudit(patient.id)).toEqual({
      action: 'patient.erased',
      diff: { activitiesAnonymized: 1, auditEntriesRedacted: 3 },
    });
    expect((await api().get('/api/v1/audit-log/verify')).json().valid).toBe(true);
    // The record still edits: the required alias holds a placeholder rather than nothing.
    const edited = await api().patch(`/api/v1/patients/${patient.id}`, { ward: 'South' });
    expect(edited.statusCode, edited.body).toBe(200);
  });

  it('answers 404 for another organization and 403 without the export or delete right', async () => {
    const { patient } = await patientWithTraces('Tamsin');
    const foreign = await api(other).get(`/api/v1/patients/${patient.id}/personal-data`);
    expect(foreign.statusCode, foreign.body).toBe(404);
    expect((await api(other).post(`/api/v1/patients/${patient.id}/erase`)).statusCode).toBe(404);
    // A sales rep may read and delete only their own custom records, and never export them.
    const rep = await addUser(t.app, admin, 'sales_rep');
    const exported = await api(rep).get(`/api/v1/patients/${patient.id}/personal-data`);
    expect(exported.statusCode, exported.body).toBe(403);
    const agent = await addUser(t.app, admin, 'support_agent');
    const erased = await api(agent).post(`/api/v1/patients/${patient.id}/erase`);
    expect(erased.statusCode, erased.body).toBe(403);
    expect((await api().get(`/api/v1/patients/${patient.id}`)).json()).toMatchObject({
      alias: 'Tamsin',
    });
    const bad = await api().post('/api/v1/patients/not-an-id/erase');
    expect(bad.statusCode, bad.body).toBe(400);
  });

  it('refuses an object with no personal field (409) and a built-in resource (404)', async () => {
    const bare = await api().post('/api/v1/objects', {
      key: 'gadget',
      labels: { singular: 'Gadget', plural: 'Gadgets' },
    });
    expect(bare.statusCode, bare.body).toBe(201);
    const gadget = await api().post('/api/v1/gadgets', { name: 'Widget' });
    const refused = await api().post(`/api/v1/gadgets/${gadget.json<{ id: string }>().id}/erase`);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(errorOf(refused).code).toBe('OBJECT_NO_PERSONAL_DATA');
    const deal = await api().post('/api/v1/deals', { name: 'Big one' });
    const onDeal = await api().post(`/api/v1/deals/${deal.json<{ id: string }>().id}/erase`);
    expect(onDeal.statusCode, onDeal.body).toBe(404);
  });
});
