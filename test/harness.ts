import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { ALL_CONSUMERS, ALL_JOB_HANDLERS } from '../src/modules/index.js';
import { createHttpApp } from '../src/interfaces/server/app.js';
import { closeDeps, createDeps } from '../src/interfaces/server/deps.js';
import { createMemoryCache, createRedisCache } from '../src/platform/cache/index.js';
import { deleteTopology, eventTopology } from '../src/platform/outbox/index.js';
import { deleteJobTopology, jobTopology } from '../src/platform/jobs/index.js';
import { createMemoryBus, createRedisBus } from '../src/platform/realtime/index.js';
import { loadConfig } from '../src/platform/config/index.js';
import type { Deps } from '../src/platform/context/index.js';
import {
  openEmbeddedInMemory,
  openPostgres,
  type Database,
  type EmbeddedThread,
} from '../src/platform/db/index.js';
import { clonePostgresTemplate, loadEmbeddedTemplate } from './template.js';

/** Which database the suite runs on: PostgreSQL when TEST_DATABASE_URL is set, else embedded. */
export const TEST_DATABASE = process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded';

/**
 * Where the embedded database's SQL runs in tests: in the test's thread (default: cheapest to open
 * hundreds of times), or `TEST_EMBEDDED_THREAD=worker` for the server's worker thread, to prove the
 * two are equivalent.
 */
export const TEST_EMBEDDED_THREAD: EmbeddedThread =
  process.env.TEST_EMBEDDED_THREAD === 'worker' ? 'worker' : 'main';

/** A fresh database cloned from the migrated template, and how to throw it away. */
export async function openTestDatabase(): Promise<{
  database: Database;
  dispose: () => Promise<void>;
}> {
  const pgUrl = process.env.TEST_DATABASE_URL;
  if (pgUrl) {
    const clone = await clonePostgresTemplate(pgUrl);
    const database = await openPostgres(clone.url, 5);
    return { database, dispose: async () => (await database.close(), await clone.drop()) };
  }
  const database = await openEmbeddedInMemory(await loadEmbeddedTemplate(), {
    thread: TEST_EMBEDDED_THREAD,
  });
  return { database, dispose: () => database.close() };
}

export interface TestApp {
  app: FastifyInstance;
  deps: Deps;
  /** The database and shared-cache namespace, for a second app that acts as another process. */
  shared: { database: Database; cachePrefix: string };
  close(): Promise<void>;
}

/** Options of {@link createTestApp}. */
export interface TestAppOptions {
  /**
   * Another api process of the same deployment: this app runs over that app's database and its
   * shared cache (the same Redis keys on the services suite; the same memory cache otherwise),
   * with a process state of its own. The first app owns both and closes them.
   */
  sameDeploymentAs?: TestApp;
}

/**
 * The real HTTP app over a cloned database, silent logs, and the given environment overrides.
 * On the services suite (TEST_AMQP_URL) events travel through RabbitMQ, on exchanges and queues
 * of this app's own, deleted on close.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cerebro-test-'));
  const peer = options.sameDeploymentAs;
  const { database, dispose } = peer
    ? {
        database: { ...peer.shared.database, close: async () => undefined },
        dispose: async () => undefined,
      }
    : await openTestDatabase();
  const amqpUrl = process.env.TEST_AMQP_URL;
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ENCRYPTION_KEY: 'a'.repeat(64),
    PUBLIC_URL: 'http://cerebro.test',
    ...(amqpUrl ? { AMQP_URL: amqpUrl } : {}),
    ...env,
  });
  const redisUrl = process.env.TEST_REDIS_URL;
  const prefix =
    peer?.shared.cachePrefix ??
    `cerebro-test:${process.pid}:${Math.random().toString(36).slice(2)}:`;
  const eventsPrefix = `cerebro-test-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  const cache = redisUrl
    ? createRedisCache(redisUrl, prefix)
    : peer
      ? { ...peer.deps.cache, close: async () => undefined }
      : createMemoryCache();
  // On the services suite, WebSocket messages travel through Redis pub/sub as across processes.
  const realtime = redisUrl ? createRedisBus(redisUrl, `${prefix}realtime`) : createMemoryBus();
  const deps = await createDeps(config, {
    database,
    cache,
    log: pino({ level: 'silent' }) as unknown as FastifyBaseLogger,
    consumers: ALL_CONSUMERS,
    jobHandlers: ALL_JOB_HANDLERS,
    realtime,
    eventsPrefix,
    migrate: false,
  });
  const { app } = await createHttpApp(deps, { logRequests: false, webDist: null });
  await app.ready();
  return {
    app,
    deps,
    shared: { database, cachePrefix: prefix },
    close: async () => {
      await app.close();
      await closeDeps(deps);
      if (config.amqpUrl) {
        await deleteTopology(config.amqpUrl, eventTopology(eventsPrefix), ALL_CONSUMERS);
        await deleteJobTopology(config.amqpUrl, jobTopology(eventsPrefix));
      }
      await dispose();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A tiny client over app.inject with a bearer token. */
export function client(app: FastifyInstance, token?: string) {
  const headers = (extra: Record<string, string> = {}) => ({
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...extra,
  });
  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    extra?: Record<string, string>,
  ): Promise<LightMyRequestResponse> =>
    app.inject({
      method,
      url,
      headers: headers(extra),
      ...(body !== undefined ? { payload: body as object } : {}),
    });
  return {
    get: (url: string, extra?: Record<string, string>) => call('GET', url, undefined, extra),
    post: (url: string, body?: unknown, extra?: Record<string, string>) =>
      call('POST', url, body ?? {}, extra),
    patch: (url: string, body: unknown, extra?: Record<string, string>) =>
      call('PATCH', url, body, extra),
    put: (url: string, body: unknown, extra?: Record<string, string>) =>
      call('PUT', url, body, extra),
    delete: (url: string, extra?: Record<string, string>) => call('DELETE', url, undefined, extra),
  };
}

/** The API error shape. */
export interface ApiError {
  code: string;
  message: string;
  details?: Array<{ path: string; message: string }>;
  traceId: string;
}

/** The error body of an answer, typed for assertions. */
export function errorOf(res: LightMyRequestResponse): ApiError {
  return res.json<{ error: ApiError }>().error;
}

/** Inserts a bare organization row (platform tests that need a tenant but no users). */
export async function insertOrganization(database: Database, name = 'Org'): Promise<string> {
  const { v7 } = await import('uuid');
  const id = v7();
  await database.db
    .insertInto('organizations')
    .values({ id, name, slug: `${name.toLowerCase()}-${id.slice(-12)}`, settings: '{}' })
    .execute();
  return id;
}
