// `npm run bench:objects`: a custom object with a million records (BENCH_RECORDS), listed with a
// filter and a sort through the API, against the same statement as raw SQL in the same run.
// Embedded (PGlite, the default a new user runs) unless BENCH_DATABASE_URL names a PostgreSQL
// server. PGlite is one connection in one process, so the seed and the raw baseline run here
// first, on the same data directory; then the server opens it and the API is measured.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { openEmbedded, openPostgres, type Database } from '../src/platform/db/index.js';
import { loadFn, ratio, type Measured } from './load.js';
import { freshDatabase, startBenchServer, type BenchServer } from './server.js';
import { reportResult } from './results.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const PG_ADMIN = process.env.BENCH_DATABASE_URL;
const LIST =
  '/api/v1/projects?filter[stage]=build&filter[budget][gte]=500000&sort=-budget&limit=50';

const json = async (r: Response): Promise<Record<string, unknown>> => {
  if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
  return (await r.json()) as Record<string, unknown>;
};

async function call(
  server: BenchServer,
  method: string,
  url: string,
  body: unknown,
  token?: string,
) {
  return json(
    await globalThis.fetch(`${server.url}${url}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    }),
  );
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cerebro-bench-objects-'));
  const dbUrl = PG_ADMIN ? await freshDatabase(PG_ADMIN, 'cerebro_bench_objects') : null;
  const env = { DATA_DIR: dataDir, ...(dbUrl ? { DATABASE_URL: dbUrl } : {}) };
  let server = await startBenchServer(env);
  const credentials = { email: 'bench@objects.example', password: 'benchmark-password' };
  const reg = (await call(server, 'POST', '/api/v1/auth/register', {
    ...credentials,
    name: 'Bench',
    organizationName: 'Objects Bench',
  })) as { accessToken: string; user: { id: string }; organization: { id: string } };
  // Defined through the API, so its fields get the indexes an admin's definition builds.
  const object = (await call(
    server,
    'POST',
    '/api/v1/objects',
    {
      key: 'project',
      labels: { singular: 'Project', plural: 'Projects' },
      fields: [
        { key: 'budget', label: 'Budget', type: 'number' },
        {
          key: 'stage',
          label: 'Stage',
          type: 'select',
          options: { choices: ['plan', 'build', 'done'] },
        },
        { key: 'code', label: 'Code', type: 'text' },
      ],
    },
    reg.accessToken,
  )) as { key: string };
  await server.stop();

  const database: Database = dbUrl ? await openPostgres(dbUrl) : await openEmbedded(dataDir);
  const db = database.db as Kysely<unknown>;
  const org = reg.organization.id;
  const objectId = (
    await sql<{
      id: string;
    }>`select id from custom_objects where organization_id = ${org} and key = ${object.key}`.execute(
      db,
    )
  ).rows[0]?.id;
  if (!objectId) throw new Error('the object was not defined');
  const seedStart = performance.now();
  for (let from = 0; from < RECORDS; from += 100_000) {
    await sql`insert into object_records (organization_id, id, object_id, name, owner_id, data, search_text, created_at, updated_at)
      select ${org}, gen_random_uuid(), ${objectId}, 'Project ' || i, ${reg.user.id},
        jsonb_build_object('budget', (i::bigint * 7919) % 1000000, 'stage', (array['plan','build','done'])[1 + i % 3], 'code', 'P-' || i),
        lower('project ' || i || ' p-' || i), now() - make_interval(secs => i), now()
      from generate_series(${from + 1}::int, ${Math.min(from + 100_000, RECORDS)}::int) i`.execute(
      db,
    );
  }
  await sql`analyze object_records`.execute(db);
  const seedSeconds = (performance.now() - seedStart) / 1000;
  // The statement the API's list runs for LIST, without the scope (the admin's is `all`).
  const rawList = await loadFn(
    () =>
      sql`select * from object_records where organization_id = ${org} and deleted_at is null
        and object_id = ${sql.lit(objectId)}::uuid and (data ->> 'stage') = 'build' and ((data ->> 'budget'))::numeric >= 500000
        order by coalesce(((data ->> 'budget'))::numeric, '-Infinity'::numeric) desc, id desc limit 51`.execute(
        db,
      ),
    { concurrency: 1, seconds: SECONDS },
  );
  await database.close();

  server = await startBenchServer(env);
  const login = (await call(server, 'POST', '/api/v1/auth/login', credentials)) as {
    accessToken: string;
  };
  const api = await loadFn(
    async () => {
      const r = await globalThis.fetch(`${server.url}${LIST}`, {
        headers: { authorization: `Bearer ${login.accessToken}` },
      });
      if (!r.ok) throw new Error(String(r.status));
      await r.arrayBuffer();
    },
    { concurrency: 1, seconds: SECONDS },
  );
  const page = (await json(
    await globalThis.fetch(`${server.url}${LIST}`, {
      headers: { authorization: `Bearer ${login.accessToken}` },
    }),
  )) as { data: unknown[] };
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
  const result = {
    name: 'custom-objects',
    database: dbUrl ? 'postgresql' : 'embedded',
    at: new Date().toISOString(),
    records: RECORDS,
    seedSeconds: Number(seedSeconds.toFixed(1)),
    rowsOnPage: page.data.length,
    workloads: [
      {
        workload: 'list: filter stage = build and budget ≥ 500000, sort -budget, 50 — 1 connection',
        api,
        rawSql: rawList,
        ratio: ratio(api, rawList),
      },
    ] satisfies Array<{ workload: string; api: Measured; rawSql: Measured; ratio: number }>,
  };
  await reportResult(`custom-objects-${result.database}`, result);
}

await main();
