// `npm run bench:mixed`: the load test a user would run before going live. At 50 connections for
// BENCH_MIXED_SECONDS (default 120): 70% reads (a filtered, sorted contact list, one contact, a
// typeahead search), 20% updates of a contact, 10% creates — and every create starts a three-step
// workflow (add_tag → create_task → notify) and a webhook delivery to a local receiver. Reported
// per route family: requests/s, p50/p95/p99 and errors (there must be none); the server's
// resident memory and CPU, PostgreSQL's CPU, and how long the workflow and webhook backlog took to
// drain after the last create. Shapes (BENCH_SHAPES): `embedded` (`cerebro start`, PGlite) and
// `distributed` (PostgreSQL + Redis + RabbitMQ, two `cerebro api` processes behind the driver's
// round robin and one `cerebro worker`). Beside each shape, the same run's bare baseline: a
// GET /healthz at the same concurrency. Timings never fail anything.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cpuSeconds, postgresCpuSeconds } from './cpu.js';
import { scrapeEventLoopDelay } from './event-loop.js';
import { loadHttp } from './load.js';
import { freePort, freshDatabase, startBenchServer, type BenchServer } from './server.js';
import { reportResult } from './results.js';
import { THREE_STEP_DRAFT } from './workflow-draft.js';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_MIXED_SECONDS ?? 120);
const SEED = Number(process.env.BENCH_MIXED_SEED ?? 2_000);
const SHAPES = (process.env.BENCH_SHAPES ?? 'embedded,distributed').split(',');
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/5';
const AMQP_URL = process.env.BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const FAMILIES = ['list', 'record', 'search', 'update', 'create'] as const;
type Family = (typeof FAMILIES)[number];

/** The API as the driver sees it: one or more processes, taken in turn like a load balancer. */
class Api {
  private turn = 0;
  constructor(
    private readonly urls: readonly string[],
    public token = '',
  ) {}

  async call(method: string, p: string, body?: unknown): Promise<Record<string, unknown>> {
    const url = this.urls[this.turn++ % this.urls.length] ?? '';
    const res = await globalThis.fetch(`${url}${p}`, {
      method,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${p} answered ${res.status}: ${text.slice(0, 200)}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }
}

/** Counts the webhook deliveries it receives (and answers 200, as a healthy receiver does). */
async function webhookReceiver(): Promise<{ url: string; received: () => number; close(): void }> {
  let received = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(200).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received: () => received,
    close: () => server.close(),
  };
}

const percentile = (sorted: readonly number[], p: number) =>
  Number((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0).toFixed(1));

/** An organization with SEED contacts, the workflow on contact creation and the webhook. */
async function prepare(api: Api, label: string, hookUrl: string): Promise<string[]> {
  const key = label.split(' ')[0] ?? 'bench';
  const reg = await api.call('POST', '/api/v1/auth/register', {
    email: `bench-${key}@mixed.example`,
    password: 'benchmark-password',
    name: 'Bench',
    organizationName: `Mixed Bench ${key}`,
  });
  api.token = String(reg.accessToken);
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < SEED) {
        const i = next++;
        const c = await api.call('POST', '/api/v1/contacts', contactBody(`seed${i}`, i));
        ids.push(String(c.id));
      }
    }),
  );
  const draft = THREE_STEP_DRAFT;
  const w = await api.call('POST', '/api/v1/workflows', { name: 'Mixed bench', draft });
  await api.call('POST', `/api/v1/workflows/${String(w.id)}/publish`);
  await api.call('PATCH', `/api/v1/workflows/${String(w.id)}`, { enabled: true });
  await api.call('POST', '/api/v1/webhooks', { url: hookUrl, eventTypes: ['contact.created'] });
  return ids;
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Linus', 'Barbara', 'Ken', 'Radia', 'Hedy', 'Donald'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Liskov', 'Thompson', 'Perlman'];
const STATUSES = ['LEAD', 'PROSPECT', 'CUSTOMER', 'INACTIVE'];

function contactBody(tag: string, i: number): Record<string, unknown> {
  return {
    firstName: FIRST[i % FIRST.length],
    lastName: `${LAST[i % LAST.length] ?? 'Doe'}${i % 97}`,
    email: `${tag}@mixed.example`,
    status: STATUSES[i % STATUSES.length],
    title: 'Engineer',
  };
}

/** The kind of the next request, by the mix's shares: 70% reads in thirds, 20% updates, 10% creates. */
function pick(): Family {
  const r = Math.random();
  if (r < 0.7) return (['list', 'record', 'search'] as const)[Math.floor(r / (0.7 / 3))] ?? 'list';
  return r < 0.9 ? 'update' : 'create';
}

/** One request of the given family; `i` varies the names searched and written. */
async function send(api: Api, family: Family, ids: string[], i: number): Promise<void> {
  const id = ids[Math.floor(Math.random() * ids.length)] ?? '';
  if (family === 'list')
    await api.call('GET', '/api/v1/contacts?filter[status]=CUSTOMER&sort=-createdAt&limit=50');
  else if (family === 'record') await api.call('GET', `/api/v1/contacts/${id}`);
  else if (family === 'search') {
    const prefix = (LAST[i % LAST.length] ?? 'Tur').slice(0, 2 + (i % 3));
    await api.call('GET', `/api/v1/search?q=${encodeURIComponent(prefix)}&limit=8`);
  } else if (family === 'update')
    await api.call('PATCH', `/api/v1/contacts/${id}`, { title: `Engineer ${i % 10}` });
  else {
    const c = await api.call('POST', '/api/v1/contacts', contactBody(`load${i}-${Date.now()}`, i));
    ids.push(String(c.id));
  }
}

interface Mix {
  seconds: number;
  requestsPerSecond: number;
  errors: number;
  firstErrors: string[];
  creates: number;
  families: Record<
    string,
    { requestsPerSecond: number; p50Ms: number; p95Ms: number; p99Ms: number; errors: number }
  >;
}

/** Drives the mix from CONNECTIONS loops for SECONDS. */
async function drive(api: Api, ids: string[]): Promise<Mix> {
  const latencies = new Map<Family, number[]>(FAMILIES.map((f) => [f, []]));
  const errors = new Map<Family, number>();
  const firstErrors: string[] = [];
  const started = performance.now();
  const until = started + SECONDS * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) {
        const i = n++;
        const family = pick();
        const t0 = performance.now();
        try {
          await send(api, family, ids, i);
          latencies.get(family)?.push(performance.now() - t0);
        } catch (e) {
          errors.set(family, (errors.get(family) ?? 0) + 1);
          if (firstErrors.length < 5) firstErrors.push(String(e));
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const families: Mix['families'] = {};
  let total = 0;
  for (const [family, list] of latencies) {
    list.sort((a, b) => a - b);
    total += list.length;
    families[family] = {
      requestsPerSecond: Math.round(list.length / seconds),
      p50Ms: percentile(list, 0.5),
      p95Ms: percentile(list, 0.95),
      p99Ms: percentile(list, 0.99),
      errors: errors.get(family) ?? 0,
    };
  }
  const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
  return {
    seconds: Number(seconds.toFixed(1)),
    requestsPerSecond: Math.round(total / seconds),
    errors: errorCount,
    firstErrors,
    creates: latencies.get('create')?.length ?? 0,
    families,
  };
}

/** Seconds after the load until every create's workflow run finished and webhook arrived. */
async function drain(
  api: Api,
  creates: number,
  received: () => number,
): Promise<{ runsSeconds: number | null; webhooksSeconds: number | null }> {
  const started = performance.now();
  let runsSeconds: number | null = null;
  let webhooksSeconds: number | null = null;
  for (const deadline = Date.now() + 600_000; Date.now() < deadline;) {
    if (webhooksSeconds === null && received() >= creates)
      webhooksSeconds = (performance.now() - started) / 1000;
    if (runsSeconds === null) {
      const page = await api.call(
        'GET',
        '/api/v1/workflow-runs?status=succeeded&limit=1&count=true',
      );
      const done = Number((page.meta as { total?: number }).total ?? 0);
      if (done >= creates) runsSeconds = (performance.now() - started) / 1000;
    }
    if (runsSeconds !== null && webhooksSeconds !== null) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const round = (s: number | null) => (s === null ? null : Number(s.toFixed(1)));
  return { runsSeconds: round(runsSeconds), webhooksSeconds: round(webhooksSeconds) };
}

async function measure(
  label: string,
  apiUrls: string[],
  servers: BenchServer[],
  withPostgres: boolean,
): Promise<Record<string, unknown>> {
  const hook = await webhookReceiver();
  const api = new Api(apiUrls);
  const ids = await prepare(api, label, hook.url);
  await scrapeEventLoopDelay(apiUrls[0] ?? '');
  const bare = await loadHttp(`${apiUrls[0] ?? ''}/healthz`, {
    connections: CONNECTIONS,
    seconds: 10,
  });
  const bareEventLoop = await scrapeEventLoopDelay(apiUrls[0] ?? '');
  const cpuBefore = servers.map((s) => cpuSeconds(s.child.pid ?? 0));
  const pgBefore = withPostgres ? postgresCpuSeconds() : 0;
  const mix = await drive(api, ids);
  const mixEventLoop = await scrapeEventLoopDelay(apiUrls[0] ?? '');
  const cpu = servers.map((s, i) =>
    Number((cpuSeconds(s.child.pid ?? 0) - (cpuBefore[i] ?? 0)).toFixed(1)),
  );
  const pgCpu = withPostgres ? Number((postgresCpuSeconds() - pgBefore).toFixed(1)) : null;
  const rssMb = servers.map((s) => Math.round(s.rssMb()));
  const backlog = await drain(api, mix.creates, hook.received);
  hook.close();
  return {
    shape: label,
    seededContacts: SEED,
    bareHealthz: bare,
    mix,
    // The first API process's event-loop delay during the bare baseline and during the mix.
    eventLoopDelay: { bareHealthz: bareEventLoop, mix: mixEventLoop },
    ratioToBare: Number((mix.requestsPerSecond / bare.requestsPerSecond).toFixed(3)),
    processCpuSeconds: cpu,
    postgresCpuSeconds: pgCpu,
    rssMb,
    backlogAfterLoad: backlog,
  };
}

async function embedded(): Promise<Record<string, unknown>> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cerebro-bench-mixed-'));
  const server = await startBenchServer({ DATA_DIR: dataDir, OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
  try {
    return await measure('embedded (cerebro start, PGlite)', [server.url], [server], false);
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function distributed(): Promise<Record<string, unknown>> {
  const dbUrl = await freshDatabase(ADMIN_URL, 'cerebro_bench_mixed');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cerebro-bench-mixed-'));
  const bin = path.resolve(import.meta.dirname, '../bin/cerebro.mjs');
  const env = {
    DATA_DIR: dataDir,
    DATABASE_URL: dbUrl,
    REDIS_URL,
    AMQP_URL,
    AMQP_PREFIX: 'bench_mixed',
    OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
  };
  // The first process migrates and writes the keys the others then share through DATA_DIR.
  const first = await startBenchServer(env, [bin, 'api']);
  const second = await startBenchServer(env, [bin, 'api']);
  const worker = await startBenchServer(env, [bin, 'worker'], { serves: false });
  try {
    return await measure(
      'distributed (PostgreSQL + Redis + RabbitMQ, 2 × cerebro api, 1 × cerebro worker)',
      [first.url, second.url],
      [first, second, worker],
      true,
    );
  } finally {
    for (const s of [first, second, worker]) await s.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const shapes: Array<Record<string, unknown>> = [];
  if (SHAPES.includes('embedded')) shapes.push(await embedded());
  if (SHAPES.includes('distributed')) shapes.push(await distributed());
  const result = {
    name: 'mixed',
    at: new Date().toISOString(),
    connections: CONNECTIONS,
    seconds: SECONDS,
    mix: '70% reads (list, record, search), 20% updates, 10% creates (each: workflow + webhook)',
    node: process.version,
    shapes,
  };
  await reportResult('mixed', result);
}

await main();
