import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  createTeam,
  registerOrganization,
  type TestUser,
} from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';

/** Saved views shared privately, with a team, or with everyone (issue 13). */
describe('saved view visibility', () => {
  let t: TestApp;
  let admin: TestUser;
  let rep: TestUser;
  let teammate: TestUser;
  let marketer: TestUser;
  let otherTeam: TestUser;
  let teamId: string;
  let otherTeamId: string;
  let foreignAdmin: TestUser;
  let foreignTeamId: string;
  const api = (u: TestUser) => client(t.app, u.token);
  const names = async (u: TestUser) =>
    (await api(u).get('/api/v1/views?objectType=contact'))
      .json<{ data: Array<{ name: string }> }>()
      .data.map((v) => v.name);
  const save = (u: TestUser, body: Record<string, unknown>) =>
    api(u).post('/api/v1/views', { objectType: 'contact', ...body });

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Views');
    rep = await addUser(t.app, admin, 'sales_rep');
    teammate = await addUser(t.app, admin, 'sales_rep');
    // Reads contacts but may not update them.
    marketer = await addUser(t.app, admin, 'marketing_specialist');
    otherTeam = await addUser(t.app, admin, 'sales_rep');
    teamId = await createTeam(t.app, admin, 'Inbound', [
      { userId: rep.userId },
      { userId: teammate.userId },
      { userId: marketer.userId },
    ]);
    otherTeamId = await createTeam(t.app, admin, 'Outbound', [{ userId: otherTeam.userId }]);
    foreignAdmin = await registerOrganization(t.app, 'Foreign views');
    foreignTeamId = await createTeam(t.app, foreignAdmin, 'Foreign team', []);
  });
  afterAll(() => t.close());

  it('shares a team view with its members only', async () => {
    const res = await save(rep, { name: 'Inbound hot', visibility: 'team', teamId });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ visibility: 'team', teamId, shared: false });
    expect(await names(teammate)).toContain('Inbound hot');
    expect(await names(marketer)).toContain('Inbound hot');
    expect(await names(otherTeam)).not.toContain('Inbound hot');
    // An admin outside the team lists only their own, their teams' and everyone's views.
    expect(await names(admin)).not.toContain('Inbound hot');
    expect(await names(foreignAdmin)).toEqual([]);
  });

  it('keeps a private view to its owner', async () => {
    expect((await save(rep, { name: 'Mine only' })).json().visibility).toBe('private');
    expect(await names(rep)).toContain('Mine only');
    expect(await names(teammate)).not.toContain('Mine only');
  });

  it('lets only team members who may update the object share with their team', async () => {
    const notMine = await save(otherTeam, { name: 'Sneaky', visibility: 'team', teamId });
    expect(notMine.statusCode).toBe(403);
    const readOnly = await save(marketer, { name: 'Marketing', visibility: 'team', teamId });
    expect(readOnly.statusCode).toBe(403);
    const byAdmin = await save(admin, { name: 'Set by admin', visibility: 'team', teamId });
    expect(byAdmin.statusCode, byAdmin.body).toBe(201);
    expect(await names(rep)).toContain('Set by admin');
  });

  it('refuses a team that is missing, foreign, or not named, naming the field', async () => {
    const foreign = await save(admin, { name: 'F', visibility: 'team', teamId: foreignTeamId });
    expect(foreign.statusCode).toBe(422);
    expect(errorOf(foreign).details?.[0]?.path).toBe('teamId');
    const unnamed = await save(rep, { name: 'U', visibility: 'team' });
    expect(unnamed.statusCode).toBe(400);
    expect(errorOf(unnamed).details?.[0]?.path).toBe('teamId');
    const stray = await save(rep, { name: 'S', visibility: 'private', teamId });
    expect(errorOf(stray).details?.[0]?.path).toBe('teamId');
    const clash = await save(admin, { name: 'C', visibility: 'team', teamId, shared: true });
    expect(clash.statusCode).toBe(400);
    expect(errorOf(clash).details?.[0]?.path).toBe('shared');
    const bad = await save(rep, { name: 'B', visibility: 'friends' });
    expect(errorOf(bad).details?.[0]?.path).toBe('visibility');
  });

  it('shares with everyone for admins only, by visibility or the older shared flag', async () => {
    expect((await save(rep, { name: 'All', visibility: 'everyone' })).statusCode).toBe(403);
    expect((await save(rep, { name: 'All', shared: true })).statusCode).toBe(403);
    const res = await save(admin, { name: 'Everyone sees', shared: true });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ visibility: 'everyone', teamId: null, shared: true });
    expect(await names(otherTeam)).toContain('Everyone sees');
    expect(await names(foreignAdmin)).not.toContain('Everyone sees');
    const back = await api(admin).patch(`/api/v1/views/${res.json().id}`, { shared: false });
    expect(back.json()).toMatchObject({ visibility: 'private', shared: false });
    expect(await names(otherTeam)).not.toContain('Everyone sees');
  });

  it("lets the team's editors change a team view, but not whom it is shared with", async () => {
    const view = (await save(rep, { name: 'Team edit', visibility: 'team', teamId })).json();
    const url = `/api/v1/views/${view.id}`;
    const renamed = await api(teammate).patch(url, { name: 'Team edited' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Team edited', visibility: 'team', teamId });
    expect((await api(teammate).patch(url, { visibility: 'private' })).statusCode).toBe(403);
    expect((await api(marketer).patch(url, { name: 'Nope' })).statusCode).toBe(403);
    expect((await api(otherTeam).patch(url, { name: 'Nope' })).statusCode).toBe(404);
    expect((await api(foreignAdmin).patch(url, { name: 'Nope' })).statusCode).toBe(404);
    // The owner moves it to another team only where they may share it.
    expect((await api(rep).patch(url, { teamId: otherTeamId })).statusCode).toBe(403);
    const moved = await api(admin).patch(url, { teamId: otherTeamId });
    expect(moved.json()).toMatchObject({ visibility: 'team', teamId: otherTeamId });
    expect(await names(otherTeam)).toContain('Team edited');
    expect(await names(teammate)).not.toContain('Team edited');
    expect((await api(otherTeam).delete(url)).statusCode).toBe(204);
    expect(await names(rep)).not.toContain('Team edited');
  });

  it('hides a private view from everyone else, admins included', async () => {
    const view = (await save(rep, { name: 'Secret' })).json();
    const url = `/api/v1/views/${view.id}`;
    expect((await api(teammate).patch(url, { name: 'x' })).statusCode).toBe(404);
    expect((await api(admin).delete(url)).statusCode).toBe(404);
    expect((await api(rep).delete(url)).statusCode).toBe(204);
  });
});
