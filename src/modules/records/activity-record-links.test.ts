import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';

interface Link {
  objectType: string;
  recordId: string;
}
interface ActivityBody {
  id: string;
  version: number;
  links: Link[];
  contactId: string | null;
  dealId: string | null;
}

/** Activities link to records of any object with a timeline through `links` (issue 12). */
describe('activity links to any object', () => {
  let t: TestApp;
  let admin: TestUser;
  let other: TestUser;
  let projectId: string;
  let foreignProjectId: string;

  const api = (u: TestUser = admin) => client(t.app, u.token);
  const created = async <T = { id: string; version: number }>(
    path: string,
    body: Record<string, unknown>,
    u: TestUser = admin,
  ): Promise<T> => {
    const res = await api(u).post(path, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<T>();
  };
  const listIds = async (query: string, u: TestUser = admin) => {
    const res = await api(u).get(`/api/v1/activities?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().data as Array<{ id: string }>).map((a) => a.id);
  };
  const defineProject = (u: TestUser) =>
    created(
      '/api/v1/objects',
      {
        key: 'project',
        labels: { singular: 'Project', plural: 'Projects' },
        fields: [{ key: 'budget', label: 'Budget', type: 'number' }],
      },
      u,
    );

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Linked');
    other = await registerOrganization(t.app, 'Other');
    await defineProject(admin);
    await defineProject(other);
    projectId = (await created('/api/v1/projects', { name: 'Rollout' })).id;
    foreignProjectId = (await created('/api/v1/projects', { name: 'Theirs' }, other)).id;
  });
  afterAll(() => t.close());

  it('describes custom objects and notes with a timeline', async () => {
    const objects = (await api().get('/api/v1/objects')).json().data as Array<{
      key: string;
      capabilities: { timeline: boolean };
    }>;
    expect(objects.find((o) => o.key === 'project')?.capabilities.timeline).toBe(true);
    expect(objects.find((o) => o.key === 'note')?.capabilities.timeline).toBe(true);
  });

  it("shows an activity linked to a custom object's record in its list and on its timeline", async () => {
    const contact = await created('/api/v1/contacts', { firstName: 'Pia', lastName: 'Link' });
    const task = await created<ActivityBody>('/api/v1/activities', {
      type: 'task',
      subject: 'Kick-off',
      links: [{ objectType: 'project', recordId: projectId }],
      contactId: contact.id,
    });
    expect(task.links).toEqual(
      expect.arrayContaining([
        { objectType: 'project', recordId: projectId },
        { objectType: 'contact', recordId: contact.id },
      ]),
    );
    expect(task.links).toHaveLength(2);
    expect(task.contactId).toBe(contact.id);
    const unrelated = await created('/api/v1/activities', { type: 'note', subject: 'Elsewhere' });

    expect(await listIds(`filter[linkedTo]=project:${projectId}`)).toEqual([task.id]);
    expect(
      await listIds(`filter[linkedTo][in]=project:${projectId},contact:${contact.id}`),
    ).toEqual([task.id]);
    expect(await listIds(`filter[linkedTo]=contact:${contact.id}`)).toEqual([task.id]);
    expect(await listIds('limit=200')).toContain(unrelated.id);

    const timeline = await api().get(`/api/v1/projects/${projectId}/timeline`);
    expect(timeline.statusCode, timeline.body).toBe(200);
    const entries = timeline.json().data as Array<{
      id: string;
      kind: string;
      data: { subject?: string };
    }>;
    expect(entries.filter((e) => e.kind === 'activity').map((e) => e.id)).toEqual([task.id]);
    expect(entries.find((e) => e.id === task.id)?.data.subject).toBe('Kick-off');
    // The record's own creation is in its history too.
    expect(entries.some((e) => e.kind === 'change')).toBe(true);
    // Another organization sees none of it, even naming the ids.
    expect(await listIds(`filter[linkedTo]=project:${projectId}`, other)).toEqual([]);
    expect((await api(other).get(`/api/v1/projects/${projectId}/timeline`)).statusCode).toBe(404);
  });

  it('replaces every link with `links` on update, a named field still winning for its type', async () => {
    const deal = await created('/api/v1/deals', { name: 'Linked deal' });
    const note = await created<ActivityBody>('/api/v1/activities', {
      type: 'note',
      subject: 'Moving',
      dealId: deal.id,
    });
    const moved = await api().patch(`/api/v1/activities/${note.id}`, {
      links: [{ objectType: 'project', recordId: projectId }],
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json<ActivityBody>()).toMatchObject({
      dealId: null,
      links: [{ objectType: 'project', recordId: projectId }],
    });
    const both = await api().patch(`/api/v1/activities/${note.id}`, {
      links: [],
      dealId: deal.id,
    });
    expect(both.json<ActivityBody>().links).toEqual([{ objectType: 'deal', recordId: deal.id }]);
    expect(await listIds(`filter[linkedTo]=project:${projectId}&filter[type]=note`)).not.toContain(
      note.id,
    );
  });

  it('answers 422 naming the link for a foreign, missing or unlinkable record', async () => {
    const foreign = await api().post('/api/v1/activities', {
      type: 'note',
      subject: 'Foreign',
      links: [
        { objectType: 'project', recordId: projectId },
        { objectType: 'project', recordId: foreignProjectId },
      ],
    });
    expect(foreign.statusCode).toBe(422);
    expect(errorOf(foreign).details).toEqual([
      { path: 'links.1.recordId', message: 'no such project in this organization' },
    ]);
    const missing = await api().post('/api/v1/activities', {
      type: 'call',
      subject: 'Missing',
      links: [{ objectType: 'contact', recordId: '01900000-0000-7000-8000-000000000000' }],
    });
    expect(errorOf(missing).details?.map((d) => d.path)).toEqual(['links.0.recordId']);
    const unknown = await api().post('/api/v1/activities', {
      type: 'call',
      subject: 'Unknown object',
      links: [
        { objectType: 'rocket', recordId: projectId },
        { objectType: 'activity', recordId: projectId },
      ],
    });
    expect(unknown.statusCode).toBe(422);
    expect(errorOf(unknown).details?.map((d) => d.path)).toEqual([
      'links.0.objectType',
      'links.1.objectType',
    ]);
    const malformed = await api().post('/api/v1/activities', {
      type: 'call',
      subject: 'Bad',
      links: [{ objectType: 'project', recordId: 'nope' }],
    });
    expect(malformed.statusCode).toBe(400);
    expect(errorOf(malformed).details?.[0]?.path).toBe('links.0.recordId');
    // Nothing was written by the refused requests.
    expect(await listIds(`filter[linkedTo]=project:${projectId}&filter[type]=call`)).toEqual([]);
  });

  it("refuses a link to a record of an object the user may not read, as if it didn't exist", async () => {
    const role = await api().post('/api/v1/roles', {
      key: 'logger',
      name: 'Logger',
      permissions: [
        { permission: 'activities:read', scope: 'all' },
        { permission: 'activities:create', scope: 'all' },
        { permission: 'contacts:read', scope: 'all' },
      ],
    });
    expect(role.statusCode, role.body).toBe(201);
    const logger = await addUser(t.app, admin, 'logger');
    const res = await api(logger).post('/api/v1/activities', {
      type: 'note',
      subject: 'Sneaky',
      links: [{ objectType: 'project', recordId: projectId }],
    });
    expect(res.statusCode).toBe(422);
    expect(errorOf(res).details).toEqual([
      { path: 'links.0.recordId', message: 'no such project in this organization' },
    ]);
    expect((await api(logger).get(`/api/v1/projects/${projectId}/timeline`)).statusCode).toBe(403);
  });

  it('refuses a malformed linkedTo filter naming the parameter', async () => {
    const bad = await api().get('/api/v1/activities?filter[linkedTo]=project');
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).details?.[0]?.path).toBe('filter[linkedTo]');
    const op = await api().get(
      `/api/v1/activities?filter[linkedTo][contains]=project:${projectId}`,
    );
    expect(op.statusCode).toBe(400);
    expect(errorOf(op).details?.[0]?.path).toBe('filter[linkedTo][contains]');
  });

  it("links to a kernel object's record (a note) the same way", async () => {
    const noteRecord = await created('/api/v1/notes', {
      name: 'Pricing notes',
      body: 'Ask for 10%',
    });
    const call = await created('/api/v1/activities', {
      type: 'call',
      subject: 'About the note',
      status: 'done',
      links: [{ objectType: 'note', recordId: noteRecord.id }],
    });
    expect(await listIds(`filter[linkedTo]=note:${noteRecord.id}`)).toEqual([call.id]);
    const timeline = (await api().get(`/api/v1/notes/${noteRecord.id}/timeline`)).json()
      .data as Array<{
      id: string;
    }>;
    expect(timeline.map((e) => e.id)).toContain(call.id);
  });
});
