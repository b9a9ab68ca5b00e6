/**
 * Tenant isolation and scopes, generated from the route table: every route with an id parameter
 * is called on a real record of org A by org B's admin (404, exactly like a missing record) and by
 * a sales rep of A who may not touch it (403 or 404), and the record must be as it was after.
 * A new route with an id parameter fails here until it has a factory in test/route-factories.ts.
 */
import type { LightMyRequestResponse } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_ROUTES } from '../src/modules/index.js';
import { addUser, registerOrganization, type TestUser } from './factories.js';
import { client, createTestApp, type TestApp } from './harness.js';
import { loadRoles, routeFactories, type RouteFactory, type World } from './route-factories.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Public routes reached by a secret rather than as a member of an organization. */
const BY_SECRET: Record<string, string> = {
  'GET /api/v1/invitations/:token': 'the invitation token from the mail is the credential',
  'POST /api/v1/forms/:formId/submit': 'a published web form takes submissions from anyone',
  'POST /api/v1/workflow-hooks/:id/:token':
    'an inbound workflow hook is authenticated by its token',
};

/** Routes a sales rep may call on another user's record: the directory and the pipelines are everyone's. */
const REP_MAY = new Set([
  // A custom object's collection: a rep lists their own records and creates records they own.
  'GET /api/v1/:resource',
  'POST /api/v1/:resource',
  'GET /api/v1/:resource/export',
  // A bulk action: each record is loaded in the rep's scope and skipped when out of it (bulk tests).
  'POST /api/v1/:resource/bulk',
  // The object directory is everyone's: it describes what there is, not a record.
  'GET /api/v1/objects/:key',
  'GET /api/v1/users/:id',
  'GET /api/v1/teams/:id',
  'GET /api/v1/pipelines/:id',
  'GET /api/v1/pipelines/:id/board',
  // Price lists are part of the product catalogue, which everyone reads to price deals.
  'GET /api/v1/price-lists/:id',
  // A model card and a what-if score describe the model, not any record (the scores list does not pass).
  'GET /api/v1/predictions/:id',
  'POST /api/v1/predictions/:id/score',
]);

/** Valid bodies, so that a refusal is about the record and not about the input. */
const BODIES: Record<string, unknown> = {
  'POST /api/v1/predictions/:id/score': { lastName: 'Probe', source: 'Referral' },
  'PATCH /api/v1/users/:id': { name: 'Hijacked' },
  'PATCH /api/v1/roles/:id': { name: 'Hijacked' },
  'PATCH /api/v1/teams/:id': { name: 'Hijacked' },
  'PATCH /api/v1/quotas/:id': { amount: 5000 },
  'PUT /api/v1/teams/:id/members': { members: [] },
  'POST /api/v1/contacts/:id/merge': { sourceIds: [uuidv7()] },
  'POST /api/v1/companies/:id/merge': { sourceIds: [uuidv7()] },
  'POST /api/v1/leads/:id/merge': { sourceIds: [uuidv7()] },
  'POST /api/v1/deals/:id/merge': { sourceIds: [uuidv7()] },
  'POST /api/v1/:resource/:id/merge': { sourceIds: [uuidv7()] },
  'PATCH /api/v1/contacts/:id': { firstName: 'Hijacked' },
  'PATCH /api/v1/companies/:id': { name: 'Hijacked' },
  'PATCH /api/v1/custom-fields/:id': { label: 'Hijacked' },
  'PATCH /api/v1/activities/:id': { subject: 'Hijacked' },
  'PATCH /api/v1/views/:id': { name: 'Hijacked' },
  'PATCH /api/v1/leads/:id': { firstName: 'Hijacked' },
  'PATCH /api/v1/forms/:id': { name: 'Hijacked' },
  'PATCH /api/v1/lead-assignment-rules/:id': { name: 'Hijacked' },
  'PATCH /api/v1/pipelines/:id': { name: 'Hijacked' },
  'PATCH /api/v1/deals/:id': { name: 'Hijacked' },
  'PATCH /api/v1/products/:id': { name: 'Hijacked' },
  'PATCH /api/v1/price-lists/:id': { name: 'Hijacked' },
  'PATCH /api/v1/tickets/:id': { subject: 'Hijacked' },
  'PATCH /api/v1/webhooks/:id': { description: 'Hijacked' },
  'POST /api/v1/webhooks/:id/replay': { since: new Date(Date.now() - 86_400_000).toISOString() },
  'PATCH /api/v1/workflows/:id': { name: 'Hijacked' },
  'POST /api/v1/workflows/:id/run': { recordId: uuidv7() },
  'POST /api/v1/:resource': { name: 'Planted' },
  'POST /api/v1/:resource/bulk': { ids: [uuidv7()], action: 'delete' },
  'PATCH /api/v1/:resource/:id': { name: 'Hijacked' },
  'PATCH /api/v1/objects/:key': { labels: { singular: 'Hijacked', plural: 'Hijackeds' } },
};

/** The route path up to its first parameter: the resource a factory makes. */
const resourceOf = (path: string): string => /^(.*?\/:[^/]+)/.exec(path)?.[1] ?? path;
const keyOf = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

const ID_ROUTES = ALL_ROUTES.filter((r) => r.path.includes('/:') && !(keyOf(r) in BY_SECRET));

let t: TestApp;
let world: World;
let outsider: TestUser;
let rep: TestUser;
let factories: Record<string, RouteFactory>;

function call(
  user: TestUser,
  method: Method,
  url: string,
  body: unknown,
): Promise<LightMyRequestResponse> {
  const api = client(t.app, user.token);
  if (method === 'GET') return api.get(url);
  if (method === 'DELETE') return api.delete(url);
  if (method === 'POST') return api.post(url, body ?? {});
  return method === 'PATCH' ? api.patch(url, body ?? {}) : api.put(url, body ?? {});
}

beforeAll(async () => {
  // Webhooks point at a closed local port (allow-listed), so deliveries fail at once, offline.
  t = await createTestApp({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
  const admin = await registerOrganization(t.app, 'Isolation A');
  outsider = await registerOrganization(t.app, 'Isolation B');
  // A rep in no team: with own/team scope, the admin's records are out of reach.
  rep = await addUser(t.app, admin, 'sales_rep');
  const member = await addUser(t.app, admin, 'sales_rep');
  world = { t, admin, member };
  await loadRoles(world);
  factories = routeFactories(world);
}, 120_000);

afterAll(async () => {
  await t.close();
});

describe('the route table, walked for isolation', () => {
  it('has a factory for every route with an id parameter (add one in test/route-factories.ts)', () => {
    const missing = [...new Set(ID_ROUTES.map((r) => resourceOf(r.path)))].filter(
      (p) => !factories[p],
    );
    expect(missing).toEqual([]);
  });

  const byResource = new Map<string, typeof ID_ROUTES>();
  for (const r of ID_ROUTES)
    byResource.set(resourceOf(r.path), [...(byResource.get(resourceOf(r.path)) ?? []), r]);

  for (const [resource, routes] of byResource) {
    it(`${resource}: another organization gets 404, a rep without the right 403/404, and the record stays as it was`, async () => {
      const factory = factories[resource];
      if (!factory) return; // reported by the test above
      const id = await factory.create();
      const original = await factory.snapshot(id);
      expect(original, 'the snapshot sees the record').not.toBeNull();
      for (const r of routes) {
        const key = keyOf(r);
        const url = Object.entries(factory.params ?? {})
          .reduce((path, [name, value]) => path.replace(`:${name}`, value), r.path)
          .replace(/:[^/]+/, id);
        const body = BODIES[key];
        const foreign = await call(outsider, r.method, url, body);
        expect(foreign.statusCode, `${key} as another organization: ${foreign.body}`).toBe(404);
        expect(
          await factory.snapshot(id),
          `${key} as another organization changed the record`,
        ).toEqual(original);
        if (REP_MAY.has(key)) continue;
        const scoped = await call(rep, r.method, url, body);
        expect(
          [403, 404],
          `${key} as a rep without the right: ${scoped.statusCode} ${scoped.body}`,
        ).toContain(scoped.statusCode);
        expect(await factory.snapshot(id), `${key} as a rep changed the record`).toEqual(original);
      }
    });
  }
});
