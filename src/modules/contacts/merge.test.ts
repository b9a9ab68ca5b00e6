import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { withSystem } from '../../platform/db/index.js';

describe('duplicates, merge and undo', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Merge');
  });
  afterAll(() => t.close());
  const api = (u: TestUser = admin) => client(t.app, u.token);

  it('finds duplicates by email, phone and similar name at one company', async () => {
    const acme = (
      await api().post('/api/v1/companies', { name: 'Acme', domain: 'acme.example' })
    ).json();
    await api().post('/api/v1/contacts', {
      firstName: 'Dup',
      lastName: 'Email',
      email: 'same@acme.example',
    });
    await api().post('/api/v1/contacts', {
      firstName: 'Dupe',
      lastName: 'Mail',
      email: 'SAME@acme.example',
    });
    await api().post('/api/v1/contacts', {
      firstName: 'Phone',
      lastName: 'One',
      phone: '+1 415 555 0100',
    });
    await api().post('/api/v1/contacts', {
      firstName: 'Phone',
      lastName: 'Two',
      phone: '(415) 555-0100',
    });
    await api().post('/api/v1/contacts', {
      firstName: 'Katherine',
      lastName: 'Johnson',
      companyId: acme.id,
    });
    await api().post('/api/v1/contacts', {
      firstName: 'Katherine',
      lastName: 'Jonson',
      companyId: acme.id,
    });
    const groups = (await api().get('/api/v1/contacts/duplicates')).json().data as Array<{
      reason: string;
      records: Array<{ lastName: string }>;
    }>;
    const summary = groups.map((g) => [
      g.reason,
      g.records
        .map((r) => r.lastName)
        .sort()
        .join('+'),
    ]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ['same_email', 'Email+Mail'],
        ['same_phone', 'One+Two'],
        ['similar_name_same_company', 'Johnson+Jonson'],
      ]),
    );
  });

  it('merges with chosen values, moves activities, answers RECORD_MERGED, and undoes it all', async () => {
    const a = (
      await api().post('/api/v1/contacts', {
        firstName: 'Alan',
        lastName: 'Turing',
        email: 'alan@bletchley.example',
        title: 'Cryptanalyst',
        tags: ['enigma'],
      })
    ).json();
    const b = (
      await api().post('/api/v1/contacts', {
        firstName: 'A.',
        lastName: 'Turing',
        email: 'turing@manchester.example',
        title: 'Reader',
        tags: ['computing'],
      })
    ).json();
    const call = (
      await api().post('/api/v1/activities', {
        type: 'call',
        subject: 'About the machine',
        contactId: b.id,
      })
    ).json();

    const merged = await api().post(`/api/v1/contacts/${a.id}/merge`, {
      sourceIds: [b.id],
      fields: { title: b.id },
    });
    expect(merged.statusCode, merged.body).toBe(200);
    const survivor = merged.json().survivor;
    expect(survivor).toMatchObject({
      firstName: 'Alan',
      title: 'Reader',
      email: 'alan@bletchley.example',
    });
    expect(survivor.emails.map((e: { email: string }) => e.email)).toEqual([
      'alan@bletchley.example',
      'turing@manchester.example',
    ]);
    expect(survivor.tags.sort()).toEqual(['computing', 'enigma']);
    expect((await api().get(`/api/v1/activities/${call.id}`)).json().contactId).toBe(a.id);
    const gone = await api().get(`/api/v1/contacts/${b.id}`);
    expect(gone.statusCode).toBe(404);
    expect(errorOf(gone)).toMatchObject({ code: 'RECORD_MERGED', details: { survivorId: a.id } });
    const audit = await withSystem(t.deps.database.db, (tx) =>
      tx
        .selectFrom('audit_log')
        .select('action')
        .where('target_id', '=', a.id)
        .where('action', '=', 'contact.merged')
        .execute(),
    );
    expect(audit).toHaveLength(1);

    const undone = await api().post(`/api/v1/merges/${merged.json().mergeId}/undo`);
    expect(undone.statusCode, undone.body).toBe(200);
    const back = (await api().get(`/api/v1/contacts/${b.id}`)).json();
    expect(back).toMatchObject({
      firstName: 'A.',
      title: 'Reader',
      email: 'turing@manchester.example',
    });
    const restored = (await api().get(`/api/v1/contacts/${a.id}`)).json();
    expect(restored).toMatchObject({ title: 'Cryptanalyst', tags: ['enigma'] });
    expect(restored.emails).toHaveLength(1);
    expect((await api().get(`/api/v1/activities/${call.id}`)).json().contactId).toBe(b.id);
    expect((await api().post(`/api/v1/merges/${merged.json().mergeId}/undo`)).statusCode).toBe(409);
  });

  it('refuses bad merges', async () => {
    const a = (await api().post('/api/v1/contacts', { firstName: 'Solo' })).json();
    expect(
      errorOf(await api().post(`/api/v1/contacts/${a.id}/merge`, { sourceIds: [a.id] }))
        .details?.[0]?.path,
    ).toBe('sourceIds');
    expect(
      errorOf(
        await api().post(`/api/v1/contacts/${a.id}/merge`, {
          sourceIds: ['0190a000-0000-7000-8000-000000000009'],
        }),
      ).details?.[0]?.path,
    ).toBe('sourceIds.0');
    const other = await registerOrganization(t.app, 'Foreign');
    const foreign = (
      await client(t.app, other.token).post('/api/v1/contacts', { firstName: 'Foreign' })
    ).json();
    expect(
      (await api().post(`/api/v1/contacts/${a.id}/merge`, { sourceIds: [foreign.id] })).statusCode,
    ).toBe(422);
    const rep = await addUser(t.app, admin, 'sales_rep');
    expect(
      (await api(rep).post(`/api/v1/contacts/${a.id}/merge`, { sourceIds: [foreign.id] }))
        .statusCode,
    ).toBe(404);
  });

  it('merges companies, moving their contacts', async () => {
    const keep = (
      await api().post('/api/v1/companies', {
        name: 'Globex Corporation',
        domain: 'globex.example',
      })
    ).json();
    const drop = (
      await api().post('/api/v1/companies', {
        name: 'Globex Corp',
        domain: 'globex-corp.example',
        industry: 'Energy',
      })
    ).json();
    const worker = (
      await api().post('/api/v1/contacts', { firstName: 'Hank', companyId: drop.id })
    ).json();
    expect(
      (await api().get('/api/v1/companies/duplicates'))
        .json()
        .data.map((g: { records: Array<{ id: string }> }) => g.records.map((r) => r.id).sort()),
    ).toContainEqual([keep.id, drop.id].sort());
    const merged = (
      await api().post(`/api/v1/companies/${keep.id}/merge`, { sourceIds: [drop.id] })
    ).json();
    expect(merged.survivor).toMatchObject({
      name: 'Globex Corporation',
      industry: 'Energy',
      domain: 'globex.example',
    });
    expect((await api().get(`/api/v1/contacts/${worker.id}`)).json().companyId).toBe(keep.id);
  });
});

describe('GDPR', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Privacy');
  });
  afterAll(() => t.close());

  it('exports everything about a person, then erases it everywhere while keeping the history', async () => {
    const api = client(t.app, admin.token);
    const c = (
      await api.post('/api/v1/contacts', {
        firstName: 'Erin',
        lastName: 'Erasable',
        email: 'erin@private.example',
        phone: '+1 212 555 0199',
      })
    ).json();
    await api.patch(`/api/v1/contacts/${c.id}`, { title: 'Secret agent' });
    await api.post('/api/v1/activities', {
      type: 'meeting',
      subject: 'Lunch with Erin',
      body: 'Erin likes sushi',
      contactId: c.id,
      status: 'done',
    });

    const data = (await api.get(`/api/v1/contacts/${c.id}/personal-data`)).json();
    expect(data.contact.email).toBe('erin@private.example');
    expect(data.activities[0].body).toBe('Erin likes sushi');
    expect(data.history.map((h: { action: string }) => h.action)).toEqual([
      'contact.created',
      'contact.updated',
    ]);

    const erased = await api.post(`/api/v1/contacts/${c.id}/erase`);
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json()).toMatchObject({ activities: 1, auditEntries: 3 });
    const after = (await api.get(`/api/v1/contacts/${c.id}`)).json();
    expect(after).toMatchObject({
      firstName: '[erased]',
      lastName: null,
      email: null,
      phone: null,
      title: null,
      emails: [],
      phones: [],
    });
    const act = (await api.get(`/api/v1/activities?filter[contactId]=${c.id}`)).json().data[0];
    expect(act).toMatchObject({ type: 'meeting', body: null, subject: '[erased] meeting' });
    const everything = await withSystem(t.deps.database.db, async (tx) =>
      JSON.stringify([
        await tx
          .selectFrom('audit_log')
          .selectAll()
          .where('organization_id', '=', admin.organizationId)
          .execute(),
        await tx
          .selectFrom('outbox')
          .selectAll()
          .where('organization_id', '=', admin.organizationId)
          .execute(),
        await tx
          .selectFrom('contacts' as 'audit_log')
          .selectAll()
          .where('organization_id', '=', admin.organizationId)
          .execute(),
        await tx
          .selectFrom('search_words' as 'audit_log')
          .selectAll()
          .where('organization_id', '=', admin.organizationId)
          .execute(),
      ]),
    );
    expect(everything.toLowerCase()).not.toContain('erasable');
    for (const secret of [
      'erin@private.example',
      'Erasable',
      'sushi',
      'Secret agent',
      '2125550199',
    ])
      expect(everything, secret).not.toContain(secret);
    expect((await api.get('/api/v1/audit-log/verify')).json().valid).toBe(true);
  });
});
