import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { cachedPrincipalCount } from './principals.js';

// Authenticated requests are answered from each process's resolved principals (principals.ts);
// these tests hold that every change that must end or narrow access does so on the next request,
// in the process that made it and in another process sharing the deployment's cache.

/** Reads /auth/me until it is served from the principal cache (an API key needs two reads to fill it). */
async function warm(t: TestApp, token: string): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const res = await client(t.app, token).get('/api/v1/auth/me');
    expect(res.statusCode, res.body).toBe(200);
  }
}

async function roleOf(t: TestApp, admin: TestUser, key: string) {
  const roles = (await client(t.app, admin.token).get('/api/v1/roles')).json().data as Array<{
    id: string;
    key: string;
    permissions: Array<{ permission: string; scope: string }>;
  }>;
  const role = roles.find((r) => r.key === key);
  if (!role) throw new Error(`no role ${key}`);
  return role;
}

async function createKey(t: TestApp, user: TestUser, scopes: string[]): Promise<string> {
  const res = await client(t.app, user.token).post('/api/v1/api-keys', { name: 'k', scopes });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().secret as string;
}

describe('cached authentication: changes take effect on the next request', () => {
  let t: TestApp;
  let other: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    other = await createTestApp({}, { sameDeploymentAs: t });
  });
  afterAll(async () => {
    await other.close();
    await t.close();
  });

  it('refuses the old access token right after logout', async () => {
    const admin = await registerOrganization(t.app, 'Logout');
    await warm(t, admin.token);
    expect((await client(t.app, admin.token).post('/api/v1/auth/logout')).statusCode).toBe(204);
    const res = await client(t.app, admin.token).get('/api/v1/auth/me');
    expect(res.statusCode).toBe(401);
    expect(errorOf(res).code).toBe('UNAUTHENTICATED');
  });

  it('answers 403 on the next request after the role loses the permission', async () => {
    const admin = await registerOrganization(t.app, 'Narrowed');
    const rep = await addUser(t.app, admin, 'sales_rep');
    expect((await client(t.app, rep.token).get('/api/v1/contacts')).statusCode).toBe(200);
    expect((await client(t.app, rep.token).get('/api/v1/contacts')).statusCode).toBe(200);
    const role = await roleOf(t, admin, 'sales_rep');
    const patched = await client(t.app, admin.token).patch(`/api/v1/roles/${role.id}`, {
      permissions: role.permissions.filter((p) => p.permission !== 'contacts:read'),
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const res = await client(t.app, rep.token).get('/api/v1/contacts');
    expect(res.statusCode).toBe(403);
    expect(errorOf(res).code).toBe('FORBIDDEN');
    const me = (await client(t.app, rep.token).get('/api/v1/auth/me')).json();
    expect(me.permissions.map((p: { permission: string }) => p.permission)).not.toContain(
      'contacts:read',
    );
  });

  it('refuses a disabled user and their API key at once', async () => {
    const admin = await registerOrganization(t.app, 'Disabled');
    const rep = await addUser(t.app, admin, 'admin');
    const key = await createKey(t, rep, ['contacts:read']);
    await warm(t, rep.token);
    await warm(t, key);
    const res = await client(t.app, admin.token).patch(`/api/v1/users/${rep.userId}`, {
      status: 'disabled',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await client(t.app, rep.token).get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await client(t.app, key).get('/api/v1/contacts')).statusCode).toBe(401);
  });

  it('refuses a revoked API key at once, and a wrong secret for a cached key', async () => {
    const admin = await registerOrganization(t.app, 'Revoked');
    const key = await createKey(t, admin, ['contacts:read']);
    await warm(t, key);
    const forged = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await client(t.app, forged).get('/api/v1/auth/me')).statusCode).toBe(401);
    const keys = (await client(t.app, admin.token).get('/api/v1/api-keys')).json().data;
    const del = await client(t.app, admin.token).delete(`/api/v1/api-keys/${keys[0].id}`);
    expect(del.statusCode, del.body).toBe(204);
    const res = await client(t.app, key).get('/api/v1/auth/me');
    expect(res.statusCode).toBe(401);
  });

  it('sees a logout, a role change and a key revocation made through another process', async () => {
    const admin = await registerOrganization(t.app, 'TwoProcesses');
    const rep = await addUser(t.app, admin, 'sales_rep');
    const key = await createKey(t, admin, ['contacts:read']);
    // Before each change, both processes have the principal resolved under the current version.
    const resolve = async (token: string, url = '/api/v1/auth/me') => {
      for (const app of [t, other]) {
        await warm(app, token);
        expect((await client(app.app, token).get(url)).statusCode).toBe(200);
      }
    };
    await resolve(key, '/api/v1/contacts');
    const keys = (await client(t.app, admin.token).get('/api/v1/api-keys')).json().data;
    await client(t.app, admin.token).delete(`/api/v1/api-keys/${keys[0].id}`);
    expect((await client(other.app, key).get('/api/v1/auth/me')).statusCode).toBe(401);

    await resolve(rep.token, '/api/v1/contacts');
    const role = await roleOf(t, admin, 'sales_rep');
    await client(t.app, admin.token).patch(`/api/v1/roles/${role.id}`, {
      permissions: role.permissions.filter((p) => p.permission !== 'contacts:read'),
    });
    expect((await client(other.app, rep.token).get('/api/v1/contacts')).statusCode).toBe(403);

    await resolve(admin.token);
    expect((await client(t.app, admin.token).post('/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await client(other.app, admin.token).get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it("never answers one organization's request from another's entry", async () => {
    const a = await registerOrganization(t.app, 'IsolatedA');
    const b = await registerOrganization(t.app, 'IsolatedB');
    await warm(t, a.token);
    await warm(t, b.token);
    const meA = (await client(t.app, a.token).get('/api/v1/auth/me')).json();
    const meB = (await client(t.app, b.token).get('/api/v1/auth/me')).json();
    expect(meA.organization.id).toBe(a.organizationId);
    expect(meB.organization.id).toBe(b.organizationId);
    expect(meA.user.id).toBe(a.userId);
    expect(meB.user.id).toBe(b.userId);
  });
});

describe('the principal cache is bounded', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp({ AUTH_CACHE_SIZE: '2' })));
  afterAll(() => t.close());

  it('keeps at most AUTH_CACHE_SIZE principals and still answers every one', async () => {
    const users = [];
    for (let i = 0; i < 4; i++) users.push(await registerOrganization(t.app, `Bounded${i}`));
    for (const u of users) {
      const me = await client(t.app, u.token).get('/api/v1/auth/me');
      expect(me.statusCode).toBe(200);
      expect(me.json().user.id).toBe(u.userId);
      expect(cachedPrincipalCount(t.deps)).toBeLessThanOrEqual(2);
    }
    expect(cachedPrincipalCount(t.deps)).toBe(2);
  });
});
