import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  createTeam,
  registerOrganization,
  type TestUser,
} from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';

describe('organization administration', () => {
  let t: TestApp;
  let admin: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Admin');
    other = await registerOrganization(t.app, 'Other');
  });
  afterAll(() => t.close());
  const api = (u: TestUser = admin) => client(t.app, u.token);

  it('invites a user with a role into a team and lets them in', async () => {
    const team = (await api().post('/api/v1/teams', { name: 'Inbound' })).json();
    const rep = await addUser(t.app, admin, 'sales_rep', { teamId: team.id, name: 'Rita Rep' });
    const me = (await api(rep).get('/api/v1/auth/me')).json();
    expect(me.user.name).toBe('Rita Rep');
    expect(me.roles.map((r: { key: string }) => r.key)).toEqual(['sales_rep']);
    expect(
      (await api().get(`/api/v1/teams/${team.id}`))
        .json()
        .members.map((m: { userId: string }) => m.userId),
    ).toEqual([rep.userId]);
    expect(
      (
        await api(rep).post('/api/v1/users/invitations', {
          email: 'x@example.com',
          roleId: me.roles[0].id,
        })
      ).statusCode,
    ).toBe(403);
    const invites = (await api().get('/api/v1/users/invitations')).json().data;
    expect(invites.find((i: { email: string }) => i.email === rep.email).acceptedAt).not.toBeNull();
    const bad = await api().post('/api/v1/users/invitations', {
      email: 'y@example.com',
      roleId: '0190a000-0000-7000-8000-000000000001',
    });
    expect(bad.statusCode).toBe(422);
    expect(errorOf(bad).details?.[0]?.path).toBe('roleId');
    expect(
      (
        await api().post('/api/v1/users/invitations', {
          email: admin.email,
          roleId: me.roles[0].id,
        })
      ).statusCode,
    ).toBe(409);
  });

  it("keeps the last admin and hides other organizations' users", async () => {
    const roles = (await api().get('/api/v1/roles')).json().data as Array<{
      id: string;
      key: string;
    }>;
    const repRole = roles.find((r) => r.key === 'sales_rep');
    const demote = await api().patch(`/api/v1/users/${admin.userId}`, { roleIds: [repRole?.id] });
    expect(demote.statusCode).toBe(422);
    expect(errorOf(demote).code).toBe('IDENTITY_LAST_ADMIN');
    expect(
      (await api().patch(`/api/v1/users/${admin.userId}`, { status: 'disabled' })).statusCode,
    ).toBe(422);
    expect((await api(other).get(`/api/v1/users/${admin.userId}`)).statusCode).toBe(404);
    expect(
      (await api(other).patch(`/api/v1/users/${admin.userId}`, { name: 'x' })).statusCode,
    ).toBe(404);
    expect(
      (await api(other).get('/api/v1/users')).json().data.map((u: { id: string }) => u.id),
    ).toEqual([other.userId]);
  });

  it('disabling a user ends their sessions at once', async () => {
    const rep = await addUser(t.app, admin, 'sales_rep');
    expect((await api(rep).get('/api/v1/auth/me')).statusCode).toBe(200);
    expect(
      (await api().patch(`/api/v1/users/${rep.userId}`, { status: 'disabled' })).json().status,
    ).toBe('disabled');
    expect((await api(rep).get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('edits roles as data, validated against the catalog, and applies them at once', async () => {
    const created = await api().post('/api/v1/roles', {
      key: 'auditor',
      name: 'Auditor',
      permissions: [{ permission: 'audit:read', scope: 'all' }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const bad = await api().post('/api/v1/roles', {
      key: 'broken',
      name: 'Broken',
      permissions: [{ permission: 'rockets:launch', scope: 'all' }],
    });
    expect(errorOf(bad).details?.[0]?.path).toBe('permissions.0.permission');
    const rep = await addUser(t.app, admin, 'sales_rep');
    expect((await api(rep).get('/api/v1/audit-log')).statusCode).toBe(403);
    await api().patch(`/api/v1/users/${rep.userId}`, { roleIds: [created.json().id] });
    expect((await api(rep).get('/api/v1/audit-log')).statusCode).toBe(200);
    const adminRole = (await api().get('/api/v1/roles'))
      .json()
      .data.find((r: { key: string }) => r.key === 'admin');
    expect(
      (await api().patch(`/api/v1/roles/${adminRole.id}`, { permissions: [] })).statusCode,
    ).toBe(422);
    expect((await api().delete(`/api/v1/roles/${created.json().id}`)).statusCode).toBe(409);
  });

  it('explains access by role, permission and scope', async () => {
    const rep = await addUser(t.app, admin, 'sales_rep');
    const manager = await addUser(t.app, admin, 'sales_manager');
    const mate = await addUser(t.app, admin, 'sales_rep');
    await createTeam(t.app, admin, 'Explainers', [
      { userId: manager.userId, isManager: true },
      { userId: mate.userId },
    ]);
    const explain = async (userId: string, id: string) =>
      (await api().get(`/api/v1/access/explain?userId=${userId}&resource=users&id=${id}`)).json();
    const forRep = await explain(rep.userId, mate.userId);
    expect(forRep.decisions.find((d: { action: string }) => d.action === 'read')).toMatchObject({
      allowed: true,
      role: 'sales_rep',
      scope: 'all',
    });
    expect(forRep.decisions.find((d: { action: string }) => d.action === 'update')).toMatchObject({
      allowed: false,
      reason: 'no role grants users:update',
    });
    const contacts = (
      await api().get(`/api/v1/access/explain?userId=${manager.userId}&resource=contacts`)
    ).json();
    expect(contacts.decisions.find((d: { action: string }) => d.action === 'delete')).toMatchObject(
      { allowed: true, scope: 'team', role: 'sales_manager' },
    );
    expect(
      (await api().get(`/api/v1/access/explain?userId=${rep.userId}&resource=spaceships`))
        .statusCode,
    ).toBe(400);
    expect(
      (await api(other).get(`/api/v1/access/explain?userId=${rep.userId}&resource=users`))
        .statusCode,
    ).toBe(404);
    expect(
      (await api(rep).get(`/api/v1/access/explain?userId=${rep.userId}&resource=users`)).statusCode,
    ).toBe(403);
  });

  it('issues API keys limited to their scopes and revocable', async () => {
    const bad = await api().post('/api/v1/api-keys', {
      name: 'Too much',
      scopes: ['rockets:launch'],
    });
    expect(errorOf(bad).details?.[0]?.path).toBe('scopes.0');
    const res = await api().post('/api/v1/api-keys', { name: 'Zapier', scopes: ['users:read'] });
    expect(res.statusCode).toBe(201);
    const key = res.json();
    expect(key.secret).toMatch(/^crb_[a-z0-9]{12}_/);
    const byKey = client(t.app, key.secret);
    expect((await byKey.get('/api/v1/users')).statusCode).toBe(200);
    expect((await byKey.post('/api/v1/teams', { name: 'Nope' })).statusCode).toBe(403);
    const listed = (await api().get('/api/v1/api-keys')).json().data;
    expect(JSON.stringify(listed)).not.toContain(key.secret.slice('crb_'.length + 13));
    const explained = (
      await api().get(`/api/v1/access/explain?apiKeyId=${key.id}&resource=teams`)
    ).json();
    expect(explained.subject.type).toBe('api_key');
    expect(explained.decisions.every((d: { allowed: boolean }) => !d.allowed)).toBe(true);
    expect((await api().delete(`/api/v1/api-keys/${key.id}`)).statusCode).toBe(204);
    expect((await byKey.get('/api/v1/users')).statusCode).toBe(401);
    expect(
      (await client(t.app, `${key.secret.slice(0, -2)}xx`).get('/api/v1/users')).statusCode,
    ).toBe(401);
  });

  it('records every mutation in a verifiable audit log', async () => {
    await api().post('/api/v1/teams', { name: 'Audited' });
    const log = (await api().get('/api/v1/audit-log?limit=200')).json();
    const actions = log.data.map((e: { action: string }) => e.action);
    for (const a of [
      'organization.created',
      'user.invited',
      'invitation.accepted',
      'role.created',
      'team.created',
      'api_key.created',
      'api_key.revoked',
      'user.updated',
    ])
      expect(actions).toContain(a);
    expect(JSON.stringify(log)).not.toMatch(/password_hash|secret_hash|\$argon2/);
    const teamsOnly = (await api().get('/api/v1/audit-log?filter[action]=team.*')).json().data;
    expect(teamsOnly.every((e: { action: string }) => e.action.startsWith('team.'))).toBe(true);
    expect((await api().get('/api/v1/audit-log/verify')).json()).toMatchObject({
      valid: true,
      brokenAt: null,
    });
    const page = (await api().get('/api/v1/audit-log?limit=3')).json();
    const next = (
      await api().get(`/api/v1/audit-log?limit=3&cursor=${page.meta.nextCursor}`)
    ).json();
    expect(next.data[0].seq).toBeLessThan(page.data[2].seq);
  });
});
