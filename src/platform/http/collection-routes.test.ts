import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { closeDeps, createDeps } from '../../interfaces/server/deps.js';
import { insertOrganization, openTestDatabase } from '../../../test/harness.js';
import type { Actor } from '../authz/index.js';
import { loadConfig } from '../config/index.js';
import type { Deps } from '../context/index.js';
import { errors } from '../errors/index.js';
import { buildApp, collectionRoutes, parseIfMatch, type Authenticate } from './index.js';
import { buildOpenApi } from './openapi.js';

/** A toy collection kept in memory: what the factory's routes must reach, and how. */
interface Tag {
  id: string;
  name: string;
  version: number;
}
const tags = new Map<string, Tag>();
const ids = ['a', 'b', 'c'].map((n) => `0190a000-0000-7000-8000-00000000000${n}`);

function load(id: string): Tag {
  const tag = tags.get(id);
  if (!tag) throw errors.notFound('Tag');
  return tag;
}

const tagSchema = z.object({ id: z.uuid(), name: z.string(), version: z.number().int() });
const tagBody = z.object({ name: z.string().min(1) }).strict();

const tagRoutes = collectionRoutes({
  path: '/api/v1/tags',
  tags: ['tags'],
  permissions: { read: 'tags:read', create: 'tags:create', update: 'tags:update', delete: 'x:y' },
  schema: tagSchema,
  list: {
    summary: 'List tags',
    query: z.object({
      limit: z.coerce.number().int().default(50),
      cursor: z.string().optional(),
      count: z
        .enum(['true', 'false'])
        .optional()
        .transform((v) => v === 'true'),
      prefix: z.string().optional(),
    }),
    run: async (_ctx, { prefix }) =>
      [...tags.values()].filter((t) => t.name.startsWith(prefix ?? '')),
  },
  create: {
    summary: 'Create a tag',
    description: 'Names need not be unique.',
    body: tagBody,
    run: async (_ctx, body) => {
      const tag = { id: ids[tags.size] ?? ids[0] ?? '', name: body.name, version: 1 };
      tags.set(tag.id, tag);
      return tag;
    },
  },
  update: {
    summary: 'Rename a tag',
    body: tagBody,
    run: async (_ctx, id, body, version) => {
      const tag = load(id);
      if (version !== undefined && version !== tag.version) throw errors.staleVersion();
      const next = { ...tag, name: body.name, version: tag.version + 1 };
      tags.set(id, next);
      return next;
    },
  },
  remove: {
    summary: 'Delete a tag',
    run: async (_ctx, id) => {
      load(id);
      tags.delete(id);
    },
  },
});

/** A collection whose routes all share one permission, and which has no create route. */
const oneGrant = collectionRoutes({
  path: '/api/v1/notes',
  tags: ['notes'],
  permissions: 'notes:manage',
  schema: tagSchema,
  read: { summary: 'Read a note', run: async (_ctx, id) => load(id) },
});

function actorFor(organizationId: string, permissions: string[]): Actor {
  return {
    type: 'user',
    id: '0190a000-0000-7000-8000-0000000000aa',
    userId: '0190a000-0000-7000-8000-0000000000aa',
    organizationId,
    name: 'T',
    grants: new Map(permissions.map((p) => [p, 'all' as const])),
    grantSources: new Map(),
    teamIds: [],
    teamMemberIds: [],
    sessionId: null,
  };
}

describe('collectionRoutes', () => {
  let app: FastifyInstance;
  let deps: Deps;
  let dispose: () => Promise<void>;
  const all = 'tags:read,tags:create,tags:update,x:y,notes:manage';
  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    options: { payload?: unknown; headers?: Record<string, string>; perms?: string } = {},
  ) =>
    app.inject({
      method,
      url,
      headers: { 'x-test-permissions': options.perms ?? all, ...options.headers },
      ...(options.payload === undefined ? {} : { payload: options.payload as object }),
    });

  beforeAll(async () => {
    const opened = await openTestDatabase();
    dispose = opened.dispose;
    const org = await insertOrganization(opened.database, 'Collections');
    deps = await createDeps(
      loadConfig({
        DATA_DIR: '/tmp/cerebro-collection-test',
        LOG_LEVEL: 'silent',
        ENCRYPTION_KEY: 'c'.repeat(64),
      }),
      {
        database: opened.database,
        migrate: false,
        log: pino({ level: 'silent' }) as unknown as FastifyBaseLogger,
      },
    );
    // The header names the granted permissions, as in app.test.ts.
    const authenticate: Authenticate = async (req) => {
      const perms = req.headers['x-test-permissions'];
      if (typeof perms !== 'string') return null;
      return { actor: actorFor(org, perms ? perms.split(',') : []), via: 'bearer' };
    };
    ({ app } = await buildApp({
      deps,
      routes: [...tagRoutes, ...oneGrant],
      authenticate,
      logRequests: false,
    }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await closeDeps(deps);
    await dispose();
  });
  beforeEach(() => tags.clear());

  it('creates with 201, lists a page of the whole collection with its filter, and counts', async () => {
    for (const name of ['alpha', 'beta', 'alpine']) {
      const res = await call('POST', '/api/v1/tags', { payload: { name } });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ name, version: 1 });
    }
    const first = await call('GET', '/api/v1/tags?prefix=al&limit=1&count=true');
    expect(first.statusCode).toBe(200);
    const page = first.json();
    expect(page.data.map((t: Tag) => t.name)).toEqual(['alpha']);
    expect(page.meta.total).toBe(2);
    const second = await call(
      'GET',
      `/api/v1/tags?prefix=al&limit=1&cursor=${page.meta.nextCursor}`,
    );
    expect(second.json().data.map((t: Tag) => t.name)).toEqual(['alpine']);
    expect(second.json().meta.nextCursor).toBeNull();
  });

  it('updates with If-Match: the current version passes, a stale one answers 412', async () => {
    const id = (await call('POST', '/api/v1/tags', { payload: { name: 'old' } })).json().id;
    const ok = await call('PATCH', `/api/v1/tags/${id}`, {
      payload: { name: 'new' },
      headers: { 'if-match': '"1"' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ name: 'new', version: 2 });
    const stale = await call('PATCH', `/api/v1/tags/${id}`, {
      payload: { name: 'newer' },
      headers: { 'if-match': '1' },
    });
    expect(stale.statusCode).toBe(412);
    expect(tags.get(id)?.name).toBe('new');
  });

  it('answers 400 naming If-Match when the header is not a version, and leaves the item', async () => {
    const id = (await call('POST', '/api/v1/tags', { payload: { name: 'kept' } })).json().id;
    const res = await call('PATCH', `/api/v1/tags/${id}`, {
      payload: { name: 'lost' },
      headers: { 'if-match': 'yesterday' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([
      { path: 'If-Match', message: "must be the record's version number" },
    ]);
    expect(tags.get(id)?.name).toBe('kept');
  });

  it('validates the body and the id before the service runs', async () => {
    const bad = await call('POST', '/api/v1/tags', { payload: { name: '', extra: 1 } });
    expect(bad.statusCode).toBe(400);
    const badId = await call('DELETE', '/api/v1/tags/not-a-uuid');
    expect(badId.statusCode).toBe(400);
    expect(tags.size).toBe(0);
  });

  it('deletes with 204, and a missing id answers 404', async () => {
    const id = (await call('POST', '/api/v1/tags', { payload: { name: 'gone' } })).json().id;
    expect((await call('DELETE', `/api/v1/tags/${id}`)).statusCode).toBe(204);
    expect(tags.has(id)).toBe(false);
    expect((await call('DELETE', `/api/v1/tags/${id}`)).statusCode).toBe(404);
  });

  it('checks the permission of each kind of action', async () => {
    const denied = await call('POST', '/api/v1/tags', {
      payload: { name: 'nope' },
      perms: 'tags:read',
    });
    expect(denied.statusCode).toBe(403);
    expect(tags.size).toBe(0);
    // delete carries its own permission (x:y), not tags:delete
    const id = (await call('POST', '/api/v1/tags', { payload: { name: 'x' } })).json().id;
    const noDelete = await call('DELETE', `/api/v1/tags/${id}`, { perms: 'tags:read,tags:update' });
    expect(noDelete.statusCode).toBe(403);
    expect(tags.has(id)).toBe(true);
  });

  it('serves only the routes it is given, under one permission when one is named', async () => {
    const id = (await call('POST', '/api/v1/tags', { payload: { name: 'n' } })).json().id;
    expect((await call('GET', `/api/v1/tags/${id}`)).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/notes')).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/notes/${id}`)).statusCode).toBe(200);
    expect((await call('GET', `/api/v1/notes/${id}`, { perms: 'tags:read' })).statusCode).toBe(403);
  });

  it('documents each route in the OpenAPI document with its summary and description', () => {
    const doc = buildOpenApi(tagRoutes, { version: '1', serverUrl: '/' });
    const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>;
    expect(Object.keys(paths)).toEqual(['/api/v1/tags', '/api/v1/tags/{id}']);
    expect(Object.keys(paths['/api/v1/tags'] ?? {})).toEqual(['get', 'post']);
    expect(Object.keys(paths['/api/v1/tags/{id}'] ?? {})).toEqual(['patch', 'delete']);
    expect(paths['/api/v1/tags']?.post).toMatchObject({
      summary: 'Create a tag',
      description: 'Names need not be unique.',
    });
    expect(paths['/api/v1/tags']?.get?.description).toBeUndefined();
  });
});

describe('parseIfMatch', () => {
  it('reads a plain, quoted or weak version, and treats absent or * as no condition', () => {
    expect(parseIfMatch('3')).toBe(3);
    expect(parseIfMatch('"4"')).toBe(4);
    expect(parseIfMatch('W/"5"')).toBe(5);
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('*')).toBeUndefined();
    expect(parseIfMatch(['1', '2'])).toBeUndefined();
  });

  it('rejects zero, negatives, fractions and words', () => {
    for (const bad of ['0', '-1', '1.5', 'abc', '']) expect(() => parseIfMatch(bad)).toThrow();
  });
});
