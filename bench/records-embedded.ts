// `npm run bench:records:embedded`: list and search typeahead over 100k contacts on the embedded
// database. PGlite is one connection in one process, so the raw SQL baseline runs first, in this
// process, on the same data directory; then the server opens it and the API is measured.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openEmbedded } from '../src/platform/db/index.js';
import { loadFn, loadHttp, ratio, type Measured } from './load.js';
import { startBenchServer } from './server.js';
import { reportResult } from './results.js';
import { cacheMissSearchPaths } from './search-misses.js';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const KEYSTROKES = [
  'jo',
  'joh',
  'john',
  'john s',
  'john smi',
  'john smith12',
  'jonh smi',
  'jonh smtih',
  'ada lov',
  'person12345',
  'tornvalds',
];

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cerebro-bench-embedded-'));
  let server = await startBenchServer({ DATA_DIR: dataDir });
  const reg = (await (
    await globalThis.fetch(`${server.url}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'bench@embedded.example',
        password: 'benchmark-password',
        name: 'Bench',
        organizationName: 'Embedded Bench',
      }),
    })
  ).json()) as { user: { id: string }; organization: { id: string } };
  await server.stop();

  const database = await openEmbedded(dataDir);
  const org = reg.organization.id;
  const seedStart = performance.now();
  await sql`insert into contacts (organization_id, id, first_name, last_name, email, emails, status, owner_id, created_at)
    select ${org}, gen_random_uuid(), (array['John','Ada','Grace','Alan','Linus','Margaret','Ken','Barbara'])[1 + i % 8],
           (array['Smith','Lovelace','Hopper','Turing','Torvalds','Hamilton','Thompson','Liskov','Johnson','Ritchie'])[1 + (i / 8) % 10] || (i % 997)::text,
           'person' || i || '@bench.example', '[]', (array['LEAD','PROSPECT','CUSTOMER','INACTIVE'])[1 + i % 4], ${reg.user.id}, now() - make_interval(secs => i)
    from generate_series(1, ${CONTACTS}) i`.execute(database.db);
  await sql`analyze contacts`.execute(database.db);
  const seedSeconds = (performance.now() - seedStart) / 1000;
  const scoped = sql`organization_id = ${org} and deleted_at is null and merged_into is null`;
  const rawList = await loadFn(
    () =>
      sql`select * from contacts where ${scoped} and status = 'CUSTOMER' order by coalesce(lower(last_name), ''), id limit 51`.execute(
        database.db,
      ),
    { concurrency: 1, seconds: SECONDS },
  );
  let k = 0;
  // The statement the name phase of the search runs for two words, as the raw typeahead baseline.
  const rawSearch = await loadFn(
    () => {
      const [a = '', b = ''] = (KEYSTROKES[k++ % KEYSTROKES.length] ?? '').split(' ');
      return sql`select id, first_name, last_name, email from contacts where ${scoped}
      and lower(first_name) collate "C" like ${`${a}%`} and lower(last_name) collate "C" like ${`${b}%`}
      order by lower(first_name) collate "C", lower(last_name) collate "C" limit 25`.execute(
        database.db,
      );
    },
    { concurrency: 1, seconds: SECONDS },
  );
  await database.close();

  server = await startBenchServer({ DATA_DIR: dataDir });
  const login = (await (
    await globalThis.fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench@embedded.example', password: 'benchmark-password' }),
    })
  ).json()) as { accessToken: string };
  const auth = { authorization: `Bearer ${login.accessToken}` };
  const sequential = (paths: string[]): Promise<Measured> => {
    let i = 0;
    return loadFn(
      async () => {
        const r = await globalThis.fetch(`${server.url}${paths[i++ % paths.length] ?? '/'}`, {
          headers: auth,
        });
        if (!r.ok) throw new Error(String(r.status));
        await r.arrayBuffer();
      },
      { concurrency: 1, seconds: SECONDS },
    );
  };
  const listPath = '/api/v1/contacts?filter[status]=CUSTOMER&sort=lastName&limit=50';
  const searchPaths = KEYSTROKES.map(
    (q) => `/api/v1/search?q=${encodeURIComponent(q)}&types=contacts&limit=10`,
  );
  const list1 = await sequential([listPath]);
  const list10 = await loadHttp(`${server.url}${listPath}`, {
    connections: 10,
    seconds: SECONDS,
    headers: auth,
  });
  const search1 = await sequential(searchPaths);
  // Every keystroke a cache miss: the work of a search nobody asked before.
  const searchMiss1 = await sequential(cacheMissSearchPaths(KEYSTROKES, 10));
  const search10 = await loadHttp(`${server.url}${searchPaths[0] ?? ''}`, {
    connections: 10,
    seconds: SECONDS,
    headers: auth,
    paths: searchPaths,
  });
  const rssMb = Math.round(server.rssMb());
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
  const result = {
    name: 'records-embedded',
    at: new Date().toISOString(),
    contacts: CONTACTS,
    seedSeconds: Number(seedSeconds.toFixed(1)),
    workloads: [
      {
        workload: 'list: filter status, sort lastName, 50 — 1 connection',
        api: list1,
        rawSql: rawList,
        ratio: ratio(list1, rawList),
      },
      { workload: 'list — 10 connections (PGlite serializes them)', api: list10 },
      {
        workload: `search typeahead, ${KEYSTROKES.length} keystrokes in turn — 1 connection`,
        api: search1,
        rawSql: rawSearch,
        ratio: ratio(search1, rawSearch),
      },
      {
        workload: `search typeahead, every keystroke a cache miss — 1 connection`,
        api: searchMiss1,
        rawSql: rawSearch,
        ratio: ratio(searchMiss1, rawSearch),
      },
      { workload: 'search typeahead — 10 connections', api: search10 },
    ],
    serverRssMb: rssMb,
  };
  await reportResult('records-embedded', result);
}

await main();
