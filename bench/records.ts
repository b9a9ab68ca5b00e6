// `npm run bench:records`: contacts on PostgreSQL — list, search typeahead and custom-field filter
// through the API against the same SQL run directly, plus the Twenty comparison workloads and an
// import against a raw COPY. Reports only; never fails on a timing.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import pg from 'pg';
import { from } from 'pg-copy-streams';
import { loadFn, loadHttp, ratio } from './load.js';
import { freshDatabase, startBenchServer } from './server.js';
import { reportResult } from './results.js';
import { cacheMissSearchPaths } from './search-misses.js';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
// Its own name lets two checkouts benchmark on one server without dropping each other's database.
const DB = process.env.BENCH_DB_NAME ?? 'cerebro_bench';

async function main(): Promise<void> {
  const dbUrl = await freshDatabase(ADMIN_URL, DB);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cerebro-bench-records-'));
  const server = await startBenchServer({ DATA_DIR: dataDir, DATABASE_URL: dbUrl });
  const post = async (p: string, body: unknown, token?: string) =>
    (
      await globalThis.fetch(`${server.url}${p}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      })
    ).json() as Promise<Record<string, unknown>>;
  const reg = (await post('/api/v1/auth/register', {
    email: 'bench@records.example',
    password: 'benchmark-password',
    name: 'Bench',
    organizationName: 'Records Bench',
  })) as { accessToken: string; user: { id: string }; organization: { id: string } };
  const auth = { authorization: `Bearer ${reg.accessToken}` };
  await post(
    '/api/v1/custom-fields',
    { objectType: 'contact', key: 'size', label: 'Size', type: 'number' },
    reg.accessToken,
  );

  const pool = new pg.Pool({ connectionString: dbUrl, max: 10 });
  const org = reg.organization.id;
  const seedStart = performance.now();
  await pool.query(
    `insert into contacts (organization_id, id, first_name, last_name, email, emails, status, owner_id, custom_fields, created_at)
     select $1, gen_random_uuid(), (array['John','Ada','Grace','Alan','Linus','Margaret','Ken','Barbara'])[1 + i % 8],
            (array['Smith','Lovelace','Hopper','Turing','Torvalds','Hamilton','Thompson','Liskov','Johnson','Ritchie'])[1 + (i / 8) % 10] || (i % 997)::text,
            'person' || i || '@bench.example', jsonb_build_array(jsonb_build_object('email', 'person' || i || '@bench.example', 'primary', true)),
            (array['LEAD','PROSPECT','CUSTOMER','INACTIVE'])[1 + i % 4], $2, jsonb_build_object('size', i % 1000), now() - make_interval(secs => i)
     from generate_series(1, $3) i`,
    [org, reg.user.id, CONTACTS],
  );
  await pool.query('analyze contacts');
  const seedSeconds = (performance.now() - seedStart) / 1000;

  const scoped = `organization_id = $1 and deleted_at is null and merged_into is null`;
  const vector = `cerebro_search_vector(coalesce(first_name, ''), coalesce(last_name, ''), coalesce(email, ''), coalesce(phone, ''))`;
  // What a user types into the palette, keystroke by keystroke, typos included.
  const keystrokes = [
    'jo',
    'joh',
    'john',
    'john s',
    'john sm',
    'john smi',
    'john smith',
    'john smith12',
    'jonh smi',
    'jonh smtih',
    'ada lov',
    'grace hopper9',
    'person12345',
    'tornvalds',
  ];
  // The raw baseline runs the statements the search endpoint runs, written out: split and the
  // name-index branches for the words as typed; when those find less than a page, the
  // vocabulary and the branches for the corrected spellings; then, when names found too few,
  // the word index (with the corrections when there are any).
  const PAGE = 10;
  const rawSearch = async (c: pg.PoolClient, q: string) => {
    await c.query("select set_config('app.organization_id', $1, false)", [org]);
    const words = (
      (await c.query<{ w: string[] }>('select cerebro_search_words($1) as w', [q])).rows[0]?.w ?? []
    ).slice(0, 5);
    const lex = (w: string) => `'${w}':*`;
    // The organization is named as the API's row level security names it: as the superuser
    // with no policy, `id in (…)` alone would read the whole table to join a few ids.
    const names = async (spell: (w: string) => string[]) => {
      const [a = '', b] = words;
      const pairs =
        words.length > 2
          ? []
          : b
            ? spell(a).flatMap((x) => spell(b).map((y) => [x, y] as const))
            : spell(a).map((x) => [x, null] as const);
      let found = 0;
      for (const [x, y] of pairs) {
        for (const lastFirst of [false, true]) {
          const r = await c.query(
            `select id, first_name, last_name, email, phone, title from contacts where organization_id = $4 and id in (select cerebro_names_contacts($1, $2, $3, 25))`,
            [x, y, lastFirst, org],
          );
          found += r.rowCount ?? 0;
        }
      }
      return found;
    };
    let found = await names((w) => [w]);
    let tsquery = words.map(lex).join(' & ');
    if (found < PAGE) {
      const near = await c.query<{ word: string; alt: string }>(
        `select w.word, left(v.word, length(w.word)) as alt from (select word, case when length(word) = 3 then 1 else 2 end as k from unnest($2::text[]) word where length(word) >= 3) w
         join search_words v on v.organization_id = $1 and v.word >= left(w.word, 1) and v.word < chr(ascii(w.word) + 1) and length(v.word) >= length(w.word) - w.k
         where levenshtein_less_equal(w.word, left(v.word, length(w.word)), w.k) between 1 and w.k group by 1, 2`,
        [org, words],
      );
      if (near.rowCount) {
        const alternatives = (w: string) => [
          w,
          ...near.rows.filter((r) => r.word === w).map((r) => r.alt),
        ];
        found += await names((w) => alternatives(w).slice(0, 3));
        tsquery = words.map((w) => `(${alternatives(w).map(lex).join(' | ')})`).join(' & ');
      }
    }
    if (found >= 2 * PAGE) return;
    await c.query(
      `select id, first_name, last_name, email, phone, title from contacts where ${scoped} and ${vector} @@ $2::tsquery limit 200`,
      [org, tsquery],
    );
  };
  const missPaths = cacheMissSearchPaths(keystrokes, PAGE);
  const workloads: Array<{
    name: string;
    paths: string[];
    connections: number;
    raw: (c: pg.PoolClient, i: number) => Promise<unknown>;
  }> = [
    {
      name: 'list: filter status, sort lastName, 50',
      connections: 50,
      paths: ['/api/v1/contacts?filter[status]=CUSTOMER&sort=lastName&limit=50'],
      raw: (c) =>
        c.query(
          `select * from contacts where ${scoped} and status = 'CUSTOMER' order by coalesce(lower(last_name), ''), id limit 51`,
          [org],
        ),
    },
    ...[1, 50].flatMap((connections) => [
      {
        name: `search typeahead, ${keystrokes.length} keystrokes in turn, ${connections} connection(s)`,
        connections,
        paths: keystrokes.map(
          (k) => `/api/v1/search?q=${encodeURIComponent(k)}&types=contacts&limit=${PAGE}`,
        ),
        raw: (c: pg.PoolClient, i: number) => rawSearch(c, keystrokes[i % keystrokes.length] ?? ''),
      },
      {
        name: `search typeahead, every keystroke a cache miss, ${connections} connection(s)`,
        connections,
        paths: missPaths,
        raw: (c: pg.PoolClient, i: number) => rawSearch(c, keystrokes[i % keystrokes.length] ?? ''),
      },
    ]),
    {
      name: 'custom field filter size >= 990, 50',
      connections: 50,
      paths: ['/api/v1/contacts?filter[custom.size][gte]=990&limit=50'],
      raw: (c) =>
        c.query(
          `select * from contacts where ${scoped} and (custom_fields ->> 'size')::numeric >= 990 order by created_at desc, id desc limit 51`,
          [org],
        ),
    },
  ];
  const results: Record<string, unknown>[] = [];
  for (const w of workloads) {
    let k = 0;
    // One connection is a person typing: each keystroke waits for the previous answer.
    const api =
      w.connections === 1
        ? await loadFn(
            async () => {
              const res = await globalThis.fetch(
                `${server.url}${w.paths[k++ % w.paths.length] ?? '/'}`,
                { headers: auth },
              );
              if (!res.ok) throw new Error(String(res.status));
              await res.arrayBuffer();
            },
            { concurrency: 1, seconds: SECONDS },
          )
        : await loadHttp(`${server.url}${w.paths[0] ?? '/'}`, {
            connections: w.connections,
            seconds: SECONDS,
            headers: auth,
            paths: w.paths,
          });
    let i = 0;
    const raw = await loadFn(
      async () => {
        const c = await pool.connect();
        try {
          await w.raw(c, i++);
        } finally {
          c.release();
        }
      },
      { concurrency: w.connections, seconds: SECONDS },
    );
    results.push({ workload: w.name, api, rawSql: raw, ratio: ratio(api, raw) });
  }

  // The Twenty comparison: 10,000 contacts in a fresh organization.
  const reg2 = (await post('/api/v1/auth/register', {
    email: 'twenty@records.example',
    password: 'benchmark-password',
    name: 'T',
    organizationName: 'Twenty Compare',
  })) as { accessToken: string; user: { id: string }; organization: { id: string } };
  await pool.query(
    `insert into contacts (organization_id, id, first_name, last_name, email, emails, owner_id) select $1, gen_random_uuid(), 'P' || i, 'Q' || i, 'p' || i || '@t.example', '[]', $2 from generate_series(1, 10000) i`,
    [reg2.organization.id, reg2.user.id],
  );
  await pool.query('analyze contacts');
  let n = 0;
  const twenty: Record<string, unknown> = {};
  for (const connections of [10, 50]) {
    twenty[`list60_c${connections}`] = await loadHttp(`${server.url}/api/v1/contacts?limit=60`, {
      connections,
      seconds: SECONDS,
      headers: { authorization: `Bearer ${reg2.accessToken}` },
    });
    twenty[`create_c${connections}`] = await loadHttp(`${server.url}/api/v1/contacts`, {
      connections,
      seconds: SECONDS,
      method: 'POST',
      headers: { authorization: `Bearer ${reg2.accessToken}` },
      body: () => JSON.stringify({ firstName: 'New', email: `new${process.pid}-${++n}@t.example` }),
    });
  }
  const rssAfterLoadMb = server.rssMb();

  // Import vs COPY of the same CSV.
  const csv = path.join(dataDir, 'import.csv');
  const out = createWriteStream(csv);
  out.write('First Name,Last Name,Email,Lifecycle Stage\n');
  for (let i = 0; i < IMPORT_ROWS; i++)
    if (!out.write(`Imp${i},Row${i % 1000},imp${i}@import.example,lead\n`))
      await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  // Two raw baselines: COPY into an unindexed staging table (the file's bytes into PostgreSQL),
  // and that plus INSERT … SELECT into contacts — the same rows, table, indexes and triggers the
  // import writes to, with none of its parsing, validation, dedupe or rollback records.
  const copyStart = performance.now();
  await pool.query(
    'create table copy_probe (first_name text, last_name text, email text, stage text)',
  );
  {
    const c = await pool.connect();
    const stream = c.query(from('copy copy_probe from stdin with (format csv, header true)'));
    const { createReadStream } = await import('node:fs');
    const { pipeline } = await import('node:stream/promises');
    await pipeline(createReadStream(csv), stream);
    c.release();
  }
  const copySeconds = (performance.now() - copyStart) / 1000;
  await pool.query(
    `insert into contacts (organization_id, id, first_name, last_name, email, emails, status, owner_id)
    select $1, gen_random_uuid(), first_name, last_name, 'raw-' || email, jsonb_build_array(jsonb_build_object('email', 'raw-' || email, 'primary', true)), 'LEAD', $2 from copy_probe`,
    [reg2.organization.id, reg2.user.id],
  );
  const copyInsertSeconds = (performance.now() - copyStart) / 1000;
  await pool.query('drop table copy_probe');
  const form = new FormData();
  form.append('dedupe', 'create');
  form.append(
    'file',
    new Blob([await (await import('node:fs/promises')).readFile(csv)]),
    'import.csv',
  );
  const importStart = performance.now();
  const started = (await (
    await globalThis.fetch(`${server.url}/api/v1/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${reg2.accessToken}` },
      body: form,
    })
  ).json()) as { id: string };
  let peakRssMb = 0;
  for (;;) {
    peakRssMb = Math.max(peakRssMb, server.rssMb());
    const s = (await (
      await globalThis.fetch(`${server.url}/api/v1/imports/${started.id}`, {
        headers: { authorization: `Bearer ${reg2.accessToken}` },
      })
    ).json()) as { status: string; processed: number };
    if (s.status === 'done' || s.status === 'failed') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const importSeconds = (performance.now() - importStart) / 1000;
  await server.stop();
  await pool.end();

  const result = {
    name: 'records-postgres',
    at: new Date().toISOString(),
    contacts: CONTACTS,
    seedSeconds: Number(seedSeconds.toFixed(1)),
    workloads: results,
    twentyComparison: twenty,
    serverRssAfterLoadMb: Math.round(rssAfterLoadMb),
    import: {
      rows: IMPORT_ROWS,
      fileMb: Number(((await stat(csv)).size / 1e6).toFixed(1)),
      seconds: Number(importSeconds.toFixed(1)),
      rowsPerSecond: Math.round(IMPORT_ROWS / importSeconds),
      copySeconds: Number(copySeconds.toFixed(2)),
      copyRowsPerSecond: Math.round(IMPORT_ROWS / copySeconds),
      ratioToCopy: Number((copySeconds / importSeconds).toFixed(3)),
      copyIntoContactsSeconds: Number(copyInsertSeconds.toFixed(2)),
      copyIntoContactsRowsPerSecond: Math.round(IMPORT_ROWS / copyInsertSeconds),
      ratioToCopyIntoContacts: Number((copyInsertSeconds / importSeconds).toFixed(3)),
      peakRssMb: Math.round(peakRssMb),
    },
  };
  await rm(dataDir, { recursive: true, force: true });
  await reportResult('records', result);
}

await main();
