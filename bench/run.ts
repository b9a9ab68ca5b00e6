// `npm run bench`: throughput and latency of an authenticated read (with an access token and
// with an API key) against a bare route of the same server in the same run, plus start-up time
// and memory at rest. Embedded (PGlite) unless BENCH_DATABASE_URL names a PostgreSQL server
// (a fresh database is made on it). Timings never fail anything.
import { mkdtemp, rm } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { freshDatabase, startBenchServer } from './server.js';
import { saveResult } from './results.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
/**
 * Each route's DURATION is split into this many slices, run in turn (bare, token, API key, bare,
 * …), so a machine that gets busier or quieter during the run weighs on all three alike.
 */
const SLICES = Number(process.env.BENCH_SLICES ?? 5);
const CONNECTIONS = 50;
const PG_ADMIN = process.env.BENCH_DATABASE_URL;

interface Measured {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

async function slice(url: string, headers: Record<string, string>): Promise<Measured> {
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION / SLICES,
    headers,
  });
  return {
    requestsPerSecond: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
  };
}

/** A target's median slice, and every slice's requests per second. */
type Loaded = Measured & { slicesRps: number[] };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Loads each target in turn, SLICES times; per target the median slice, and the slices. */
async function loadInTurn(
  targets: Array<{ url: string; headers?: Record<string, string> }>,
): Promise<Loaded[]> {
  const runs: Measured[][] = targets.map(() => []);
  for (let i = 0; i < SLICES; i++)
    for (const [n, t] of targets.entries()) runs[n]?.push(await slice(t.url, t.headers ?? {}));
  return runs.map((r) => ({
    requestsPerSecond: median(r.map((m) => m.requestsPerSecond)),
    p50Ms: median(r.map((m) => m.p50Ms)),
    p99Ms: median(r.map((m) => m.p99Ms)),
    errors: r.reduce((a, m) => a + m.errors, 0),
    non2xx: r.reduce((a, m) => a + m.non2xx, 0),
    slicesRps: r.map((m) => m.requestsPerSecond),
  }));
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cerebro-bench-'));
  const dbUrl = PG_ADMIN ? await freshDatabase(PG_ADMIN, 'cerebro_bench_auth_me') : null;
  const env = { DATA_DIR: dataDir, ...(dbUrl ? { DATABASE_URL: dbUrl } : {}) };
  // The first start initializes the data directory; the second measures a start on an existing one.
  const first = await startBenchServer(env);
  const firstStartMs = first.startupMs;
  await first.stop();
  const server = await startBenchServer(env);
  const register = await globalThis.fetch(`${server.url}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: 'bench@example.com',
      password: 'benchmark-password',
      name: 'Bench',
      organizationName: 'Bench Inc',
    }),
  });
  const { accessToken } = (await register.json()) as { accessToken: string };
  const created = await globalThis.fetch(`${server.url}/api/v1/api-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ name: 'bench', scopes: ['contacts:read'] }),
  });
  const { secret: apiKey } = (await created.json()) as { secret: string };
  await new Promise((r) => setTimeout(r, 1000));
  const rssAtRestMb = server.rssMb();

  const meUrl = `${server.url}/api/v1/auth/me`;
  const [bare, me, meByKey] = (await loadInTurn([
    { url: `${server.url}/api/v1/ping` },
    { url: meUrl, headers: { authorization: `Bearer ${accessToken}` } },
    { url: meUrl, headers: { authorization: `Bearer ${apiKey}` } },
  ])) as [Loaded, Loaded, Loaded];
  // Each slice against the bare slice of the same turn, then the median of those ratios.
  const ratioOf = (m: Loaded) =>
    median(m.slicesRps.map((rps, i) => rps / (bare.slicesRps[i] ?? rps)));
  const rssAfterLoadMb = server.rssMb();
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });

  const result = {
    name: 'auth-me-vs-bare-route',
    at: new Date().toISOString(),
    machine: {
      node: process.version,
      connections: CONNECTIONS,
      durationSeconds: DURATION,
      slices: SLICES,
      database: dbUrl ? 'PostgreSQL' : 'embedded (PGlite)',
      loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    },
    bareRoute: bare,
    authenticatedMe: me,
    authenticatedMeByApiKey: meByKey,
    throughputRatio: Number(ratioOf(me).toFixed(3)),
    apiKeyThroughputRatio: Number(ratioOf(meByKey).toFixed(3)),
    startup: {
      firstStartMs: Math.round(firstStartMs),
      existingDataDirMs: Math.round(server.startupMs),
    },
    memory: { rssAtRestMb: Math.round(rssAtRestMb), rssAfterLoadMb: Math.round(rssAfterLoadMb) },
  };
  const file = await saveResult('auth-me', result);
  const row = (label: string, m: Measured) =>
    `${label.padEnd(26)} ${String(m.requestsPerSecond).padStart(8)} req/s   p50 ${String(m.p50Ms).padStart(4)} ms   p99 ${String(m.p99Ms).padStart(4)} ms   errors ${m.errors + m.non2xx}`;
  process.stdout.write(
    [
      row('GET /api/v1/ping (bare)', bare),
      row('GET /api/v1/auth/me', me),
      row('GET /api/v1/auth/me (API key)', meByKey),
      `ratio (auth/bare)          ${result.throughputRatio}   (target ≥ 0.8)`,
      `ratio (API key/bare)       ${result.apiKeyThroughputRatio}`,
      `database: ${result.machine.database}; load average (1, 5, 15 min) at the end ${result.machine.loadAverage.join(' ')}`,
      `start-up: first ${result.startup.firstStartMs} ms, existing data dir ${result.startup.existingDataDirMs} ms (target < 3000)`,
      `memory: ${result.memory.rssAtRestMb} MB at rest, ${result.memory.rssAfterLoadMb} MB after load`,
      `written to ${path.relative(process.cwd(), file)}`,
      '',
    ].join('\n'),
  );
}

await main();
