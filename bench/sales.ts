// `npm run bench:sales`: the board and forecast endpoints over 100k deals and 1M stage-history
// rows on PostgreSQL, each against the same SQL run directly in the same run. Reports only.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadFn, loadHttp, ratio } from './load.js';
import { freshDatabase, startBenchServer } from './server.js';
import { reportResult } from './results.js';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DEALS = Number(process.env.BENCH_DEALS ?? 100_000);
const HISTORY_PER_DEAL = 10;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const DB = 'cerebro_bench_sales';

async function main(): Promise<void> {
  const dbUrl = await freshDatabase(ADMIN_URL, DB);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cerebro-bench-sales-'));
  const server = await startBenchServer({ DATA_DIR: dataDir, DATABASE_URL: dbUrl });
  const reg = (await (
    await globalThis.fetch(`${server.url}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'bench@sales.example',
        password: 'benchmark-password',
        name: 'Bench',
        organizationName: 'Sales Bench',
      }),
    })
  ).json()) as { accessToken: string; user: { id: string }; organization: { id: string } };
  const auth = { authorization: `Bearer ${reg.accessToken}` };
  const org = reg.organization.id;
  const pool = new pg.Pool({ connectionString: dbUrl, max: 10 });
  const pipeline =
    (await pool.query<{ id: string }>('select id from pipelines where organization_id = $1', [org]))
      .rows[0]?.id ?? '';
  const stages = (
    await pool.query<{ id: string; kind: string }>(
      'select id, kind from pipeline_stages where pipeline_id = $1 order by position',
      [pipeline],
    )
  ).rows;

  // Ten owners, deals spread over stages and two years, ten stage stays each.
  const seedStart = performance.now();
  await pool.query(
    `insert into users (organization_id, id, email, name, password_hash)
    select $1, gen_random_uuid(), 'rep' || i || '@sales.example', 'Rep ' || i, 'x' from generate_series(1, 9) i`,
    [org],
  );
  const owners = (
    await pool.query<{ id: string }>('select id from users where organization_id = $1', [org])
  ).rows.map((r) => r.id);
  await pool.query(
    `insert into deals (organization_id, id, name, amount, currency, pipeline_id, stage_id, owner_id, expected_close_date, closed_at, lost_reason, created_at, updated_at, stage_entered_at)
    select $1, gen_random_uuid(), 'Deal ' || i, (1 + i % 500) * 10000, 'USD', $2, ($3::uuid[])[1 + i % 6], ($4::uuid[])[1 + i % 10],
           current_date + (i % 730 - 365), case when i % 6 >= 4 then now() - make_interval(days => i % 700) end, case when i % 6 = 5 then 'Price' end,
           now() - make_interval(days => i % 730), now() - make_interval(mins => i), now() - make_interval(days => i % 60)
    from generate_series(1, $5) i`,
    [org, pipeline, stages.map((s) => s.id), owners, DEALS],
  );
  await pool.query(
    `insert into deal_stage_history (organization_id, id, deal_id, pipeline_id, stage_id, entered_at, left_at, amount, currency, owner_id)
    select d.organization_id, gen_random_uuid(), d.id, d.pipeline_id, ($2::uuid[])[1 + k % 4], d.created_at + make_interval(days => k), d.created_at + make_interval(days => k + 1), d.amount, d.currency, d.owner_id
    from deals d, generate_series(1, $3) k where d.organization_id = $1`,
    [org, stages.map((s) => s.id), HISTORY_PER_DEAL - 1],
  );
  await pool.query(
    `insert into deal_stage_history (organization_id, id, deal_id, pipeline_id, stage_id, entered_at, amount, currency, owner_id)
    select organization_id, gen_random_uuid(), id, pipeline_id, stage_id, stage_entered_at, amount, currency, owner_id from deals where organization_id = $1`,
    [org],
  );
  await pool.query('analyze');
  const seedSeconds = (performance.now() - seedStart) / 1000;

  const scope = `d.organization_id = $1 and d.pipeline_id = $2 and d.deleted_at is null`;
  // The raw baselines are the statements the endpoints run, written out by hand.
  const rawBoard = async (c: pg.PoolClient) => {
    await c.query(
      `select g.stage_id, sum(g.n), sum(g.amount * coalesce(x.rate, 1)), sum(g.amount * coalesce(x.rate, 1) * coalesce(g.probability, s.probability) / 100.0)
      from (select d.stage_id, d.currency, d.probability, count(*) n, sum(d.amount) amount from deals d where ${scope} group by 1, 2, 3) g
      join pipeline_stages s on s.organization_id = $1 and s.id = g.stage_id left join exchange_rates x on x.organization_id = $1 and x.currency = g.currency group by g.stage_id`,
      [org, pipeline],
    );
    await c.query(
      `select d.* from unnest($3::uuid[]) with ordinality st(id, ord) cross join lateral (
      select d.* from deals d where ${scope} and d.stage_id = st.id order by d.updated_at desc, d.id desc limit 26) d order by st.ord, d.updated_at desc`,
      [org, pipeline, stages.map((s) => s.id)],
    );
  };
  const rawForecast = async (c: pg.PoolClient) => {
    await c.query(
      `with g as (select d.owner_id, d.stage_id, d.currency, d.probability,
        sum(d.amount) filter (where d.closed_at >= date_trunc('quarter', now())) closed,
        sum(d.amount) filter (where d.expected_close_date >= date_trunc('quarter', now()) and d.expected_close_date < date_trunc('quarter', now()) + interval '3 months') due
      from deals d where d.organization_id = $1 and d.deleted_at is null group by 1, 2, 3, 4)
      select g.owner_id, sum(g.closed) filter (where s.kind = 'won'), sum(g.due * coalesce(g.probability, s.probability) / 100.0) filter (where s.kind = 'open')
      from g join pipeline_stages s on s.organization_id = $1 and s.id = g.stage_id group by g.owner_id`,
      [org],
    );
  };
  // The API caches win rates and cycle length until a deal changes stage; this is their cold cost.
  const historyQuery = async (c: pg.PoolClient) => {
    await c.query(
      `select h.stage_id, count(distinct h.deal_id), count(distinct h.deal_id) filter (where fs.kind = 'won')
      from deal_stage_history h join deals d on d.organization_id = h.organization_id and d.id = h.deal_id
      join pipeline_stages fs on fs.organization_id = d.organization_id and fs.id = d.stage_id
      join pipeline_stages s on s.organization_id = h.organization_id and s.id = h.stage_id
      where h.organization_id = $1 and d.deleted_at is null and fs.kind <> 'open' and s.kind = 'open' group by h.stage_id`,
      [org],
    );
  };
  const coldStart = performance.now();
  {
    const c = await pool.connect();
    await historyQuery(c);
    c.release();
  }
  const historyColdMs = Number((performance.now() - coldStart).toFixed(1));
  const workloads = [
    {
      name: 'board (25 deals per stage)',
      path: `/api/v1/pipelines/${pipeline}/board`,
      raw: rawBoard,
    },
    { name: 'forecast (quarter)', path: '/api/v1/forecast?period=quarter', raw: rawForecast },
  ];
  const results: Record<string, unknown>[] = [];
  for (const w of workloads) {
    for (const connections of [1, 10]) {
      const api =
        connections === 1
          ? await loadFn(
              async () => {
                const r = await globalThis.fetch(`${server.url}${w.path}`, { headers: auth });
                if (!r.ok) throw new Error(String(r.status));
                await r.arrayBuffer();
              },
              { concurrency: 1, seconds: SECONDS },
            )
          : await loadHttp(`${server.url}${w.path}`, {
              connections,
              seconds: SECONDS,
              headers: auth,
            });
      const raw = await loadFn(
        async () => {
          const c = await pool.connect();
          try {
            await w.raw(c);
          } finally {
            c.release();
          }
        },
        { concurrency: connections, seconds: SECONDS },
      );
      results.push({
        workload: `${w.name}, ${connections} connection(s)`,
        api,
        rawSql: raw,
        ratio: ratio(api, raw),
      });
    }
  }
  const rssMb = Math.round(server.rssMb());
  await server.stop();
  await pool.end();
  await rm(dataDir, { recursive: true, force: true });
  const result = {
    name: 'sales-postgres',
    at: new Date().toISOString(),
    deals: DEALS,
    historyRows: DEALS * HISTORY_PER_DEAL,
    seedSeconds: Number(seedSeconds.toFixed(1)),
    workloads: results,
    historyStatsColdMs: historyColdMs,
    serverRssMb: rssMb,
  };
  await reportResult('sales', result);
}

await main();
