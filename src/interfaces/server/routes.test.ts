import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_ROUTES, MODULE_REGISTRY } from '../../modules/index.js';
import { client, createTestApp, type TestApp } from '../../../test/harness.js';

const FOREIGN_ID = '0190a000-0000-7000-8000-0000000000ff';
/** Bodies no endpoint accepts: wrong JSON types at the top level and inside objects. */
const BAD_BODIES: unknown[] = [
  [],
  'text',
  42,
  true,
  { email: 12, name: [], password: {}, token: null, id: 'x', members: 'all' },
];

/** A path with its parameters filled: a custom object's `:resource` with a name no organization here has. */
function concretePath(path: string, id: string): string {
  return path.replace(':resource', 'no-such-objects').replace(/:[A-Za-z]+/g, id);
}

describe('the route table', () => {
  it('gives every route a permission from the catalog, or says public/authenticated', () => {
    expect(ALL_ROUTES.length).toBeGreaterThan(20);
    for (const r of ALL_ROUTES) {
      const ok =
        r.permission === 'public' ||
        r.permission === 'authenticated' ||
        MODULE_REGISTRY.allPermissions.includes(r.permission);
      expect(ok, `${r.method} ${r.path} has permission ${String(r.permission)}`).toBe(true);
      expect(r.path.startsWith('/api/v1/'), `${r.path} is under /api/v1`).toBe(true);
    }
  });

  it('has no two routes with the same method and path', () => {
    const keys = ALL_ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('bad input on every endpoint', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
    const res = await client(t.app).post('/api/v1/auth/register', {
      email: 'fuzz-admin@example.com',
      password: 'correct-horse-battery',
      name: 'Fuzz Admin',
      organizationName: 'Fuzz Inc',
    });
    expect(res.statusCode).toBe(201);
    token = res.json().accessToken;
  });
  afterAll(() => t.close());

  it('answers wrong-typed bodies with a 4xx in the error shape, never a 5xx', async () => {
    const api = client(t.app, token);
    for (const r of ALL_ROUTES.filter((x) => x.body)) {
      if (r.path === '/api/v1/auth/logout') continue;
      for (const body of BAD_BODIES) {
        const url = concretePath(r.path, FOREIGN_ID);
        const res =
          r.method === 'POST'
            ? await api.post(url, body)
            : r.method === 'PUT'
              ? await api.put(url, body)
              : await api.patch(url, body);
        const label = `${r.method} ${r.path} with ${JSON.stringify(body)}`;
        expect(res.statusCode, label).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, label).toBeLessThan(500);
        expect(res.json().error?.code, label).toEqual(expect.any(String));
      }
    }
  });

  it('names the offending field when an object body is wrong', async () => {
    const api = client(t.app, token);
    for (const r of ALL_ROUTES.filter(
      (x) => x.body && x.method === 'POST' && !x.path.includes(':'),
    )) {
      const res = await api.post(r.path, { unexpected: true });
      if (res.statusCode !== 400) continue; // some bodies are all optional
      const details = res.json().error.details as Array<{ path: string }>;
      expect(details.length, `${r.path}`).toBeGreaterThan(0);
      expect(
        details.every((d) => typeof d.path === 'string' && d.path.length > 0),
        `${r.path} names its fields`,
      ).toBe(true);
    }
  });

  it('answers malformed ids with 400 and unknown ids with 404, never a 5xx', async () => {
    const api = client(t.app, token);
    for (const r of ALL_ROUTES.filter((x) => x.path.includes(':id') && x.method === 'GET')) {
      const bad = await api.get(concretePath(r.path, 'not-an-id'));
      expect([400, 404], `${r.path} malformed id`).toContain(bad.statusCode);
      const missing = await api.get(concretePath(r.path, FOREIGN_ID));
      expect(missing.statusCode, `${r.path} unknown id`).toBe(404);
    }
  });

  it('answers every non-public route with 401 and the error shape when no token is sent', async () => {
    const anon = client(t.app);
    for (const r of ALL_ROUTES.filter((x) => x.permission !== 'public')) {
      const url = concretePath(r.path, FOREIGN_ID);
      const res =
        r.method === 'GET'
          ? await anon.get(url)
          : r.method === 'DELETE'
            ? await anon.delete(url)
            : r.method === 'POST'
              ? await anon.post(url, {})
              : r.method === 'PUT'
                ? await anon.put(url, {})
                : await anon.patch(url, {});
      expect(res.statusCode, `${r.method} ${r.path}`).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses forged, expired and alg-none tokens', async () => {
    const [header, payload] = token.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()), sub: FOREIGN_ID })).toString('base64url')}.${token.split('.')[2]}`;
    for (const bad of [none, tampered, 'garbage', `${token}x`]) {
      const res = await client(t.app, bad).get('/api/v1/auth/me');
      expect(res.statusCode, bad.slice(0, 20)).toBe(401);
    }
  });
});
