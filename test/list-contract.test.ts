import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoRecords } from '../src/modules/contacts/index.js';
import { seedDemoDeals, seedDemoLeads } from '../src/modules/sales/index.js';
import { seedDemoTickets } from '../src/modules/support/index.js';
import { seedDemoWorkflowRuns, seedDemoWorkflows } from '../src/modules/workflows/index.js';
import { registerOrganization, type TestUser } from './factories.js';
import { client, createTestApp, type TestApp } from './harness.js';
import { settle } from './workflows.js';

// Issue 11, item 10: API.md promises every list `limit`, `cursor` and `meta.total` on `count=true`.
// The routes come from the OpenAPI document, so a new list route is checked without a new test.

interface Operation {
  parameters?: Array<{ name: string; in: string }>;
  responses?: Record<
    string,
    {
      content?: Record<
        string,
        { schema?: { properties?: Record<string, unknown>; $ref?: string } }
      >;
    }
  >;
}
type Page = { data: Array<{ id?: string }>; meta: { nextCursor: string | null; total?: number } };

/** Ids for the path parameters of list routes below a record; a list route with a parameter missing here fails. */
type PathIds = Record<string, () => Promise<string>>;

describe('every list route keeps the list contract', () => {
  let t: TestApp;
  let admin: TestUser;
  let lists: Array<{ path: string; operation: Operation }>;
  let pathIds: PathIds;
  beforeAll(async () => {
    t = await createTestApp({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
    admin = await registerOrganization(t.app, 'Lists');
    const { deps } = t;
    await seedDemoWorkflows(deps, admin.organizationId, admin.userId);
    await seedDemoRecords(deps, admin.organizationId, admin.userId, { companies: 5, contacts: 7 });
    await seedDemoDeals(deps, admin.organizationId, admin.userId, 6);
    await seedDemoLeads(deps, admin.organizationId, admin.userId);
    await seedDemoTickets(deps, admin.organizationId, admin.userId);
    await seedDemoWorkflowRuns(deps, admin.organizationId, admin.userId);
    await settle(t);
    const api = client(t.app, admin.token);
    // A few of each of the smaller lists, so every list has more than one page at limit=1.
    for (const name of ['One', 'Two', 'Three']) {
      await api.post('/api/v1/webhooks', {
        url: `http://127.0.0.1:9/${name}`,
        eventTypes: ['contact.created'],
      });
      await api.post('/api/v1/teams', { name: `Team ${name}` });
      await api.post('/api/v1/views', { objectType: 'contact', name: `View ${name}` });
      await api.post('/api/v1/api-keys', { name: `Key ${name}`, scopes: ['contacts:read'] });
    }
    await api.post('/api/v1/objects', {
      key: 'project',
      labels: { singular: 'Project', plural: 'Projects' },
      fields: [{ key: 'budget', label: 'Budget', type: 'number' }],
    });
    for (const name of ['One', 'Two', 'Three']) {
      const project = await api.post('/api/v1/projects', {
        name: `Project ${name}`,
        budget: name.length,
      });
      // Its timeline holds its creation and these activities.
      await api.post('/api/v1/activities', {
        type: 'note',
        subject: `About project ${name}`,
        links: [{ objectType: 'project', recordId: project.json<{ id: string }>().id }],
      });
    }
    const firstId = async (path: string) =>
      (await api.get(`${path}${path.includes('?') ? '&' : '?'}limit=1`)).json<Page>().data[0]?.id ??
      '';
    pathIds = {
      '/api/v1/webhooks/{id}/deliveries': () => firstId('/api/v1/webhooks'),
      // Every custom object's collection: the one defined above.
      '/api/v1/{resource}': () => Promise.resolve('projects'),
      '/api/v1/contacts/{id}/timeline': () => firstId('/api/v1/contacts'),
      '/api/v1/companies/{id}/timeline': () => firstId('/api/v1/companies'),
      '/api/v1/deals/{id}/timeline': () => firstId('/api/v1/deals'),
      '/api/v1/deals/{id}/stage-history': () => firstId('/api/v1/deals'),
      '/api/v1/leads/{id}/timeline': () => firstId('/api/v1/leads'),
      '/api/v1/workflows/{id}/versions': () => firstId('/api/v1/workflows?enabled=true'),
      '/api/v1/predictions/{id}/scores': () => firstId('/api/v1/predictions'),
      // Two parameters: the whole path (a custom object record's timeline).
      '/api/v1/{resource}/{id}/timeline': async () =>
        `/api/v1/projects/${await firstId('/api/v1/projects')}/timeline`,
    };
    const doc = (await api.get('/api/openapi.json')).json<{
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    }>();
    const propertiesOf = (op: Operation) => {
      const schema = op.responses?.['200']?.content?.['application/json']?.schema;
      const ref = schema?.$ref?.split('/').pop();
      return (ref ? doc.components.schemas[ref]?.properties : schema?.properties) ?? {};
    };
    lists = Object.entries(doc.paths).flatMap(([path, ops]) => {
      const get = ops.get;
      if (!get) return [];
      const props = propertiesOf(get);
      return 'data' in props && 'meta' in props ? [{ path, operation: get }] : [];
    });
  });
  afterAll(() => t.close());

  const urlOf = async (path: string) => {
    const fill = pathIds[path];
    if (!path.includes('{')) return path;
    expect(
      fill,
      `a list route with a path parameter needs an id in pathIds: ${path}`,
    ).toBeDefined();
    const id = fill ? await fill() : '';
    return id.startsWith('/api/') ? id : path.replace(/\{\w+\}/, id);
  };
  const get = (url: string) => client(t.app, admin.token).get(url);

  it('finds the list routes in the OpenAPI document', () => {
    expect(lists.length).toBeGreaterThanOrEqual(20);
    expect(lists.map((l) => l.path)).toEqual(
      expect.arrayContaining([
        '/api/v1/contacts',
        '/api/v1/workflow-runs',
        '/api/v1/mailbox',
        '/api/v1/webhooks',
      ]),
    );
  });

  it('declares limit, cursor and count on every list', () => {
    const missing = lists.flatMap(({ path, operation }) => {
      const names = new Set(
        (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      );
      return ['limit', 'cursor', 'count']
        .filter((n) => !names.has(n))
        .map((n) => `${path} lacks ${n}`);
    });
    expect(missing).toEqual([]);
  });

  it('answers meta.total on count=true, and only then', async () => {
    const problems: string[] = [];
    for (const { path } of lists) {
      const url = await urlOf(path);
      const counted = await get(`${url}?count=true&limit=1`);
      if (counted.statusCode !== 200) {
        problems.push(`${path}?count=true: ${counted.statusCode} ${counted.body.slice(0, 200)}`);
        continue;
      }
      const page = counted.json<Page>();
      if (typeof page.meta.total !== 'number')
        problems.push(`${path}: no meta.total on count=true`);
      else if (page.meta.total < page.data.length)
        problems.push(`${path}: total ${page.meta.total} < ${page.data.length} rows`);
      const plain = (await get(`${url}?limit=1`)).json<Page>();
      if ('total' in plain.meta) problems.push(`${path}: meta.total without count=true`);
    }
    expect(problems).toEqual([]);
  });

  it('pages through every list with limit and cursor: each row once, as many as the total', async () => {
    const problems: string[] = [];
    for (const { path } of lists) {
      const url = await urlOf(path);
      const first = await get(`${url}?count=true&limit=1`);
      if (first.statusCode !== 200) continue; // reported by the test above
      const total = first.json<Page>().meta.total ?? 0;
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 60; i++) {
        const res = await get(
          `${url}?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        if (res.statusCode !== 200) {
          problems.push(`${path} page ${i + 1}: ${res.statusCode}`);
          break;
        }
        const page = res.json<Page>();
        if (page.data.length > 2) problems.push(`${path}: ${page.data.length} rows at limit=2`);
        seen.push(...page.data.map((r, n) => r.id ?? `${i}:${n}`));
        cursor = page.meta.nextCursor;
        if (!cursor) break;
      }
      if (total > 1 && seen.length === 0)
        problems.push(`${path}: no rows though total is ${total}`);
      if (new Set(seen).size !== seen.length) problems.push(`${path}: a row came twice`);
      if (total <= 120 && seen.length !== total)
        problems.push(`${path}: paged ${seen.length} rows, total says ${total}`);
    }
    expect(problems).toEqual([]);
  });

  it('refuses a malformed cursor with 400 naming it, on every list', async () => {
    const problems: string[] = [];
    for (const { path } of lists) {
      const res = await get(`${await urlOf(path)}?cursor=not-a-cursor`);
      const named =
        res.statusCode === 400 &&
        (res.json<{ error: { details?: Array<{ path: string }> } }>().error.details ?? []).some(
          (d) => d.path === 'cursor',
        );
      if (!named) problems.push(`${path}: ${res.statusCode} ${res.body.slice(0, 160)}`);
    }
    expect(problems).toEqual([]);
  });
});
