import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  createTeam,
  registerOrganization,
  type TestUser,
} from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';

/**
 * Who sees and changes which ticket: support agents work their own and their team's tickets
 * (including the team's unassigned queue) and delete only their own; sales roles read and raise
 * their team's; roles without a ticket grant get 403.
 */
describe('ticket scopes and roles', () => {
  let t: TestApp;
  let admin: TestUser;
  let tier1: TestUser;
  let tier1b: TestUser;
  let tier2: TestUser;
  let rep: TestUser;
  let marketer: TestUser;
  let tier1Team: string;
  let tier2Team: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Helpdesk');
    tier1 = await addUser(t.app, admin, 'support_agent', { name: 'Tia One' });
    tier1b = await addUser(t.app, admin, 'support_agent', { name: 'Theo One' });
    tier2 = await addUser(t.app, admin, 'support_agent', { name: 'Tom Two' });
    rep = await addUser(t.app, admin, 'sales_rep');
    marketer = await addUser(t.app, admin, 'marketing_specialist');
    tier1Team = await createTeam(t.app, admin, 'Tier 1', [
      { userId: tier1.userId },
      { userId: tier1b.userId },
      { userId: rep.userId },
    ]);
    tier2Team = await createTeam(t.app, admin, 'Tier 2', [{ userId: tier2.userId }]);
  });
  afterAll(() => t.close());

  const api = (u: TestUser) => client(t.app, u.token);
  const create = async (u: TestUser, body: Record<string, unknown>) => {
    const res = await api(u).post('/api/v1/tickets', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; number: number; ownerId: string | null; version: number }>();
  };
  const idsIn = async (u: TestUser, query = '') =>
    (
      (await api(u).get(`/api/v1/tickets?limit=200${query}`)).json().data as Array<{ id: string }>
    ).map((x) => x.id);

  it("lets teammates read and work each other's tickets and hides them from other teams with 404", async () => {
    const mine = await create(tier1, { subject: 'Mouse broken' });
    expect(mine.ownerId).toBe(tier1.userId);
    expect((await api(tier1b).get(`/api/v1/tickets/${mine.id}`)).statusCode).toBe(200);
    expect(
      (await api(tier1b).patch(`/api/v1/tickets/${mine.id}`, { status: 'open' })).statusCode,
    ).toBe(200);
    expect(await idsIn(tier1b)).toContain(mine.id);
    for (const res of [
      await api(tier2).get(`/api/v1/tickets/${mine.id}`),
      await api(tier2).patch(`/api/v1/tickets/${mine.id}`, { status: 'solved' }),
      await api(tier2).delete(`/api/v1/tickets/${mine.id}`),
    ])
      expect(res.statusCode).toBe(404);
    expect(await idsIn(tier2)).not.toContain(mine.id);
    expect((await api(tier2).get('/api/v1/search?q=Mouse&types=tickets')).json().data).toEqual([]);
    expect(
      (await api(tier1b).get('/api/v1/search?q=Mouse&types=tickets'))
        .json()
        .data.map((h: { id: string }) => h.id),
    ).toEqual([mine.id]);
  });

  it("shows a team's unassigned queue to its members only", async () => {
    const queued = await create(admin, {
      subject: 'Waiting in tier 2',
      ownerId: null,
      teamId: tier2Team,
    });
    expect(queued.ownerId).toBeNull();
    expect(await idsIn(tier2, `&filter[teamId]=${tier2Team}&filter[ownerId][isNull]=true`)).toEqual(
      [queued.id],
    );
    expect((await api(tier2).get(`/api/v1/tickets/${queued.id}`)).statusCode).toBe(200);
    expect(await idsIn(tier1)).not.toContain(queued.id);
    expect((await api(tier1).get(`/api/v1/tickets/${queued.id}`)).statusCode).toBe(404);
    // Taking it from the queue makes it the agent's own.
    const taken = await api(tier2).patch(
      `/api/v1/tickets/${queued.id}`,
      { ownerId: tier2.userId },
      { 'if-match': String(queued.version) },
    );
    expect(taken.statusCode, taken.body).toBe(200);
  });

  it("refuses to create or reassign tickets outside the actor's scope with 403", async () => {
    const stranger = await api(tier1).post('/api/v1/tickets', {
      subject: 'For tier 2',
      ownerId: tier2.userId,
    });
    expect(stranger.statusCode).toBe(403);
    expect(errorOf(stranger).code).toBe('FORBIDDEN');
    const orphan = await api(tier1).post('/api/v1/tickets', { subject: "Nobody's", ownerId: null });
    expect(orphan.statusCode).toBe(403);
    expect(
      (
        await api(tier1).post('/api/v1/tickets', {
          subject: 'Our queue',
          ownerId: null,
          teamId: tier1Team,
        })
      ).statusCode,
    ).toBe(201);
    const mine = await create(tier1, { subject: 'Hand over' });
    expect(
      (await api(tier1).patch(`/api/v1/tickets/${mine.id}`, { ownerId: tier2.userId })).statusCode,
    ).toBe(403);
    expect(
      (await api(tier1).patch(`/api/v1/tickets/${mine.id}`, { ownerId: tier1b.userId })).statusCode,
    ).toBe(200);
    expect((await api(tier1).get(`/api/v1/tickets/${mine.id}`)).json().ownerId).toBe(tier1b.userId);
  });

  it('lets agents delete only their own tickets', async () => {
    const theirs = await create(tier1b, { subject: "Theo's" });
    const denied = await api(tier1).delete(`/api/v1/tickets/${theirs.id}`);
    expect(denied.statusCode).toBe(403);
    expect(errorOf(denied).code).toBe('FORBIDDEN');
    expect((await api(tier1b).delete(`/api/v1/tickets/${theirs.id}`)).statusCode).toBe(204);
  });

  it("lets sales reps raise and read their team's tickets but not work them, and keeps roles without grants out", async () => {
    const raised = await create(rep, { subject: 'Customer cannot log in' });
    expect((await api(tier1).get(`/api/v1/tickets/${raised.id}`)).statusCode).toBe(200);
    const edit = await api(rep).patch(`/api/v1/tickets/${raised.id}`, { status: 'solved' });
    expect(edit.statusCode).toBe(403);
    expect((await api(rep).get(`/api/v1/tickets/${raised.id}`)).json().status).toBe('new');
    for (const res of [
      await api(marketer).get('/api/v1/tickets'),
      await api(marketer).post('/api/v1/tickets', { subject: 'Nope' }),
      await api(marketer).get(`/api/v1/tickets/${raised.id}`),
    ]) {
      expect(res.statusCode).toBe(403);
      expect(errorOf(res).code).toBe('FORBIDDEN');
    }
  });

  it('tells a person when a ticket is handed to them, not when they take it themselves', async () => {
    const unread = async (u: TestUser) =>
      (await api(u).get('/api/v1/notifications')).json().data as Array<{
        title: string;
        link: string | null;
      }>;
    const self = await create(tier2, { subject: 'Mine anyway' });
    const handed = await create(admin, { subject: 'Over to you', ownerId: tier2.userId });
    await t.deps.outbox.drain();
    const notes = await unread(tier2);
    expect(notes.map((n) => n.link)).toContain(`/tickets/${handed.id}`);
    expect(notes.find((n) => n.link === `/tickets/${handed.id}`)?.title).toBe(
      `A ticket was assigned to you: #${handed.number} Over to you`,
    );
    expect(notes.map((n) => n.link)).not.toContain(`/tickets/${self.id}`);
  });

  it('explains access to a ticket by its assignee and team', async () => {
    const queued = await create(admin, { subject: 'Explain me', ownerId: null, teamId: tier1Team });
    const res = await api(admin).get(
      `/api/v1/access/explain?userId=${tier1.userId}&resource=tickets&id=${queued.id}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const decisions = res.json().decisions as Array<{ action: string; allowed: boolean }>;
    expect(Object.fromEntries(decisions.map((d) => [d.action, d.allowed]))).toEqual({
      read: true,
      create: true,
      update: true,
      delete: false,
      // Agents export their team's tickets (tickets:export, team scope).
      export: true,
    });
  });
});
