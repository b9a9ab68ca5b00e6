// `npm run bench:workflow-engine`: the workflow engine's own throughput, without the API in front.
// N contacts are created first (through the HTTP app, untimed) with the event transport and the job
// runner stopped, so N `contact.created` events wait in the outbox, each starting the three-step
// workflow (add_tag → create_task → notify). Then the transport and the runner start, as in a
// worker, and the clock runs until every run has succeeded: runs/s, statements per run (every
// query the app sends, begin/commit aside), committed transactions per run (PostgreSQL's own
// count) and the CPU of Node and of PostgreSQL. Baseline in the same run and database: N raw
// single-row INSERTs of the same contact rows. Shapes (BENCH_SHAPES): embedded (PGlite in memory, in
// a worker thread as the server runs it),
// postgres, rabbitmq (events and jobs on the broker). Timings never fail anything.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  sql,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { loadConfig } from '../src/platform/config/index.js';
import {
  migrate,
  openEmbeddedInMemory,
  openPostgres,
  withSystem,
  type Database,
} from '../src/platform/db/index.js';
import { closeDeps, createDeps } from '../src/interfaces/server/deps.js';
import { createHttpApp } from '../src/interfaces/server/app.js';
import { ALL_CONSUMERS, ALL_JOB_HANDLERS } from '../src/modules/index.js';
import { postgresCpuSeconds } from './cpu.js';
import { freshDatabase } from './server.js';
import { reportResult } from './results.js';
import { THREE_STEP_DRAFT } from './workflow-draft.js';

const N = Number(process.env.BENCH_WORKFLOW_RUNS ?? 1_000);
const SHAPES = (process.env.BENCH_SHAPES ?? 'embedded,postgres,rabbitmq').split(',');
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const AMQP_URL = process.env.BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** Counts the statements the app sends through Kysely (begin/commit are the driver's, not counted). */
class StatementCounter implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.count++;
    return args.node;
  }
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

async function committedTransactions(database: Database): Promise<number | null> {
  if (database.kind !== 'postgres') return null;
  await sql`select pg_stat_clear_snapshot()`.execute(database.db);
  const r = await sql<{
    n: number;
  }>`select xact_commit::int as n from pg_stat_database where datname = current_database()`.execute(
    database.db,
  );
  return r.rows[0]?.n ?? null;
}

async function succeededRuns(database: Database): Promise<number> {
  const r = await withSystem(database.db, (tx) =>
    sql<{
      n: number;
    }>`select count(*)::int as n from workflow_runs where status = 'succeeded'`.execute(tx),
  );
  return r.rows[0]?.n ?? 0;
}

async function shape(name: string, database: Database, env: Record<string, string>) {
  const counter = new StatementCounter();
  const counted: Database = { ...database, db: database.db.withPlugin(counter) };
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cerebro-bench-engine-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ENCRYPTION_KEY: 'b'.repeat(64),
    PUBLIC_URL: 'http://bench.test',
    ...env,
  });
  const deps = await createDeps(config, {
    database: counted,
    log: pino({ level: 'silent' }) as unknown as FastifyBaseLogger,
    consumers: ALL_CONSUMERS,
    jobHandlers: ALL_JOB_HANDLERS,
    eventsPrefix: `bench-engine-${process.pid}`,
    migrate: false,
  });
  const { app } = await createHttpApp(deps, { logRequests: false, webDist: null });
  await app.ready();
  const call = async (method: 'POST' | 'PATCH', url: string, body: unknown, token?: string) => {
    const res = await app.inject({
      method,
      url,
      payload: body as object,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json<Record<string, unknown>>();
  };
  const reg = await call('POST', '/api/v1/auth/register', {
    email: 'engine@bench.example',
    password: 'benchmark-password',
    name: 'Bench',
    organizationName: 'Engine Bench',
  });
  const token = String(reg.accessToken);
  const orgId = String((reg.organization as { id: string }).id);
  const userId = String((reg.user as { id: string }).id);
  const w = await call(
    'POST',
    '/api/v1/workflows',
    { name: 'Bench', draft: THREE_STEP_DRAFT },
    token,
  );
  await call('POST', `/api/v1/workflows/${String(w.id)}/publish`, {}, token);
  await call('PATCH', `/api/v1/workflows/${String(w.id)}`, { enabled: true }, token);
  // What registering and publishing emitted goes first, so the clock sees only the runs.
  await deps.outbox.drain();
  await deps.jobs.runDue();
  for (let i = 0; i < N; i++)
    await call(
      'POST',
      '/api/v1/contacts',
      { firstName: `P${i}`, lastName: 'Bench', email: `p${i}@engine.example` },
      token,
    );

  const statements = counter.count;
  const transactions = await committedTransactions(database);
  const node = process.cpuUsage();
  const pgCpu = database.kind === 'postgres' ? postgresCpuSeconds() : 0;
  const started = performance.now();
  deps.outbox.start();
  deps.jobs.start();
  let done = await succeededRuns(database);
  for (; done < N; done = await succeededRuns(database))
    await new Promise((r) => setTimeout(r, 50));
  const seconds = (performance.now() - started) / 1000;
  const nodeCpu = process.cpuUsage(node);
  // Before the pool closes: an exited backend takes its CPU time with it.
  const postgresCpu = database.kind === 'postgres' ? postgresCpuSeconds() - pgCpu : null;
  const used = {
    statements: counter.count - statements,
    transactions:
      transactions === null ? null : ((await committedTransactions(database)) ?? 0) - transactions,
  };
  await app.close();
  await closeDeps(deps);

  // Baseline: the same rows as raw single-row INSERTs, one at a time, on a fresh connection.
  const raw = database.kind === 'postgres' ? await openPostgres(env.DATABASE_URL ?? '', 1) : null;
  const rawDb = raw ?? null;
  let rawSeconds = 0;
  if (rawDb) {
    const t0 = performance.now();
    for (let i = 0; i < N; i++)
      await sql`insert into contacts (organization_id, id, first_name, last_name, email, emails, owner_id)
        values (${orgId}, ${uuidv7()}, ${`R${i}`}, 'Bench', ${`r${i}@raw.example`}, ${JSON.stringify([{ email: `r${i}@raw.example`, primary: true }])}, ${userId})`.execute(
        rawDb.db,
      );
    rawSeconds = (performance.now() - t0) / 1000;
    await rawDb.close();
  }
  await rm(dataDir, { recursive: true, force: true });
  return {
    shape: name,
    runs: done,
    seconds: Number(seconds.toFixed(2)),
    runsPerSecond: Math.round(done / seconds),
    statementsPerRun: Number((used.statements / N).toFixed(1)),
    transactionsPerRun:
      used.transactions === null ? null : Number((used.transactions / N).toFixed(1)),
    nodeCpuSeconds: Number(((nodeCpu.user + nodeCpu.system) / 1e6).toFixed(1)),
    postgresCpuSeconds: postgresCpu === null ? null : Number(postgresCpu.toFixed(1)),
    ...(rawDb
      ? {
          rawInsertsPerSecond: Math.round(N / rawSeconds),
          ratioToRawInsert: Number((done / seconds / (N / rawSeconds)).toFixed(3)),
        }
      : {}),
  };
}

/** The embedded shape's baseline runs on a database of its own: PGlite is one connection. */
async function embeddedRawInserts(): Promise<number> {
  const database = await openEmbeddedInMemory();
  await migrate(database.db);
  await sql`insert into organizations (id, name, slug) values (${uuidv7()}, 'Raw', 'raw')`.execute(
    database.db,
  );
  const org = (await sql<{ id: string }>`select id from organizations limit 1`.execute(database.db))
    .rows[0]?.id;
  const t0 = performance.now();
  for (let i = 0; i < N; i++)
    await sql`insert into contacts (organization_id, id, first_name, last_name, email, emails)
      values (${org}, ${uuidv7()}, ${`R${i}`}, 'Bench', ${`r${i}@raw.example`}, ${JSON.stringify([{ email: `r${i}@raw.example`, primary: true }])})`.execute(
      database.db,
    );
  const seconds = (performance.now() - t0) / 1000;
  await database.close();
  return Math.round(N / seconds);
}

async function main(): Promise<void> {
  const shapes: Array<Record<string, unknown>> = [];
  if (SHAPES.includes('embedded')) {
    // In a worker thread, as the server opens it.
    const database = await openEmbeddedInMemory(undefined, { thread: 'worker' });
    await migrate(database.db);
    // Closed with the app's adapters.
    const measured = await shape('embedded (PGlite, in-process events)', database, {});
    const rawInsertsPerSecond = await embeddedRawInserts();
    shapes.push({
      ...measured,
      rawInsertsPerSecond,
      ratioToRawInsert: Number((measured.runsPerSecond / rawInsertsPerSecond).toFixed(3)),
    });
  }
  for (const amqp of [false, true]) {
    if (!SHAPES.includes(amqp ? 'rabbitmq' : 'postgres')) continue;
    const url = await freshDatabase(ADMIN_URL, 'cerebro_bench_engine');
    const database = await openPostgres(url, 10);
    await migrate(database.db);
    shapes.push(
      await shape(amqp ? 'PostgreSQL + RabbitMQ' : 'PostgreSQL (in-process events)', database, {
        DATABASE_URL: url,
        ...(amqp ? { AMQP_URL } : {}),
      }),
    );
  }
  const result = {
    at: new Date().toISOString(),
    runs: N,
    steps: ['add_tag', 'create_task', 'notify'],
    node: process.version,
    shapes,
  };
  await reportResult('workflow-engine', result);
}

await main();
