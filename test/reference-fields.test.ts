/**
 * Every reference (foreign id) field that a create or update body accepts, checked the same way:
 * another organization's id, an id of nothing, and an id of a record the actor may not see are
 * refused with 422 naming the field (and nothing is stored); a valid id is accepted.
 */
import type { LightMyRequestResponse } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ALL_ROUTES } from '../src/modules/index.js';
import { addUser, createTeam, registerOrganization, type TestUser } from './factories.js';
import { client, createTestApp, errorOf, type TestApp } from './harness.js';

/** The kinds of record a field can link to; scoped ones can also be hidden from a sales rep. */
type Kind =
  | 'user'
  | 'team'
  | 'role'
  | 'contact'
  | 'company'
  | 'deal'
  | 'lead'
  | 'ticket'
  | 'pipeline'
  | 'stage'
  | 'product';
const SCOPED: ReadonlySet<Kind> = new Set(['contact', 'company', 'deal', 'lead', 'ticket']);

/** One id of each kind: of org A (`own`, readable by A's admin), of org B (`foreign`), and of A's admin hidden from the rep. */
type Targets = Record<'own' | 'foreign' | 'hidden', Partial<Record<Kind, string>>>;

interface Field {
  field: string;
  kind: Kind;
  /** The body part that sets the field to `id` (default `{ [field]: id }`). */
  put?: (id: string) => Record<string, unknown>;
}

interface Source {
  name: string;
  /** POST: the list path and a valid body without the field. */
  create?: { path: string; body: () => Record<string, unknown> };
  /** PATCH/PUT of a record created by `record`, read back at `read`. */
  update?: {
    method: 'PATCH' | 'PUT';
    path: (id: string) => string;
    record: (as: TestUser) => Promise<string>;
    read: (id: string) => string;
    body?: () => Record<string, unknown>;
  };
  fields: Field[];
  /** What a sales rep may do to these (hidden targets are tried as the rep there). */
  byRep: 'create' | 'both' | 'none';
}

let t: TestApp;
let a: TestUser;
let b: TestUser;
let rep: TestUser;
let victim: TestUser;
const targets: Targets = { own: {}, foreign: {}, hidden: {} };
const FORM_FIELDS = [{ name: 'email', label: 'Email', leadField: 'email', required: true }];
const api = (u: TestUser) => client(t.app, u.token);
let unique = 0;

async function created(res: Promise<LightMyRequestResponse>): Promise<string> {
  const r = await res;
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as string;
}

/** A record of `kind` in `admin`'s organization, owned by that admin. */
async function make(admin: TestUser, kind: Kind): Promise<string> {
  const x = api(admin);
  switch (kind) {
    case 'user':
      return admin.userId;
    case 'team':
      return createTeam(t.app, admin, `Team ${++unique}`, []);
    case 'role':
      return (await x.get('/api/v1/roles')).json().data[0].id as string;
    case 'pipeline':
      return (await x.get('/api/v1/pipelines')).json().data[0].id as string;
    case 'stage':
      return (await x.get('/api/v1/pipelines')).json().data[0].stages[0].id as string;
    case 'product':
      return created(x.post('/api/v1/products', { name: 'Seat', unitPrice: 100, currency: 'USD' }));
    case 'contact':
      return created(x.post('/api/v1/contacts', { firstName: 'Target' }));
    case 'company':
      return created(x.post('/api/v1/companies', { name: `Target ${++unique}` }));
    case 'deal':
      return created(x.post('/api/v1/deals', { name: 'Target' }));
    case 'lead':
      return created(x.post('/api/v1/leads', { firstName: 'Target' }));
    case 'ticket':
      return created(x.post('/api/v1/tickets', { subject: 'Target' }));
  }
}

type Body = Record<string, unknown>;
const recordOf = (path: string, body: () => Body) => async (as: TestUser) =>
  created(api(as).post(`/api/v1/${path}`, body()));

/** A standard record: created at `path`, patched and read at `path/{id}`. */
const standard = (
  path: string,
  body: Body | (() => Body),
  fields: Field[],
  byRep: Source['byRep'] = 'both',
): Source => ({
  name: path,
  create: { path: `/api/v1/${path}`, body: typeof body === 'function' ? body : () => body },
  update: {
    method: 'PATCH',
    path: (id) => `/api/v1/${path}/${id}`,
    record: recordOf(path, typeof body === 'function' ? body : () => body),
    read: (id) => `/api/v1/${path}/${id}`,
  },
  fields,
  byRep,
});

const SOURCES: Source[] = [
  standard('activities', { type: 'note', subject: 'Ref' }, [
    { field: 'assigneeId', kind: 'user' },
    { field: 'contactId', kind: 'contact' },
    { field: 'companyId', kind: 'company' },
    { field: 'dealId', kind: 'deal' },
    { field: 'leadId', kind: 'lead' },
    { field: 'ticketId', kind: 'ticket' },
  ]),
  standard('contacts', { firstName: 'Ref' }, [
    { field: 'ownerId', kind: 'user' },
    { field: 'companyId', kind: 'company' },
  ]),
  standard('companies', { name: 'Ref' }, [
    { field: 'ownerId', kind: 'user' },
    { field: 'parentId', kind: 'company' },
  ]),
  standard('deals', { name: 'Ref' }, [
    { field: 'ownerId', kind: 'user' },
    { field: 'contactId', kind: 'contact' },
    { field: 'companyId', kind: 'company' },
    { field: 'leadId', kind: 'lead' },
    { field: 'pipelineId', kind: 'pipeline' },
    { field: 'stageId', kind: 'stage' },
    {
      field: 'contacts.0.contactId',
      kind: 'contact',
      put: (id) => ({ contacts: [{ contactId: id, role: null }] }),
    },
    {
      field: 'lineItems.0.productId',
      kind: 'product',
      put: (id) => ({ lineItems: [{ productId: id, quantity: 1 }] }),
    },
  ]),
  standard('leads', { firstName: 'Ref' }, [
    { field: 'ownerId', kind: 'user' },
    { field: 'teamId', kind: 'team' },
  ]),
  // Sales reps raise tickets but do not work them (no tickets:update).
  standard(
    'tickets',
    { subject: 'Ref' },
    [
      { field: 'ownerId', kind: 'user' },
      { field: 'teamId', kind: 'team' },
      { field: 'contactId', kind: 'contact' },
      { field: 'companyId', kind: 'company' },
    ],
    'create',
  ),
  standard(
    'forms',
    { name: 'Ref', fields: FORM_FIELDS },
    [
      { field: 'defaultOwnerId', kind: 'user' },
      { field: 'defaultTeamId', kind: 'team' },
    ],
    'none',
  ),
  standard(
    'lead-assignment-rules',
    () => ({ name: 'Ref', strategy: 'user', userId: a.userId }),
    [
      { field: 'userId', kind: 'user', put: (id) => ({ strategy: 'user', userId: id }) },
      {
        field: 'teamId',
        kind: 'team',
        put: (id) => ({ strategy: 'round_robin', userId: null, teamId: id }),
      },
    ],
    'none',
  ),
  standard('workflows', { name: 'Ref' }, [{ field: 'ownerId', kind: 'user' }], 'none'),
  standard(
    'price-lists',
    { name: 'Ref', currency: 'USD' },
    [
      {
        field: 'entries.0.productId',
        kind: 'product',
        put: (id) => ({ entries: [{ productId: id, unitPrice: 100 }] }),
      },
    ],
    'none',
  ),
  {
    name: 'quotas',
    create: {
      path: '/api/v1/quotas',
      body: () => ({ period: 'month', periodStart: `20${10 + (++unique % 80)}-01-01`, amount: 1 }),
    },
    fields: [
      { field: 'userId', kind: 'user' },
      { field: 'teamId', kind: 'team' },
    ],
    byRep: 'none',
  },
  {
    name: 'invitations',
    create: {
      path: '/api/v1/users/invitations',
      body: () => ({ email: `ref-${++unique}@example.com`, roleId: targets.own.role }),
    },
    fields: [
      { field: 'roleId', kind: 'role' },
      { field: 'teamId', kind: 'team' },
    ],
    byRep: 'none',
  },
  {
    name: 'users',
    update: {
      method: 'PATCH',
      path: (id) => `/api/v1/users/${id}`,
      record: async () => victim.userId,
      read: (id) => `/api/v1/users/${id}`,
    },
    fields: [{ field: 'roleIds.0', kind: 'role', put: (id) => ({ roleIds: [id] }) }],
    byRep: 'none',
  },
  {
    name: 'teams',
    update: {
      method: 'PUT',
      path: (id) => `/api/v1/teams/${id}/members`,
      record: async (as) => createTeam(t.app, as, `Members ${++unique}`, []),
      read: (id) => `/api/v1/teams/${id}`,
    },
    fields: [
      { field: 'members.0.userId', kind: 'user', put: (id) => ({ members: [{ userId: id }] }) },
    ],
    byRep: 'none',
  },
];

/**
 * Id fields of request bodies that are not links to a stored record of the organization, or are
 * checked by their own tests: anything else with a uuid in a create/update body must be in SOURCES.
 */
const NOT_LINKS: Record<string, string> = {
  'POST /api/v1/contacts/bulk ids.0':
    'the records acted on, each loaded (and scope-checked) like GET',
  'POST /api/v1/companies/bulk ids.0':
    'the records acted on, each loaded (and scope-checked) like GET',
  'POST /api/v1/contacts/bulk ownerId':
    "checked up front (the bulk test below), and again by each record's update",
  'POST /api/v1/companies/bulk ownerId':
    "checked up front (the bulk test below), and again by each record's update",
  'POST /api/v1/activities/bulk ids.0':
    'the records acted on, each loaded (and scope-checked) like GET',
  'POST /api/v1/activities/bulk ownerId':
    "checked up front (the bulk test below), and again by each record's update",
  'POST /api/v1/leads/bulk ids.0': 'the records acted on, each loaded (and scope-checked) like GET',
  'POST /api/v1/leads/bulk ownerId':
    "checked up front (the bulk test below), and again by each record's update",
  'POST /api/v1/deals/bulk ids.0': 'the records acted on, each loaded (and scope-checked) like GET',
  'POST /api/v1/deals/bulk ownerId':
    "checked up front (the bulk test below), and again by each record's update",
  'POST /api/v1/tickets/bulk ids.0':
    'the records acted on, each loaded (and scope-checked) like GET',
  'POST /api/v1/tickets/bulk ownerId':
    "checked up front (the bulk test below), and again by each record's update",
  'POST /api/v1/:resource/bulk ids.0':
    'the records acted on, each loaded (and scope-checked) like GET',
  'POST /api/v1/:resource/bulk ownerId':
    "checked up front (the bulk test below), and again by each record's update",
  'POST /api/v1/contacts/:id/merge sourceIds.0':
    'merge sources are loaded like GET (422 sourceIds.N; merge.test)',
  'POST /api/v1/companies/:id/merge sourceIds.0':
    'merge sources are loaded like GET (422 sourceIds.N; merge.test)',
  'POST /api/v1/leads/:id/merge sourceIds.0':
    'merge sources are loaded like GET (422 sourceIds.N; merge-objects.test)',
  'POST /api/v1/deals/:id/merge sourceIds.0':
    'merge sources are loaded like GET (422 sourceIds.N; merge-objects.test)',
  'POST /api/v1/:resource/:id/merge sourceIds.0':
    'merge sources are loaded like GET (422 sourceIds.N; merge-objects.test)',
  'POST /api/v1/leads/:id/convert contactId':
    'conversion targets are loaded like GET (422; conversion.test)',
  'POST /api/v1/leads/:id/convert companyId':
    'conversion targets are loaded like GET (422; conversion.test)',
  'POST /api/v1/leads/:id/convert deal.pipelineId':
    "the deal's, checked by the deals service and renamed under deal. (422; conversion.test)",
  'POST /api/v1/leads/:id/convert deal.stageId':
    "the deal's, checked by the deals service and renamed under deal. (422; conversion.test)",
  'POST /api/v1/leads/:id/convert deal.ownerId':
    "the deal's, checked by the deals service and renamed under deal. (422; conversion.test)",
  'POST /api/v1/views teamId': 'a team the actor belongs to, or 422 teamId (views.test)',
  'PATCH /api/v1/views/:id teamId': 'a team the actor belongs to, or 422 teamId (views.test)',
  'POST /api/v1/pipelines stages.0.id': "the pipeline's own stages, matched within it",
  'PATCH /api/v1/pipelines/:id stages.0.id': "the pipeline's own stages, matched within it",
  'POST /api/v1/workflows/:id/test recordId':
    'the trigger record, loaded like GET (workflows module)',
  'POST /api/v1/workflows/:id/run recordId': 'the trigger record, loaded like GET (404; runs.test)',
  'POST /api/v1/auth/mfa/verify mfaToken': 'a token, not a record',
};

/** Dotted paths (arrays as `.0`) of the uuid-formatted fields of a JSON schema. */
function uuidPaths(schema: unknown, prefix = ''): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const s = schema as {
    format?: string;
    properties?: Record<string, unknown>;
    items?: unknown;
    anyOf?: unknown[];
    oneOf?: unknown[];
  };
  if (s.format === 'uuid') return [prefix];
  const at = (key: string) => (prefix ? `${prefix}.${key}` : key);
  return [
    ...Object.entries(s.properties ?? {}).flatMap(([k, v]) => uuidPaths(v, at(k))),
    ...(s.items ? uuidPaths(s.items, at('0')) : []),
    ...[...(s.anyOf ?? []), ...(s.oneOf ?? [])].flatMap((v) => uuidPaths(v, prefix)),
  ];
}

/** `METHOD path field` for every uuid field of every request body in the route table. */
function bodyIdFields(): string[] {
  return ALL_ROUTES.flatMap((r) => {
    const body = (r as { body?: z.ZodType }).body;
    if (!body) return [];
    const json = z.toJSONSchema(body, { io: 'input', unrepresentable: 'any' });
    return [...new Set(uuidPaths(json))].map((field) => `${r.method} ${r.path} ${field}`);
  });
}

/** What SOURCES cover, in the same `METHOD path field` form. */
function coveredFields(): Set<string> {
  const covered = new Set<string>();
  for (const source of SOURCES) {
    for (const f of source.fields) {
      if (source.create) covered.add(`POST ${source.create.path} ${f.field}`);
      if (source.update)
        covered.add(`${source.update.method} ${source.update.path(':id')} ${f.field}`);
    }
  }
  return covered;
}

const bodyFor = (f: Field, id: string) => (f.put ? f.put(id) : { [f.field]: id });

/** How many records a list path holds (meta.total when the list counts, else the page). */
async function countOf(as: TestUser, path: string): Promise<number> {
  let res = await api(as).get(`${path}?count=true&limit=200`);
  // Small settings lists (quotas) take no paging parameters.
  if (res.statusCode === 400) res = await api(as).get(path);
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json();
  return (body.meta?.total as number | undefined) ?? (body.data as unknown[]).length;
}

function expectRefused(res: LightMyRequestResponse, field: string): void {
  expect(res.statusCode, `${field}: ${res.body}`).toBe(422);
  expect(errorOf(res).code).toBe('REFERENCE_NOT_FOUND');
  expect(errorOf(res).details?.map((d) => d.path)).toEqual([field]);
}

/** The ids a field is refused with, and as whom: foreign, missing, and (scoped kinds) hidden from the rep. */
function badCases(
  source: Source,
  f: Field,
  action: 'create' | 'update',
): Array<{ label: string; id: string; as: TestUser }> {
  const cases = [
    { label: "another organization's", id: targets.foreign[f.kind] ?? '', as: a },
    { label: 'a missing', id: uuidv7(), as: a },
  ];
  const hidden = targets.hidden[f.kind];
  const repMay = source.byRep === 'both' || (source.byRep === 'create' && action === 'create');
  if (repMay && SCOPED.has(f.kind) && hidden)
    cases.push({ label: 'a hidden', id: hidden, as: rep });
  return cases;
}

beforeAll(async () => {
  t = await createTestApp();
  [a, b] = await Promise.all([
    registerOrganization(t.app, 'Refs A'),
    registerOrganization(t.app, 'Refs B'),
  ]);
  rep = await addUser(t.app, a, 'sales_rep');
  victim = await addUser(t.app, a, 'sales_rep');
  const kinds: Kind[] = [
    'user',
    'team',
    'role',
    'pipeline',
    'stage',
    'product',
    'contact',
    'company',
    'deal',
    'lead',
    'ticket',
  ];
  for (const kind of kinds) {
    targets.own[kind] = await make(a, kind);
    targets.foreign[kind] = await make(b, kind);
    // A's admin owns it and the rep shares no team with them: out of the rep's sight.
    if (SCOPED.has(kind)) targets.hidden[kind] = await make(a, kind);
  }
  targets.own.role = (await api(a).get('/api/v1/roles'))
    .json()
    .data.find((r: { key: string }) => r.key === 'sales_rep').id;
}, 120_000);

afterAll(async () => {
  await t.close();
});

describe('reference fields', () => {
  it('covers every id field of every create and update body in the route table', () => {
    const covered = coveredFields();
    const uncovered = bodyIdFields().filter((k) => !covered.has(k) && !(k in NOT_LINKS));
    expect(uncovered).toEqual([]);
  });

  it('bulk assign refuses an owner of another organization or of nobody before touching a record', async () => {
    const contact = await make(a, 'contact');
    for (const kind of ['contacts', 'companies'] as const) {
      const id = kind === 'contacts' ? contact : (targets.own.company ?? '');
      const before = (await api(a).get(`/api/v1/${kind}/${id}`)).body;
      for (const ownerId of [b.userId, uuidv7()]) {
        const res = await api(a).post(`/api/v1/${kind}/bulk`, {
          ids: [id],
          action: 'assign',
          ownerId,
        });
        expectRefused(res, 'ownerId');
      }
      expect((await api(a).get(`/api/v1/${kind}/${id}`)).body).toBe(before);
    }
  });

  it('bulk assign on leads, deals and tickets refuses a foreign or unknown owner the same way', async () => {
    for (const kind of ['lead', 'deal', 'ticket'] as const) {
      const id = targets.own[kind] ?? '';
      const before = (await api(a).get(`/api/v1/${kind}s/${id}`)).body;
      for (const ownerId of [b.userId, uuidv7()])
        expectRefused(
          await api(a).post(`/api/v1/${kind}s/bulk`, { ids: [id], action: 'assign', ownerId }),
          'ownerId',
        );
      expect((await api(a).get(`/api/v1/${kind}s/${id}`)).body).toBe(before);
    }
  });

  for (const source of SOURCES) {
    if (source.create) {
      it(`${source.name}: create refuses foreign, missing and hidden ids naming the field, stores nothing, and accepts a valid one`, async () => {
        const create = source.create;
        if (!create) return;
        for (const f of source.fields) {
          for (const bad of badCases(source, f, 'create')) {
            const before = await countOf(a, create.path);
            const res = await api(bad.as).post(create.path, {
              ...create.body(),
              ...bodyFor(f, bad.id),
            });
            expect(res.statusCode, `${f.field} with ${bad.label} id`).toBe(422);
            expectRefused(res, f.field);
            expect(await countOf(a, create.path), `${f.field}: nothing stored`).toBe(before);
          }
          const ok = await api(a).post(create.path, {
            ...create.body(),
            ...bodyFor(f, targets.own[f.kind] ?? ''),
          });
          expect(ok.statusCode, `${f.field} valid: ${ok.body}`).toBe(201);
        }
      });
    }
    const update = source.update;
    if (update) {
      it(`${source.name}: update refuses foreign, missing and hidden ids naming the field, changes nothing, and accepts a valid one`, async () => {
        for (const f of source.fields) {
          for (const bad of badCases(source, f, 'update')) {
            const id = await update.record(bad.as);
            const before = (await api(a).get(update.read(id))).body;
            const res = await api(bad.as)[update.method === 'PATCH' ? 'patch' : 'put'](
              update.path(id),
              { ...update.body?.(), ...bodyFor(f, bad.id) },
            );
            expect(res.statusCode, `${f.field} with ${bad.label} id`).toBe(422);
            expectRefused(res, f.field);
            expect((await api(a).get(update.read(id))).body, `${f.field}: record unchanged`).toBe(
              before,
            );
          }
          const id = await update.record(a);
          const ok = await api(a)[update.method === 'PATCH' ? 'patch' : 'put'](update.path(id), {
            ...update.body?.(),
            ...bodyFor(f, targets.own[f.kind] ?? ''),
          });
          expect(ok.statusCode, `${f.field} valid: ${ok.body}`).toBe(200);
        }
      });
    }
  }
});
