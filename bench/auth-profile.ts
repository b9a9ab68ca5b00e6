// `npm run bench:auth-profile`: where an authenticated read spends its time, in-process (no
// sockets): database statements per request and the cost of each authentication step, next to a
// bare route measured in the same run. Embedded (PGlite) unless BENCH_DATABASE_URL names a
// PostgreSQL server; BENCH_REDIS_URL puts the cache on Redis. Timings never fail anything.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyRequest, FastifyInstance } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import pino from 'pino';
import { ALL_CONSUMERS } from '../src/modules/index.js';
import { authenticate } from '../src/modules/identity/authenticate.js';
import { verifyAccessToken } from '../src/modules/identity/tokens.js';
import { createHttpApp } from '../src/interfaces/server/app.js';
import { closeDeps, createDeps } from '../src/interfaces/server/deps.js';
import { createMemoryCache, createRedisCache } from '../src/platform/cache/index.js';
import { loadConfig } from '../src/platform/config/index.js';
import { openEmbeddedInMemory, openPostgres, type Database } from '../src/platform/db/index.js';
import { freshDatabase } from './server.js';
import { saveResult } from './results.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4000);
const PG_ADMIN = process.env.BENCH_DATABASE_URL;
const REDIS_URL = process.env.BENCH_REDIS_URL;

/** Counts every statement Kysely sends (BEGIN/COMMIT of a transaction are counted apart). */
function counting(database: Database): { database: Database; statements: () => number } {
  let n = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => ((n += 1), args.node),
    transformResult: async (args) => args.result,
  };
  return { database: { ...database, db: database.db.withPlugin(plugin) }, statements: () => n };
}

/**
 * CPU time (user + system) of this process per call, in µs: unlike wall time it hardly moves when
 * other processes share the cores. Work done by a PostgreSQL or Redis server is not in it, which
 * is why statements are counted apart (cache round trips: BENCH_REDIS_URL shows them in wall time).
 */
async function timed(rounds: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(500, rounds); i++) await fn();
  const t = process.cpuUsage();
  for (let i = 0; i < rounds; i++) await fn();
  const used = process.cpuUsage(t);
  return (used.user + used.system) / rounds;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cerebro-auth-profile-'));
  const dbUrl = PG_ADMIN ? await freshDatabase(PG_ADMIN, 'cerebro_bench_auth') : null;
  const opened = dbUrl ? await openPostgres(dbUrl) : await openEmbeddedInMemory();
  const { database, statements } = counting(opened);
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ENCRYPTION_KEY: 'b'.repeat(64),
    DEMO: 'false',
  });
  const deps = await createDeps(config, {
    database,
    cache: REDIS_URL
      ? createRedisCache(REDIS_URL, `cerebro-bench:${process.pid}:`)
      : createMemoryCache(),
    log: pino({ level: 'silent' }),
    consumers: ALL_CONSUMERS,
  });
  const { app } = await createHttpApp(deps, { logRequests: false, webDist: null });
  await app.ready();
  const reg = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: {
      email: 'profile@example.com',
      password: 'profile-password',
      name: 'Profile',
      organizationName: 'Profile Inc',
    },
  });
  const { accessToken } = reg.json<{ accessToken: string }>();
  const bearer = { authorization: `Bearer ${accessToken}` };
  const key = await app.inject({
    method: 'POST',
    url: '/api/v1/api-keys',
    headers: bearer,
    payload: { name: 'profile', scopes: ['contacts:read'] },
  });
  const apiKey = key.json<{ secret: string }>().secret;

  const get = (a: FastifyInstance, url: string, headers: Record<string, string> = {}) =>
    a.inject({ method: 'GET', url, headers }).then((r) => {
      if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
    });
  const perRequest = async (fn: () => Promise<unknown>, rounds = ROUNDS) => {
    await fn();
    const before = statements();
    const t = await timed(rounds, fn);
    const sent = rounds + Math.min(500, rounds);
    return { us: Number(t.toFixed(1)), statements: (statements() - before) / sent };
  };
  const fakeReq = (authorization: string) =>
    ({ headers: { authorization }, cookies: {} }) as unknown as FastifyRequest;

  // The three routes in turn, in slices, so load that drifts during the run weighs on all alike;
  // per route the median slice.
  const routes = [
    () => get(app, '/api/v1/ping'),
    () => get(app, '/api/v1/auth/me', bearer),
    () => get(app, '/api/v1/auth/me', { authorization: `Bearer ${apiKey}` }),
  ];
  const slices: Array<Array<{ us: number; statements: number }>> = routes.map(() => []);
  for (let i = 0; i < 5; i++)
    for (const [n, fn] of routes.entries()) slices[n]?.push(await perRequest(fn, ROUNDS / 5));
  const median = (xs: Array<{ us: number; statements: number }>) =>
    [...xs].sort((a, b) => a.us - b.us)[Math.floor(xs.length / 2)] ?? { us: 0, statements: 0 };
  const [bare, me, meKey] = slices.map(median) as [
    { us: number; statements: number },
    { us: number; statements: number },
    { us: number; statements: number },
  ];
  const steps = {
    verifyTokenUs: await perRequest(() => verifyAccessToken(deps, accessToken)),
    authenticateTokenUs: await perRequest(() =>
      authenticate(fakeReq(`Bearer ${accessToken}`), deps),
    ),
    authenticateApiKeyUs: await perRequest(() => authenticate(fakeReq(`Bearer ${apiKey}`), deps)),
  };
  await app.close();
  await closeDeps(deps);
  if (!dbUrl) await opened.close();
  await rm(dataDir, { recursive: true, force: true });

  const result = {
    name: 'auth-profile',
    at: new Date().toISOString(),
    database: dbUrl ? 'PostgreSQL' : 'embedded (PGlite)',
    cache: REDIS_URL ? 'redis' : 'memory',
    rounds: ROUNDS,
    bareRoute: bare,
    meWithToken: me,
    meWithApiKey: meKey,
    steps,
    ratioToBare: {
      token: Number((bare.us / me.us).toFixed(3)),
      apiKey: Number((bare.us / meKey.us).toFixed(3)),
    },
    overTheBareRoute: {
      token: Number((me.us - bare.us).toFixed(1)),
      apiKey: Number((meKey.us - bare.us).toFixed(1)),
    },
  };
  const file = await saveResult('auth-profile', result);
  const row = (label: string, m: { us: number; statements: number }) =>
    `${label.padEnd(34)} ${String(m.us).padStart(8)} µs   ${m.statements.toFixed(2)} statements`;
  process.stdout.write(
    [
      `${result.database}, cache ${result.cache}, ${ROUNDS} sequential requests each (in-process, CPU µs per request)`,
      row('GET /api/v1/ping (bare)', bare),
      row('GET /api/v1/auth/me (token)', me),
      row('GET /api/v1/auth/me (API key)', meKey),
      `throughput ratio to the bare route: token ${result.ratioToBare.token}, API key ${result.ratioToBare.apiKey}`,
      row('  verify the token', steps.verifyTokenUs),
      row('  authenticate (token)', steps.authenticateTokenUs),
      row('  authenticate (API key)', steps.authenticateApiKeyUs),
      `written to ${path.relative(process.cwd(), file)}`,
      '',
    ].join('\n'),
  );
}

await main();
