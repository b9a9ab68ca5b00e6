import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  createTeam,
  registerOrganization,
  type TestUser,
} from '../../../test/factories.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';

describe('record scopes: own, team, all', () => {
  let t: TestApp;
  let admin: TestUser;
  let rep: TestUser;
  let teammate: TestUser;
  let outsider: TestUser;
  let manager: TestUser;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Scopes');
    rep = await addUser(t.app, admin, 'sales_rep');
    teammate = await addUser(t.app, admin, 'sales_rep');
    outsider = await addUser(t.app, admin, 'sales_rep');
    manager = await addUser(t.app, admin, 'sales_manager');
    await createTeam(t.app, admin, 'East', [
      { userId: rep.userId },
      { userId: teammate.userId },
      { userId: manager.userId, isManager: true },
    ]);
    await createTeam(t.app, admin, 'West', [{ userId: outsider.userId }]);
    for (const [name, owner] of [
      ['rep', rep],
      ['teammate', teammate],
      ['outsider', outsider],
    ] as const) {
      const res = await client(t.app, owner.token).post('/api/v1/contacts', {
        firstName: `Owned by ${name}`,
      });
      expect(res.statusCode, res.body).toBe(201);
      ids[name] = res.json().id;
    }
  });
  afterAll(() => t.close());

  const names = async (u: TestUser) =>
    (
      (await client(t.app, u.token).get('/api/v1/contacts?sort=firstName')).json().data as Array<{
        firstName: string;
      }>
    ).map((c) => c.firstName);

  it("shows a rep their own and their team's records only", async () => {
    expect(await names(rep)).toEqual(['Owned by rep', 'Owned by teammate']);
    expect(
      (await client(t.app, rep.token).get(`/api/v1/contacts/${ids.outsider}`)).statusCode,
    ).toBe(404);
    expect((await client(t.app, rep.token).get('/api/v1/search?q=owned')).json().data).toHaveLength(
      2,
    );
  });

  it("lets a rep edit a teammate's record but delete only their own", async () => {
    const api = client(t.app, rep.token);
    expect(
      (await api.patch(`/api/v1/contacts/${ids.teammate}`, { title: 'Edited by rep' })).statusCode,
    ).toBe(200);
    expect((await api.delete(`/api/v1/contacts/${ids.teammate}`)).statusCode).toBe(403);
    expect((await api.patch(`/api/v1/contacts/${ids.outsider}`, { title: 'x' })).statusCode).toBe(
      404,
    );
  });

  it("refuses to hand a record to someone outside the rep's scope", async () => {
    const res = await client(t.app, rep.token).post('/api/v1/contacts', {
      firstName: 'Gift',
      ownerId: outsider.userId,
    });
    expect(res.statusCode).toBe(403);
  });

  it('shows a manager their team, and an admin everything', async () => {
    expect(await names(manager)).toEqual(['Owned by rep', 'Owned by teammate']);
    expect(await names(admin)).toEqual(['Owned by outsider', 'Owned by rep', 'Owned by teammate']);
  });
});
