import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';

/** Notes: a built-in object that is nothing but a declaration in the object kernel. */
describe('notes', () => {
  let t: TestApp;
  let admin: TestUser;
  let other: TestUser;
  let companyId: string;
  const api = (u: TestUser = admin) => client(t.app, u.token);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Notes');
    other = await registerOrganization(t.app, 'Other notes');
    companyId = (await api().post('/api/v1/companies', { name: 'Acme' })).json<{ id: string }>().id;
  });
  afterAll(() => t.close());

  it('is described as a built-in object with its declared fields', async () => {
    const note = await api().get('/api/v1/objects/note');
    expect(note.statusCode, note.body).toBe(200);
    const body = note.json<{
      resource: string;
      custom: boolean;
      fields: Array<{ key: string; kind: string; relation?: string; definitionId?: string }>;
    }>();
    expect(body).toMatchObject({ resource: 'notes', custom: false });
    expect(body.fields.map((f) => f.key)).toEqual([
      'name',
      'ownerId',
      'body',
      'contact',
      'company',
      'deal',
      'pinned',
      'createdAt',
      'updatedAt',
    ]);
    expect(body.fields.find((f) => f.key === 'company')).toMatchObject({
      kind: 'relation',
      relation: 'company',
    });
    expect(body.fields.every((f) => f.definitionId === undefined)).toBe(true);
  });

  it('keeps notes about a company, listed by it, searched, and scoped to the organization', async () => {
    const created = await api().post('/api/v1/notes', {
      name: 'Renewal call',
      body: 'They want the enterprise plan next quarter',
      company: companyId,
      pinned: true,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    await api().post('/api/v1/notes', { name: 'Unrelated' });
    const about = await api().get(`/api/v1/notes?filter[company]=${companyId}`);
    expect(about.json<{ data: Array<{ id: string }> }>().data.map((n) => n.id)).toEqual([id]);
    const found = await api().get('/api/v1/notes?q=enterprse');
    expect(found.json<{ data: Array<{ id: string }> }>().data.map((n) => n.id)).toEqual([id]);
    expect((await api(other).get(`/api/v1/notes/${id}`)).statusCode).toBe(404);
    const foreign = await api(other).post('/api/v1/notes', { name: 'x', company: companyId });
    expect(foreign.statusCode).toBe(422);
    expect(errorOf(foreign).details).toEqual([expect.objectContaining({ path: 'company' })]);
  });

  it("cannot be renamed, removed or shadowed, but takes an admin's custom fields", async () => {
    expect((await api().delete('/api/v1/objects/note')).statusCode).toBe(409);
    const renamed = await api().patch('/api/v1/objects/note', {
      labels: { singular: 'Memo', plural: 'Memos' },
    });
    expect(renamed.statusCode).toBe(409);
    const shadow = await api().post('/api/v1/objects', {
      key: 'note',
      labels: { singular: 'Note', plural: 'Jottings' },
    });
    expect(shadow.statusCode).toBe(409);
    const field = await api().post('/api/v1/custom-fields', {
      objectType: 'note',
      key: 'mood',
      label: 'Mood',
      type: 'select',
      options: { choices: ['good', 'bad'] },
    });
    expect(field.statusCode, field.body).toBe(201);
    const note = await api().post('/api/v1/notes', { name: 'Happy', mood: 'good' });
    expect(note.statusCode, note.body).toBe(201);
    expect(note.json<{ mood: string }>().mood).toBe('good');
  });
});
