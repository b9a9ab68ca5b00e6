import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  createTeam,
  registerOrganization,
  type TestUser,
} from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';

const HOUR = 3_600_000;
const at = (offsetHours: number) => new Date(Date.now() + offsetHours * HOUR).toISOString();

describe('GET /activities as a task list: assignee=me|team with the due and status filters', () => {
  let t: TestApp;
  let admin: TestUser;
  let rep: TestUser;
  let teammate: TestUser;
  let outsider: TestUser;

  const subjects = async (u: TestUser, query: string) => {
    const res = await client(t.app, u.token).get(`/api/v1/activities?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().data as Array<{ subject: string }>).map((a) => a.subject).sort();
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Tasks');
    rep = await addUser(t.app, admin, 'sales_rep');
    teammate = await addUser(t.app, admin, 'sales_rep');
    outsider = await addUser(t.app, admin, 'sales_rep');
    await createTeam(t.app, admin, 'East', [{ userId: rep.userId }, { userId: teammate.userId }]);
    const api = client(t.app, admin.token);
    const tasks = [
      { subject: 'rep overdue', assigneeId: rep.userId, dueAt: at(-30) },
      { subject: 'rep soon', assigneeId: rep.userId, dueAt: at(2) },
      { subject: 'rep undated', assigneeId: rep.userId },
      { subject: 'rep finished', assigneeId: rep.userId, dueAt: at(-5), status: 'done' },
      { subject: 'teammate overdue', assigneeId: teammate.userId, dueAt: at(-30) },
      { subject: 'outsider overdue', assigneeId: outsider.userId, dueAt: at(-30) },
      { subject: 'admin overdue', assigneeId: admin.userId, dueAt: at(-30) },
    ];
    for (const task of tasks) {
      const res = await api.post('/api/v1/activities', { type: 'task', ...task });
      expect(res.statusCode, res.body).toBe(201);
    }
    // A call is an activity but not a task: the type filter keeps it off task lists.
    await api.post('/api/v1/activities', {
      type: 'call',
      subject: 'rep call',
      assigneeId: rep.userId,
    });
  });
  afterAll(() => t.close());

  it("assignee=me keeps the caller's own, even where the scope shows a teammate's", async () => {
    expect(await subjects(rep, 'filter[type]=task')).toEqual([
      'rep finished',
      'rep overdue',
      'rep soon',
      'rep undated',
      'teammate overdue',
    ]);
    expect(await subjects(rep, 'filter[type]=task&assignee=me')).toEqual([
      'rep finished',
      'rep overdue',
      'rep soon',
      'rep undated',
    ]);
  });

  it('combines with the due and status filters: overdue, upcoming, undated, done', async () => {
    const now = encodeURIComponent(new Date().toISOString());
    const open = 'filter[type]=task&filter[status]=open&assignee=me';
    expect(await subjects(rep, `${open}&filter[dueAt][lt]=${now}`)).toEqual(['rep overdue']);
    expect(await subjects(rep, `${open}&filter[dueAt][gte]=${now}`)).toEqual(['rep soon']);
    expect(await subjects(rep, `${open}&filter[dueAt][isNull]=true`)).toEqual(['rep undated']);
    expect(await subjects(rep, 'filter[type]=task&filter[status]=done&assignee=me')).toEqual([
      'rep finished',
    ]);
  });

  it("assignee=team keeps the caller's teams and never widens the read scope", async () => {
    const overdue = `filter[type]=task&filter[dueAt][lt]=${encodeURIComponent(at(-24))}`;
    expect(await subjects(rep, `${overdue}&assignee=team`)).toEqual([
      'rep overdue',
      'teammate overdue',
    ]);
    // The admin reads everything but belongs to no team: "team" is the admin alone.
    expect(await subjects(admin, overdue)).toHaveLength(4);
    expect(await subjects(admin, `${overdue}&assignee=team`)).toEqual(['admin overdue']);
  });

  it("answers another organization's caller with none of these tasks", async () => {
    const other = await registerOrganization(t.app, 'Elsewhere');
    expect(await subjects(other, 'filter[type]=task')).toEqual([]);
    expect(await subjects(other, 'filter[type]=task&assignee=team')).toEqual([]);
  });

  it('refuses a bad assignee, status or due date with a 400 naming the parameter', async () => {
    const api = client(t.app, rep.token);
    for (const [query, path] of [
      ['assignee=everyone', 'assignee'],
      ['filter[status]=pending', 'filter[status]'],
      ['filter[dueAt][lt]=tomorrow', 'filter[dueAt][lt]'],
      ['filter[dueAt][isNull]=maybe', 'filter[dueAt][isNull]'],
    ] as const) {
      const res = await api.get(`/api/v1/activities?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(errorOf(res).details?.map((d) => d.path)).toContain(path);
    }
  });

  it('answers 401 without a token and 403 to a role that may not read activities', async () => {
    expect((await client(t.app).get('/api/v1/activities?assignee=me')).statusCode).toBe(401);
    const marketer = await addUser(t.app, admin, 'marketing_specialist');
    const res = await client(t.app, marketer.token).get('/api/v1/activities?assignee=me');
    expect(res.statusCode).toBe(403);
  });
});
