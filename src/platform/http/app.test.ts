import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDeps, closeDeps } from '../../interfaces/server/deps.js';
import { insertOrganization, openTestDatabase } from '../../../test/harness.js';
import type { Actor } from '../authz/index.js';
import { loadConfig } from '../config/index.js';
import type { Deps } from '../context/index.js';
import { buildApp, CSRF_COOKIE, publicRoute, route, type Authenticate } from './index.js';

const ECHO = z.object({
  email: z.email(),
  age: z.number().int().min(0),
  nested: z.object({ tag: z.string().min(1) }).optional(),
});
let counter = 0;

const routes = [
  publicRoute({
    method: 'POST',
    path: '/api/v1/test/echo',
    summary: 'echo',
    tags: ['test'],
    permission: 'public',
    body: ECHO,
    response: { status: 201 },
    handler: async ({ body }) => ({ ...body }),
  }),
  publicRoute({
    method: 'POST',
    path: '/api/v1/test/form',
    summary: 'form echo',
    tags: ['test'],
    permission: 'public',
    acceptsForm: true,
    body: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
    response: { status: 200 },
    handler: async ({ body }) => ({ ...body }),
  }),
  publicRoute({
    method: 'GET',
    path: '/api/v1/test/crash',
    summary: 'crash',
    tags: ['test'],
    permission: 'public',
    response: { status: 200 },
    handler: async () => {
      throw new Error('secret connection string postgres://u:p@h/db');
    },
  }),
  route({
    method: 'POST',
    path: '/api/v1/test/things',
    summary: 'create',
    tags: ['test'],
    permission: 'contacts:create',
    body: z.object({ name: z.string() }),
    response: { status: 201 },
    handler: async ({ body }) => ({ id: ++counter, name: body.name }),
  }),
  route({
    method: 'GET',
    path: '/api/v1/test/things/:id',
    summary: 'read',
    tags: ['test'],
    permission: 'contacts:read',
    params: z.object({ id: z.uuid() }),
    response: { status: 200 },
    handler: async ({ params, ctx }) => ({ id: params.id, org: ctx.organizationId }),
  }),
];

function actorFor(organizationId: string, permissions: string[]): Actor {
  return {
    type: 'user',
    id: '0190a000-0000-7000-8000-00000000000a',
    userId: '0190a000-0000-7000-8000-00000000000a',
    organizationId,
    name: 'T',
    grants: new Map(permissions.map((p) => [p, 'all' as const])),
    grantSources: new Map(),
    teamIds: [],
    teamMemberIds: [],
    sessionId: null,
  };
}

describe('the HTTP platform', () => {
  let app: FastifyInstance;
  let deps: Deps;
  let dispose: () => Promise<void>;
  let org: string;
  let dbUp = true;

  beforeAll(async () => {
    const opened = await openTestDatabase();
    dispose = opened.dispose;
    org = await insertOrganization(opened.database, 'Http');
    deps = await createDeps(
      loadConfig({
        DATA_DIR: '/tmp/cerebro-http-test',
        LOG_LEVEL: 'silent',
        ENCRYPTION_KEY: 'b'.repeat(64),
        BODY_LIMIT: '2048',
      }),
      {
        database: opened.database,
        migrate: false,
        log: pino({ level: 'silent' }) as unknown as FastifyBaseLogger,
      },
    );
    // The test authenticator stands in for identity: the header names the granted permissions.
    const authenticate: Authenticate = async (req) => {
      const perms = req.headers['x-test-permissions'];
      if (typeof perms !== 'string') return null;
      return {
        actor: actorFor(org, perms ? perms.split(',') : []),
        via: req.headers['x-test-cookie'] ? 'cookie' : 'bearer',
      };
    };
    ({ app } = await buildApp({
      deps,
      routes,
      authenticate,
      logRequests: false,
      readiness: [{ name: 'database', check: async () => dbUp }],
    }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await closeDeps(deps);
    await dispose();
  });

  it('answers an unknown route with the error shape and the request id as trace id', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/nothing-here',
      headers: { 'x-request-id': 'req-123' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.headers['x-request-id']).toBe('req-123');
    expect(res.json()).toEqual({
      error: {
        code: 'ROUTE_NOT_FOUND',
        message: 'No route GET /api/v1/nothing-here',
        traceId: 'req-123',
      },
    });
  });

  it('generates a request id when none (or a malformed one) is sent', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects malformed JSON with 400', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('MALFORMED_JSON');
  });

  it('rejects a body that is not JSON with 415', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('reads form posts only on routes that accept them', async () => {
    const form = 'name=Ada+Lovelace&tag=a&tag=b&empty=';
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/test/form',
      headers,
      payload: form,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ name: 'Ada Lovelace', tag: ['a', 'b'], empty: '' });
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      headers,
      payload: 'email=a%40b.co&age=1',
    });
    expect(refused.statusCode).toBe(415);
    expect(refused.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('rejects an oversized body with 413', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      payload: { email: 'a@b.co', age: 1, pad: 'x'.repeat(5000) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('names every invalid field, nested ones by their dotted path', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      payload: { email: 'nope', age: -1, nested: { tag: '' } },
    });
    expect(res.statusCode).toBe(400);
    const error = res.json().error;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'age',
      'email',
      'nested.tag',
    ]);
    expect(error.message).toContain('email');
  });

  it('answers a missing body with 400, not a crash', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/test/echo' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('answers an unexpected failure with a generic 500 that leaks nothing', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/test/crash' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('postgres://');
    expect(res.body).not.toContain('at ');
    expect(res.json().error.code).toBe('INTERNAL');
  });

  it('sends security headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('requires authentication, then the route permission', async () => {
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/test/things', payload: { name: 'a' } }))
        .statusCode,
    ).toBe(401);
    const forbidden = await app.inject({
      method: 'POST',
      url: '/api/v1/test/things',
      payload: { name: 'a' },
      headers: { 'x-test-permissions': 'contacts:read' },
    });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.details).toEqual({ permission: 'contacts:create' });
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/test/things',
      payload: { name: 'a' },
      headers: { 'x-test-permissions': 'contacts:create' },
    });
    expect(ok.statusCode).toBe(201);
  });

  it('validates path parameters', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/test/things/not-a-uuid',
      headers: { 'x-test-permissions': 'contacts:read' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('id');
  });

  it('demands the CSRF token for cookie-authenticated writes', async () => {
    const headers = { 'x-test-permissions': 'contacts:create', 'x-test-cookie': '1' };
    const without = await app.inject({
      method: 'POST',
      url: '/api/v1/test/things',
      payload: { name: 'a' },
      headers,
    });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('CSRF_TOKEN_INVALID');
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/test/things',
      payload: { name: 'a' },
      headers: { ...headers, 'x-csrf-token': 'x', cookie: `${CSRF_COOKIE}=y` },
    });
    expect(wrong.statusCode).toBe(403);
    const right = await app.inject({
      method: 'POST',
      url: '/api/v1/test/things',
      payload: { name: 'a' },
      headers: { ...headers, 'x-csrf-token': 'tok', cookie: `${CSRF_COOKIE}=tok` },
    });
    expect(right.statusCode).toBe(201);
  });

  it('replays the first answer for a retried POST with the same Idempotency-Key', async () => {
    const headers = { 'x-test-permissions': 'contacts:create', 'idempotency-key': 'retry-1' };
    const first = await app.inject({
      method: 'POST',
      url: '/api/v1/test/things',
      payload: { name: 'once' },
      headers,
    });
    const second = await app.inject({
      method: 'POST',
      url: '/api/v1/test/things',
      payload: { name: 'once' },
      headers,
    });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    const other = await app.inject({
      method: 'POST',
      url: '/api/v1/test/things',
      payload: { name: 'different' },
      headers,
    });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const fresh = await app.inject({
      method: 'POST',
      url: '/api/v1/test/things',
      payload: { name: 'once' },
      headers: { ...headers, 'idempotency-key': 'retry-2' },
    });
    expect(fresh.json().id).not.toBe(first.json().id);
  });

  it('documents every route in the OpenAPI 3.1 document with its permission', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/v1/test/things/{id}'].get['x-permission']).toBe('contacts:read');
    expect(
      doc.paths['/api/v1/test/echo'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(['email', 'age']);
    const docs = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('reports readiness from its dependency checks', async () => {
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    dbUp = false;
    const down = await app.inject({ method: 'GET', url: '/readyz' });
    dbUp = true;
    expect(down.statusCode).toBe(503);
    expect(down.json().checks).toEqual({ database: 'failing' });
  });

  it('exposes Prometheus metrics including request durations', async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toContain('cerebro_http_request_duration_seconds_bucket');
  });

  it('serves the web build precompressed as the browser accepts, and caches hashed assets for good', async () => {
    const dist = await mkdtemp(path.join(tmpdir(), 'cerebro-dist-'));
    await mkdir(path.join(dist, 'assets'));
    const js = 'export const answer = 42;\n'.repeat(100);
    await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>Cerebro</title>');
    await writeFile(path.join(dist, 'assets', 'app-abc123.js'), js);
    await writeFile(path.join(dist, 'assets', 'app-abc123.js.br'), brotliCompressSync(js));
    const web = await buildApp({
      deps,
      routes: [],
      authenticate: async () => null,
      logRequests: false,
      webDist: dist,
    });
    try {
      const br = await web.app.inject({
        method: 'GET',
        url: '/assets/app-abc123.js',
        headers: { 'accept-encoding': 'gzip, br' },
      });
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.rawPayload.length).toBeLessThan(js.length / 10);
      expect(brotliDecompressSync(br.rawPayload).toString()).toBe(js);
      expect(br.headers['cache-control']).toContain('immutable');
      const plain = await web.app.inject({
        method: 'GET',
        url: '/assets/app-abc123.js',
        headers: { 'accept-encoding': 'identity' },
      });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body).toBe(js);
    } finally {
      await web.app.close();
      await rm(dist, { recursive: true, force: true });
    }
  });
});
