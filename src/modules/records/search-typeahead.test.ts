import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerOrganization, type TestUser } from '../../../test/factories.js';
import { client, createTestApp, errorOf, type TestApp } from '../../../test/harness.js';
import { createCtx, systemActor } from '../../platform/context/index.js';
import { withTenant } from '../../platform/db/index.js';
import { MODULES } from '../index.js';
import { installSearchProviders, search, type SearchProvider } from './search.js';

describe('search typeahead: passes, cache, budget', () => {
  let t: TestApp;
  let admin: TestUser;
  let rep: TestUser;
  let elsewhere: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await registerOrganization(t.app, 'Typeahead');
    rep = await addUser(t.app, admin, 'sales_rep');
    elsewhere = await registerOrganization(t.app, 'Typeahead Elsewhere');
  });
  afterAll(() => t.close());

  const create = async (u: TestUser, firstName: string, lastName: string) => {
    const res = await client(t.app, u.token).post('/api/v1/contacts', { firstName, lastName });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const titles = async (u: TestUser, q: string, app = t.app) => {
    const res = await client(app, u.token).get(
      `/api/v1/search?q=${encodeURIComponent(q)}&types=contacts`,
    );
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ data: Array<{ title: string }> }>().data.map((h) => h.title);
  };

  it('ranks the exact word first, then a prefix, then a corrected typo', async () => {
    await create(admin, 'Zarbo', 'Quill');
    await create(admin, 'Zorboni', 'Quill');
    await create(admin, 'Zorbo', 'Quill');
    const res = await client(t.app, admin.token).get('/api/v1/search?q=zorbo&types=contacts');
    const hits = res.json<{ data: Array<{ title: string; score: number }> }>().data;
    expect(hits.map((h) => h.title)).toEqual(['Zorbo Quill', 'Zorboni Quill', 'Zarbo Quill']);
    // Each a class of its own: a typo is a weaker match, not a non-match.
    const [exact, prefix, typo] = hits.map((h) => h.score);
    expect(exact).toBeGreaterThan(prefix ?? 1);
    expect(prefix).toBeGreaterThan(typo ?? 1);
    expect(typo).toBeGreaterThan(0);
  });

  it('finds a name typed with its letters swapped, in either word', async () => {
    await create(admin, 'Linus', 'Torvalds');
    expect(await titles(admin, 'tornvalds')).toContain('Linus Torvalds');
    expect(await titles(admin, 'lnius torvlads')).toContain('Linus Torvalds');
  });

  it('leaves typos out of a page the words as typed fill, and ranks them last otherwise', async () => {
    for (let i = 0; i < 3; i++) await create(admin, 'Brannigan', `Page${i}`);
    await create(admin, 'Branigan', 'Typo');
    const res = await client(t.app, admin.token).get(
      '/api/v1/search?q=brannigan&types=contacts&limit=3',
    );
    const found = res.json<{ data: Array<{ title: string }> }>().data.map((h) => h.title);
    expect(found).toHaveLength(3);
    expect(found).not.toContain('Branigan Typo');
    // With room on the page the typo pass runs and the near spelling joins, ranked last.
    const wide = await titles(admin, 'brannigan');
    expect(wide.at(-1)).toBe('Branigan Typo');
  });

  it('serves a repeated search from the cache until a record changes', async () => {
    expect(await titles(admin, 'pemberton')).toEqual([]);
    // A row written without an event (no service call) is not seen while the answer is cached:
    // this is what proves the second answer came from the cache.
    await withTenant(t.deps.database.db, admin.organizationId, (tx) =>
      sql`insert into contacts (organization_id, id, first_name, last_name, emails, owner_id)
          values (${admin.organizationId}, gen_random_uuid(), 'Silent', 'Pemberton', '[]', ${admin.userId})`.execute(
        tx,
      ),
    );
    expect(await titles(admin, 'pemberton')).toEqual([]);
    // Created through the service: the event retires the organization's cached answers.
    const id = await create(admin, 'Ada', 'Pemberton');
    expect((await titles(admin, 'pemberton')).sort()).toEqual([
      'Ada Pemberton',
      'Silent Pemberton',
    ]);
    const renamed = await client(t.app, admin.token).patch(`/api/v1/contacts/${id}`, {
      lastName: 'Pennyworth',
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(await titles(admin, 'pemberton')).toEqual(['Silent Pemberton']);
    expect(await titles(admin, 'pennyworth')).toEqual(['Ada Pennyworth']);
    expect((await client(t.app, admin.token).delete(`/api/v1/contacts/${id}`)).statusCode).toBe(
      204,
    );
    expect(await titles(admin, 'pennyworth')).toEqual([]);
  });

  it('retires the answers another process cached when a record changes', async () => {
    const peer = await createTestApp({}, { sameDeploymentAs: t });
    try {
      expect(await titles(admin, 'marchbanks', peer.app)).toEqual([]);
      await create(admin, 'Eve', 'Marchbanks');
      expect(await titles(admin, 'marchbanks', peer.app)).toEqual(['Eve Marchbanks']);
    } finally {
      await peer.close();
    }
  });

  it('never answers from an entry cached for a wider scope or another organization', async () => {
    await create(admin, 'Owned', 'Wexford');
    await create(elsewhere, 'Foreign', 'Wexford');
    // The admin's answer (scope all) is cached first; the rep (own scope) must not get it.
    expect(await titles(admin, 'wexford')).toEqual(['Owned Wexford']);
    expect(await titles(rep, 'wexford')).toEqual([]);
    expect(await titles(elsewhere, 'wexford')).toEqual(['Foreign Wexford']);
    // And the other way round: the rep's empty answer, cached first, is not the admin's.
    await create(admin, 'Owned', 'Ashdown');
    expect(await titles(rep, 'ashdown')).toEqual([]);
    expect(await titles(admin, 'ashdown')).toEqual(['Owned Ashdown']);
  });

  it('stops an abandoned search before its next statement and does not cache its answer', async () => {
    await create(admin, 'Abigail', 'Cancelwood');
    const ctx = createCtx(t.deps, systemActor(admin.organizationId));
    const gone = new AbortController();
    gone.abort();
    expect(await search(ctx, 'cancelwood', ['contacts'], 10, { signal: gone.signal })).toEqual([]);
    const again = await search(ctx, 'cancelwood', ['contacts'], 10);
    expect(again.map((h) => h.title)).toEqual(['Abigail Cancelwood']);
  });

  describe('a statement out of time (PostgreSQL statement_timeout)', () => {
    const real = MODULES.flatMap((m) => m.searchProviders ?? []);
    const cancelled = () =>
      Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
    /** A provider whose statement PostgreSQL cancels: always, or in the typo pass only. */
    const slow = (typosOnly: boolean): SearchProvider => ({
      type: 'slowthings',
      permission: 'contacts:read',
      search: async (_ctx, _tx, query) => {
        if (!typosOnly || query.fuzzy) throw cancelled();
        return [];
      },
    });
    afterAll(() => installSearchProviders(real));

    it('answers 503 SEARCH_TIMED_OUT when nothing was found in time', async () => {
      installSearchProviders([...real, slow(false)]);
      const res = await client(t.app, admin.token).get(
        '/api/v1/search?q=anything&types=slowthings',
      );
      expect(res.statusCode).toBe(503);
      expect(errorOf(res).code).toBe('SEARCH_TIMED_OUT');
      expect(res.headers['retry-after']).toBe('1');
    });

    it('answers the first pass when the typo pass runs out of time, uncached', async () => {
      await create(admin, 'Timothy', 'Outwater');
      // Contacts correct their own typos in the first pass; the other provider's typo pass
      // ("timothy" → "timothe") is cancelled, so the first pass's answer comes back.
      await create(admin, 'Timothe', 'Inwater');
      const q = '/api/v1/search?q=timothy&types=contacts,slowthings';
      installSearchProviders([...real, slow(true)]);
      const first = await client(t.app, admin.token).get(q);
      expect(first.statusCode, first.body).toBe(200);
      const titlesOf = (res: typeof first) =>
        res.json<{ data: Array<{ title: string }> }>().data.map((h) => h.title);
      expect(titlesOf(first)).toEqual(['Timothy Outwater', 'Timothe Inwater']);
      // Had the cut answer been cached, the typo pass's hit would not show up now.
      const found: SearchProvider = {
        ...slow(true),
        search: async (_ctx, _tx, query) =>
          query.fuzzy
            ? [
                {
                  type: 'slowthings',
                  id: admin.userId,
                  title: 'Slow thing',
                  subtitle: null,
                  score: 0.1,
                },
              ]
            : [],
      };
      installSearchProviders([...real, found]);
      expect(titlesOf(await client(t.app, admin.token).get(q))).toEqual([
        'Timothy Outwater',
        'Timothe Inwater',
        'Slow thing',
      ]);
    });
  });

  it('refuses an unknown type and answers nothing to a role without read permissions', async () => {
    const bad = await client(t.app, admin.token).get('/api/v1/search?q=zorbo&types=spaceships');
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).details).toEqual([expect.objectContaining({ path: 'types' })]);
    expect((await client(t.app).get('/api/v1/search?q=zorbo')).statusCode).toBe(401);
  });
});
