// `npm run bench:workflows`: end-to-end workflow throughput. N contacts are created through the API
// (10 at a time); each starts a three-step run (add_tag → create_task → notify). Measured: runs/s
// from the first create to the last finished run, and the change→run-finished latency of each
// contact (run.finishedAt − contact.createdAt, both the server's clock). Baseline in the same run:
// raw single-row INSERTs of the same contact rows into the same database. Three shapes: embedded,
// PostgreSQL (`cerebro start` with DATABASE_URL; BENCH_DATABASE_URL names the server), and
// PostgreSQL with events and jobs on RabbitMQ (BENCH_AMQP_URL, default the local broker).
// BENCH_SHAPES=embedded,postgres,rabbitmq picks some. On PostgreSQL it also reports the database's
// committed transactions per run (pg_stat_database), the cost the engine's design decides.
// Timings never fail anything.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { openEmbedded } from '../src/platform/db/index.js';
import { freshDatabase, startBenchServer, type BenchServer } from './server.js';
import { reportResult } from './results.js';
import { THREE_STEP_DRAFT } from './workflow-draft.js';

const N = Number(process.env.BENCH_WORKFLOW_CONTACTS ?? 300);
const CONCURRENCY = 10;
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const AMQP_URL = process.env.BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const SHAPES = (process.env.BENCH_SHAPES ?? 'embedded,postgres,rabbitmq').split(',');

interface Run {
  status: string;
  recordId: string | null;
  finishedAt: string | null;
}
interface Contact {
  id: string;
  createdAt: string;
}

async function call(
  server: BenchServer,
  token: string,
  method: string,
  p: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const res = await globalThis.fetch(`${server.url}${p}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${p} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

async function all<T>(server: BenchServer, token: string, p: string): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const page = await call(
      server,
      token,
      'GET',
      `${p}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    out.push(...(page.data as T[]));
    cursor = (page.meta as { nextCursor: string | null }).nextCursor;
  } while (cursor);
  return out;
}

const percentile = (sorted: number[], p: number) =>
  Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0);

const IDLE_SAMPLES = 10;

/**
 * With nothing else going on: one contact at a time, each waited for until its run succeeded —
 * the latency a user sees for a lone change (the server's clocks, createdAt → finishedAt).
 */
async function idleLatencies(
  server: BenchServer,
  token: string,
  workflowId: string,
  label: string,
): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < IDLE_SAMPLES; i++) {
    const contact = await call(server, token, 'POST', '/api/v1/contacts', {
      firstName: `Idle${i}`,
      lastName: 'Bench',
      email: `idle${i}@bench-${label}.example`,
    });
    for (
      const deadline = Date.now() + 30_000;
      Date.now() < deadline;
      await new Promise((r) => setTimeout(r, 20))
    ) {
      const page = await call(
        server,
        token,
        'GET',
        `/api/v1/workflow-runs?workflowId=${workflowId}&recordId=${String(contact.id)}&limit=1`,
      );
      const run = (page.data as Run[])[0];
      if (run?.status === 'succeeded' && run.finishedAt) {
        out.push(Date.parse(run.finishedAt) - Date.parse(String(contact.createdAt)));
        break;
      }
    }
  }
  return out.sort((a, b) => a - b);
}

/** Registers, sets up the three-step workflow, streams N creates, waits for every run: the end-to-end numbers. */
async function endToEnd(
  server: BenchServer,
  label: string,
): Promise<{ orgId: string; userId: string; e2e: Record<string, number> }> {
  const reg = await call(server, '', 'POST', '/api/v1/auth/register', {
    email: `bench-${label}@workflows.example`,
    password: 'benchmark-password',
    name: 'Bench',
    organizationName: `Workflow Bench ${label}`,
  });
  const token = String(reg.accessToken);
  const draft = THREE_STEP_DRAFT;
  const w = await call(server, token, 'POST', '/api/v1/workflows', { name: 'Bench', draft });
  await call(server, token, 'POST', `/api/v1/workflows/${String(w.id)}/publish`);
  await call(server, token, 'PATCH', `/api/v1/workflows/${String(w.id)}`, { enabled: true });

  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) {
        const i = next++;
        await call(server, token, 'POST', '/api/v1/contacts', {
          firstName: `P${i}`,
          lastName: 'Bench',
          email: `p${i}@bench-${label}.example`,
        });
      }
    }),
  );
  const createdSeconds = (performance.now() - started) / 1000;
  const runsPath = `/api/v1/workflow-runs?workflowId=${String(w.id)}&limit=200`;
  let runs: Run[] = [];
  for (
    const deadline = Date.now() + 600_000;
    Date.now() < deadline;
    await new Promise((r) => setTimeout(r, 250))
  ) {
    runs = await all<Run>(server, token, `${runsPath}&status=succeeded`);
    if (runs.length >= N) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const contacts = new Map(
    (await all<Contact>(server, token, '/api/v1/contacts?limit=200')).map((c) => [
      c.id,
      Date.parse(c.createdAt),
    ]),
  );
  const latencies = runs
    .map((r) => Date.parse(r.finishedAt ?? '') - (contacts.get(r.recordId ?? '') ?? 0))
    .sort((a, b) => a - b);
  const idle = await idleLatencies(server, token, String(w.id), label);
  return {
    orgId: String((reg.organization as { id: string }).id),
    userId: String((reg.user as { id: string }).id),
    e2e: {
      contacts: N,
      runsSucceeded: runs.length,
      apiCreatesPerSecond: Math.round(N / createdSeconds),
      runsPerSecond: Number((runs.length / seconds).toFixed(1)),
      p50LatencyMs: percentile(latencies, 0.5),
      p99LatencyMs: percentile(latencies, 0.99),
      seconds: Number(seconds.toFixed(1)),
      idleChangeToRunFinishedP50Ms: percentile(idle, 0.5),
      idleChangeToRunFinishedMaxMs: idle.at(-1) ?? 0,
    },
  };
}

/** The same contact rows as single-row INSERTs, `concurrency` at a time: the raw insert rate. */
async function rawInserts(
  insert: (i: number) => Promise<unknown>,
  concurrency: number,
): Promise<{ rowsPerSecond: number; concurrency: number }> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < N) await insert(next++);
    }),
  );
  return { rowsPerSecond: Math.round(N / ((performance.now() - started) / 1000)), concurrency };
}

async function embedded(): Promise<Record<string, unknown>> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cerebro-bench-workflows-'));
  const server = await startBenchServer({ DATA_DIR: dataDir });
  const { orgId, userId, e2e } = await endToEnd(server, 'embedded');
  await server.stop();
  // PGlite is one process's database: the baseline opens the same data directory once the server is gone.
  const database = await openEmbedded(dataDir);
  const raw = await rawInserts(
    (i) =>
      sql`insert into contacts (organization_id, id, first_name, last_name, email, emails, owner_id)
    values (${orgId}, ${uuidv7()}, ${`R${i}`}, 'Bench', ${`r${i}@raw.example`}, ${JSON.stringify([{ email: `r${i}@raw.example`, primary: true }])}, ${userId})`.execute(
        database.db,
      ),
    1,
  );
  await database.close();
  await rm(dataDir, { recursive: true, force: true });
  return {
    shape: 'embedded (PGlite, one process)',
    endToEnd: e2e,
    rawInsert: raw,
    ratio: Number(((e2e.runsPerSecond ?? 0) / raw.rowsPerSecond).toFixed(3)),
  };
}

/** Transactions committed in one database so far. */
async function commits(dbUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  // The statistics are flushed lazily; ask for a fresh snapshot.
  await client.query('select pg_stat_clear_snapshot()');
  const r = await client.query<{ n: string }>(
    'select xact_commit as n from pg_stat_database where datname = current_database()',
  );
  await client.end();
  return Number(r.rows[0]?.n ?? 0);
}

async function postgres(amqp: boolean): Promise<Record<string, unknown>> {
  const dbUrl = await freshDatabase(ADMIN_URL, 'cerebro_bench_workflows');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cerebro-bench-workflows-'));
  const server = await startBenchServer({
    DATA_DIR: dataDir,
    DATABASE_URL: dbUrl,
    ...(amqp ? { AMQP_URL } : {}),
  });
  const before = await commits(dbUrl);
  const { orgId, userId, e2e } = await endToEnd(server, amqp ? 'rabbitmq' : 'postgres');
  await server.stop();
  // Stats reach the shared view within about a second of a backend's exit.
  await new Promise((r) => setTimeout(r, 1500));
  const transactionsPerRun = Math.round((await commits(dbUrl)) - before) / N;
  const pool = new pg.Pool({ connectionString: dbUrl, max: CONCURRENCY });
  const raw = await rawInserts(
    (i) =>
      pool.query(
        'insert into contacts (organization_id, id, first_name, last_name, email, emails, owner_id) values ($1, $2, $3, $4, $5, $6, $7)',
        [
          orgId,
          uuidv7(),
          `R${i}`,
          'Bench',
          `r${i}@raw.example`,
          JSON.stringify([{ email: `r${i}@raw.example`, primary: true }]),
          userId,
        ],
      ),
    CONCURRENCY,
  );
  await pool.end();
  await rm(dataDir, { recursive: true, force: true });
  return {
    shape: amqp
      ? 'PostgreSQL + RabbitMQ (events and jobs on the broker)'
      : 'PostgreSQL (cerebro start with DATABASE_URL)',
    endToEnd: { ...e2e, transactionsPerRun: Number(transactionsPerRun.toFixed(1)) },
    rawInsert: raw,
    ratio: Number(((e2e.runsPerSecond ?? 0) / raw.rowsPerSecond).toFixed(3)),
  };
}

async function main(): Promise<void> {
  const shapes: Array<Record<string, unknown>> = [];
  if (SHAPES.includes('embedded')) shapes.push(await embedded());
  if (SHAPES.includes('postgres')) shapes.push(await postgres(false));
  if (SHAPES.includes('rabbitmq')) shapes.push(await postgres(true));
  const result = {
    name: 'workflows',
    at: new Date().toISOString(),
    steps: ['add_tag', 'create_task', 'notify'],
    concurrency: CONCURRENCY,
    node: process.version,
    shapes,
  };
  await reportResult('workflows', result);
}

await main();
