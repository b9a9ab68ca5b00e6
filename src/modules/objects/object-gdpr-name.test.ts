import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { withSystem } from '../../platform/db/index.js';

interface Described {
  key: string;
  personalName?: boolean;
  personalData: { fields: string[] } | null;
}

/** A custom record's name marked personal data: declared, described, exported and erased. */
describe("GDPR for a custom record's name", () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Object GDPR names');
    const members = await api().post('/api/v1/objects', {
      key: 'member',
      labels: { singular: 'Member', plural: 'Members' },
      personalName: true,
      fields: [{ key: 'club', label: 'Club', type: 'text' }],
    });
    expect(members.statusCode, members.body).toBe(201);
    const cases = await api().post('/api/v1/objects', {
      key: 'case',
      labels: { singular: 'Case', plural: 'Cases' },
      fields: [{ key: 'claimant', label: 'Claimant', type: 'text', personal: true }],
    });
    expect(cases.statusCode, cases.body).toBe(201);
  });
  afterAll(() => t.close());

  const api = (u: TestUser = admin) => client(t.app, u.token);
  const described = async (key: string) =>
    (await api().get(`/api/v1/objects/${key}`)).json<Described>();

  const storedAbout = (ids: readonly string[]) =>
    withSystem(t.deps.database.db, async (tx) =>
      JSON.stringify([
        await tx.selectFrom('audit_log').selectAll().where('target_id', 'in', ids).execute(),
        await tx.selectFrom('outbox').selectAll().where('aggregate_id', 'in', ids).execute(),
      ]),
    );

  /** A record named `name`, renamed once (an audited change) and with a linked note. */
  async function recordWithTraces(resource: string, name: string, body = {}) {
    const res = await api().post(`/api/v1/${resource}`, { name: `${name} Senior`, ...body });
    expect(res.statusCode, res.body).toBe(201);
    const { id } = res.json<{ id: string }>();
    const renamed = await api().patch(`/api/v1/${resource}/${id}`, { name });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const note = await api().post('/api/v1/activities', {
      type: 'note',
      subject: `Called ${name}`,
      links: [{ objectType: resource === 'members' ? 'member' : 'case', recordId: id }],
    });
    expect(note.statusCode, note.body).toBe(201);
    return { id, version: renamed.json<{ version: number }>().version, noteId: note.json().id };
  }

  it('takes the flag on the definition, describes it, and refuses a bad one naming the field', async () => {
    const member = await described('member');
    expect(member).toMatchObject({ personalName: true, personalData: { fields: ['name'] } });
    const kase = await described('case');
    expect(kase).toMatchObject({ personalName: false, personalData: { fields: ['claimant'] } });

    const badDefine = await api().post('/api/v1/objects', {
      key: 'visitor',
      labels: { singular: 'Visitor', plural: 'Visitors' },
      personalName: 'yes',
    });
    expect(badDefine.statusCode, badDefine.body).toBe(400);
    expect(errorOf(badDefine).details?.[0]?.path).toBe('personalName');
    const badRevise = await api().patch('/api/v1/objects/case', { personalName: 1 });
    expect(badRevise.statusCode, badRevise.body).toBe(400);
    expect(errorOf(badRevise).details?.[0]?.path).toBe('personalName');

    const marked = await api().patch('/api/v1/objects/case', { personalName: true });
    expect(marked.statusCode, marked.body).toBe(200);
    expect(marked.json()).toMatchObject({
      personalName: true,
      personalData: { fields: ['name', 'claimant'] },
    });
    const unmarked = await api().patch('/api/v1/objects/case', { personalName: false });
    expect(unmarked.json()).toMatchObject({
      personalName: false,
      personalData: { fields: ['claimant'] },
    });
    // Notes are declared in code: their definition is not the admin's to change.
    const onNotes = await api().patch('/api/v1/objects/note', { personalName: true });
    expect(onNotes.statusCode, onNotes.body).toBe(409);
  });

  it('exports and erases a personal name: a placeholder stays, its traces go', async () => {
    const { id, version, noteId } = await recordWithTraces('members', 'Ada Lovelace', {
      club: 'Analytical',
    });
    const exported = await api().get(`/api/v1/members/${id}/personal-data`);
    expect(exported.statusCode, exported.body).toBe(200);
    expect(exported.json().record).toMatchObject({ id, name: 'Ada Lovelace' });
    expect(await storedAbout([id, noteId])).toContain('Lovelace');

    const erased = await api().post(`/api/v1/members/${id}/erase`);
    expect(erased.statusCode, erased.body).toBe(200);
    expect((await api().get(`/api/v1/members/${id}`)).json()).toMatchObject({
      name: 'Erased record',
      club: 'Analytical',
      version: version + 1,
    });
    const stored = await storedAbout([id, noteId]);
    expect(stored).not.toContain('Lovelace');
    const found = await api().get('/api/v1/members?q=lovelace');
    expect(found.json().data).toEqual([]);
    // The record still edits: the required name holds the placeholder.
    const edited = await api().patch(`/api/v1/members/${id}`, { club: 'Difference' });
    expect(edited.statusCode, edited.body).toBe(200);
  });

  it('keeps a name that is not personal: exported as part of the record, left by erasure', async () => {
    const { id, noteId } = await recordWithTraces('cases', 'Smith v Jones', {
      claimant: 'Jane Smith',
    });
    const exported = await api().get(`/api/v1/cases/${id}/personal-data`);
    expect(exported.statusCode, exported.body).toBe(200);
    expect(exported.json().record).toMatchObject({ name: 'Smith v Jones', claimant: 'Jane Smith' });
    const erased = await api().post(`/api/v1/cases/${id}/erase`);
    expect(erased.statusCode, erased.body).toBe(200);
    expect((await api().get(`/api/v1/cases/${id}`)).json()).toMatchObject({
      name: 'Smith v Jones',
      claimant: null,
    });
    // The record's audit and events are scrubbed all the same, the claimant with them.
    expect(await storedAbout([id, noteId])).not.toContain('Jane Smith');
  });
});
