import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { createTeam, type TestUser } from './factories.js';
import { client, type TestApp } from './harness.js';
import { enqueueAs } from './jobs.js';
import { settle } from './workflows.js';

/**
 * How to make one real record behind each route with an id parameter, in org A, and how A's admin
 * sees it (the snapshot that hostile calls must leave as it was). Keyed by the route path up to
 * its first parameter, e.g. `/api/v1/contacts/:id` covers `/api/v1/contacts/:id/merge` too.
 */
export interface RouteFactory {
  /** Creates the record as org A's admin; answers its id. */
  create(): Promise<string>;
  /** What A's admin sees of the record now (a missing or deleted record snapshots differently). */
  snapshot(id: string): Promise<unknown>;
  /** Path parameters other than the id, by name (a custom object's `resource`). */
  params?: Readonly<Record<string, string>>;
}

/** The people a factory works with: A's admin, a second user of A (`member`), the app. */
export interface World {
  t: TestApp;
  admin: TestUser;
  member: TestUser;
}

const ok = async (
  res: Promise<LightMyRequestResponse>,
  status = 201,
): Promise<Record<string, unknown>> => {
  const r = await res;
  expect(r.statusCode, r.body).toBe(status);
  return r.json();
};

let sequence = 0;
const next = () => ++sequence;

/** Builds a CSV upload for POST /imports. */
async function multipart(fields: Record<string, string>, file: { name: string; content: string }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([file.content]), file.name);
  const res = new Response(form);
  return {
    payload: Buffer.from(await res.arrayBuffer()),
    headers: { 'content-type': res.headers.get('content-type') ?? '' },
  };
}

/** Every route-table resource with an id parameter, and how to make one of it. */
export function routeFactories(w: World): Record<string, RouteFactory> {
  const api = client(w.t.app, w.admin.token);
  const byId = (path: string) => async (id: string) => {
    const res = await api.get(`${path}/${id}`);
    return { status: res.statusCode, body: res.json() };
  };
  const inList =
    (path: string, as = api, omit: readonly string[] = []) =>
    async (id: string) => {
      const res = await as.get(path);
      const found = (res.json().data as Array<Record<string, unknown>>).find((r) => r.id === id);
      return found
        ? Object.fromEntries(Object.entries(found).filter(([k]) => !omit.includes(k)))
        : null;
    };
  const created = (path: string, body: () => Record<string, unknown>) => async () =>
    (await ok(api.post(path, body()))).id as string;
  const contact = created('/api/v1/contacts', () => ({ firstName: `Target ${next()}` }));
  const standard = (path: string, body: () => Record<string, unknown>): RouteFactory => ({
    create: created(path, body),
    snapshot: byId(path),
  });
  const memberApi = () => client(w.t.app, w.member.token);

  return {
    '/api/v1/users/invitations/:id': {
      create: created('/api/v1/users/invitations', () => ({
        email: `invited-${next()}@example.com`,
        roleId: roleIdOf('sales_rep'),
      })),
      snapshot: inList('/api/v1/users/invitations'),
    },
    '/api/v1/users/:id': { create: async () => w.member.userId, snapshot: byId('/api/v1/users') },
    '/api/v1/roles/:id': standard('/api/v1/roles', () => ({
      key: `custom_${next()}`,
      name: 'Custom',
      permissions: [{ permission: 'contacts:read', scope: 'own' }],
    })),
    '/api/v1/teams/:id': {
      create: async () =>
        createTeam(w.t.app, w.admin, `Team ${next()}`, [
          { userId: w.admin.userId, isManager: true },
        ]),
      snapshot: byId('/api/v1/teams'),
    },
    '/api/v1/api-keys/:id': {
      create: created('/api/v1/api-keys', () => ({
        name: `Key ${next()}`,
        scopes: ['contacts:read'],
      })),
      snapshot: inList('/api/v1/api-keys', api, ['lastUsedAt']),
    },
    // The admin's own login session; its last use moves with every call the admin makes.
    '/api/v1/sessions/:id': {
      create: async () => (await api.get('/api/v1/sessions')).json().data[0].id as string,
      snapshot: inList('/api/v1/sessions', api, ['lastUsedAt', 'current']),
    },
    '/api/v1/mailbox/:id': {
      create: async () => (await api.get('/api/v1/mailbox')).json().data[0].id as string,
      snapshot: byId('/api/v1/mailbox'),
    },
    '/api/v1/bulk-operations/:id': {
      create: async () =>
        (
          await ok(
            api.post('/api/v1/contacts/bulk', {
              ids: [await contact()],
              action: 'add_tag',
              tag: 'bulk',
            }),
            200,
          )
        ).id as string,
      snapshot: byId('/api/v1/bulk-operations'),
    },
    '/api/v1/imports/:id': {
      create: async () => {
        const body = await multipart(
          { objectType: 'contact' },
          { name: 'people.csv', content: 'First Name,Email\nIda,ida@import.example\n' },
        );
        const res = await w.t.app.inject({
          method: 'POST',
          url: '/api/v1/imports',
          headers: { authorization: `Bearer ${w.admin.token}`, ...body.headers },
          payload: body.payload,
        });
        expect(res.statusCode, res.body).toBe(202);
        return res.json().id as string;
      },
      snapshot: byId('/api/v1/imports'),
    },
    '/api/v1/contacts/:id': standard('/api/v1/contacts', () => ({ firstName: `Target ${next()}` })),
    '/api/v1/companies/:id': standard('/api/v1/companies', () => ({ name: `Target ${next()}` })),
    '/api/v1/merges/:id': {
      create: async () => {
        const [survivor, source] = [await contact(), await contact()];
        const merged = await ok(
          api.post(`/api/v1/contacts/${survivor}/merge`, { sourceIds: [source] }),
          200,
        );
        return merged.mergeId as string;
      },
      // A merge is seen through its survivor: undoing it would bring the source back.
      snapshot: async () =>
        (await api.get('/api/v1/contacts?count=true&limit=1')).json().meta.total as number,
    },
    '/api/v1/custom-fields/:id': {
      create: created('/api/v1/custom-fields', () => ({
        objectType: 'contact',
        key: `field_${next()}`,
        label: 'Field',
        type: 'text',
      })),
      snapshot: inList('/api/v1/custom-fields'),
    },
    '/api/v1/activities/:id': standard('/api/v1/activities', () => ({
      type: 'task',
      subject: 'Call back',
    })),
    '/api/v1/views/:id': {
      create: created('/api/v1/views', () => ({ objectType: 'contact', name: `View ${next()}` })),
      snapshot: inList('/api/v1/views'),
    },
    '/api/v1/leads/:id': standard('/api/v1/leads', () => ({
      firstName: 'Lena',
      lastName: `Lead ${next()}`,
      email: `lena${next()}@leads.example`,
    })),
    '/api/v1/forms/:id': standard('/api/v1/forms', () => ({
      name: `Form ${next()}`,
      fields: [{ name: 'email', label: 'Email', leadField: 'email', required: true }],
    })),
    '/api/v1/lead-assignment-rules/:id': standard('/api/v1/lead-assignment-rules', () => ({
      name: `Rule ${next()}`,
      strategy: 'user',
      userId: w.admin.userId,
    })),
    '/api/v1/pipelines/:id': standard('/api/v1/pipelines', () => ({ name: `Pipeline ${next()}` })),
    '/api/v1/deals/:id': standard('/api/v1/deals', () => ({
      name: `Deal ${next()}`,
      amount: 1000,
    })),
    '/api/v1/quotas/:id': {
      create: created('/api/v1/quotas', () => ({
        userId: w.admin.userId,
        period: 'month',
        periodStart: `20${String(10 + next()).padStart(2, '0')}-01-01`,
        amount: 100,
      })),
      snapshot: inList('/api/v1/quotas'),
    },
    '/api/v1/products/:id': {
      create: created('/api/v1/products', () => ({
        name: `Product ${next()}`,
        unitPrice: 100,
        currency: 'USD',
      })),
      snapshot: inList('/api/v1/products'),
    },
    '/api/v1/price-lists/:id': {
      create: created('/api/v1/price-lists', () => ({ name: `List ${next()}`, currency: 'USD' })),
      snapshot: inList('/api/v1/price-lists'),
    },
    '/api/v1/tickets/:id': standard('/api/v1/tickets', () => ({ subject: `Ticket ${next()}` })),
    // A custom object's definition: its key is its id in the path.
    '/api/v1/objects/:key': {
      create: async () => {
        const key = `thing${next()}`;
        await ok(
          api.post('/api/v1/objects', { key, labels: { singular: key, plural: `${key}s` } }),
        );
        return key;
      },
      snapshot: async (key) => {
        const res = await api.get(`/api/v1/objects/${key}`);
        return { status: res.statusCode, body: res.json() };
      },
    },
    // Every custom object's routes: a record of an object A's admin defines on first use.
    '/api/v1/:resource': {
      create: async () => {
        const defined = await api.get('/api/v1/objects/gadget');
        if (defined.statusCode === 404)
          await ok(
            api.post('/api/v1/objects', {
              key: 'gadget',
              labels: { singular: 'Gadget', plural: 'Gadgets' },
              // A personal field, so a rep's refused erasure would show in the snapshot.
              fields: [
                { key: 'size', label: 'Size', type: 'number' },
                { key: 'keeper', label: 'Keeper', type: 'text', personal: true },
              ],
            }),
          );
        return (
          await ok(
            api.post('/api/v1/gadgets', { name: `Gadget ${next()}`, size: 3, keeper: 'Kim' }),
          )
        ).id as string;
      },
      snapshot: byId('/api/v1/gadgets'),
      params: { resource: 'gadgets' },
    },
    // A notification of A's second user: a lead assigned to them by the admin.
    '/api/v1/notifications/:id': {
      create: async () => {
        await ok(api.post('/api/v1/leads', { firstName: 'Notify', ownerId: w.member.userId }));
        await w.t.deps.outbox.drain();
        return (await memberApi().get('/api/v1/notifications')).json().data[0].id as string;
      },
      snapshot: async (id) => inList('/api/v1/notifications', memberApi())(id),
    },
    '/api/v1/webhooks/:id': standard('/api/v1/webhooks', () => ({
      url: 'http://127.0.0.1:9/cerebro',
      eventTypes: ['contact.created'],
    })),
    '/api/v1/webhook-deliveries/:id': {
      create: async () => {
        const hook = await ok(
          api.post('/api/v1/webhooks', {
            url: 'http://127.0.0.1:9/deliveries',
            eventTypes: ['company.created'],
          }),
        );
        await contactAndCompany();
        await w.t.deps.outbox.drain();
        const deliveries = (
          await api.get(`/api/v1/webhooks/${hook.id as string}/deliveries`)
        ).json().data as Array<{ id: string }>;
        expect(deliveries.length).toBeGreaterThan(0);
        deliveryHooks.set(deliveries[0]?.id ?? '', hook.id as string);
        return deliveries[0]?.id ?? '';
      },
      snapshot: async (id) =>
        inList(`/api/v1/webhooks/${deliveryHooks.get(id) ?? ''}/deliveries`, api, [
          'attempts',
          'nextAttemptAt',
          'status',
          'lastError',
        ])(id),
    },
    '/api/v1/workflows/:id': {
      create: async () => (await liveWorkflow()).id,
      snapshot: byId('/api/v1/workflows'),
    },
    '/api/v1/workflow-runs/:id': {
      create: async () => {
        const workflow = await liveWorkflow();
        const started = await ok(
          api.post(`/api/v1/workflows/${workflow.id}/run`, { recordId: await contact() }),
          202,
        );
        await settle(w.t);
        return started.runId as string;
      },
      snapshot: byId('/api/v1/workflow-runs'),
    },
    '/api/v1/jobs/:id': {
      // A job of A's that waits (an hour ahead), so the runner leaves it alone during the test.
      create: () =>
        enqueueAs(w.t.deps, {
          organizationId: w.admin.organizationId,
          name: 'test.idle',
          payload: {},
          runAt: new Date(Date.now() + 3_600_000),
        }),
      snapshot: byId('/api/v1/jobs'),
    },
    '/api/v1/predictions/:id': {
      // A's built-in lead conversion prediction, created on first use.
      create: async () => {
        const list = await ok(api.get('/api/v1/predictions'), 200);
        const first = (list.data as Array<{ id: string }>)[0];
        if (!first) throw new Error('no built-in prediction');
        return first.id;
      },
      snapshot: byId('/api/v1/predictions'),
    },
  };

  function roleIdOf(key: string): string {
    const id = roles.get(key);
    if (!id) throw new Error(`role ${key} not loaded`);
    return id;
  }

  async function contactAndCompany(): Promise<void> {
    await ok(api.post('/api/v1/companies', { name: `Hooked ${next()}` }));
  }

  async function liveWorkflow(): Promise<{ id: string }> {
    const made = await ok(
      api.post('/api/v1/workflows', {
        name: `Workflow ${next()}`,
        draft: {
          conditions: null,
          layout: {},
          trigger: { type: 'manual', object: 'contact' },
          start: 'a',
          steps: [{ id: 'a', type: 'add_tag', tag: 'pressed', next: null }],
        },
      }),
    );
    const id = made.id as string;
    await ok(api.post(`/api/v1/workflows/${id}/publish`), 200);
    await ok(api.patch(`/api/v1/workflows/${id}`, { enabled: true }), 200);
    return { id };
  }
}

const roles = new Map<string, string>();
const deliveryHooks = new Map<string, string>();

/** Loads org A's role ids (invitations need one) before the factories run. */
export async function loadRoles(w: World): Promise<void> {
  const data = (await client(w.t.app, w.admin.token).get('/api/v1/roles')).json().data as Array<{
    id: string;
    key: string;
  }>;
  for (const r of data) roles.set(r.key, r.id);
}
