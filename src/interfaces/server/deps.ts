import path from 'node:path';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { createMemoryCache, createRedisCache, type Cache } from '../../platform/cache/index.js';
import type { Config } from '../../platform/config/index.js';
import {
  consumerHandler,
  systemClock,
  type Clock,
  type Consumer,
  type Deps,
} from '../../platform/context/index.js';
import { loadOrCreateKey } from '../../platform/crypto/index.js';
import { migrate, openEmbedded, openPostgres, type Database } from '../../platform/db/index.js';
import { loggerOptions } from '../../platform/logging/index.js';
import { createDevMailbox, createSmtpMailer } from '../../platform/mail/index.js';
import {
  createAmqpJobQueue,
  createJobRunner,
  type JobHandler,
  type JobRunner,
} from '../../platform/jobs/index.js';
import { createEventTransport } from '../../platform/outbox/index.js';
import {
  createMemoryBus,
  createRedisBus,
  type RealtimeBus,
} from '../../platform/realtime/index.js';
import { wireModules } from '../../modules/index.js';

export interface DepsOptions {
  /** An already open database (tests hand in a cloned template). */
  database?: Database;
  cache?: Cache;
  clock?: Clock;
  log?: FastifyBaseLogger;
  consumers?: readonly Consumer[];
  /** Job handlers this process runs (workers: every module's; an API-only process: none). */
  jobHandlers?: readonly JobHandler[];
  realtime?: RealtimeBus;
  /** First word of the RabbitMQ exchange and queue names (`cerebro`); tests give each app its own. */
  eventsPrefix?: string;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
}

/**
 * Opens every adapter the configuration names, falling back to the embedded ones, and says which;
 * wires the module list in (`deps.modules`, reference checkers, import kinds), so the server, the
 * workers, the CLI and the tests all run the same modules.
 */
export async function createDeps(config: Config, options: DepsOptions = {}): Promise<Deps> {
  const log = options.log ?? pino(loggerOptions(config.logLevel) as pino.LoggerOptions);
  const database =
    options.database ??
    (config.database.url
      ? await openPostgres(config.database.url)
      : // The server's event loop must not wait behind PGlite's synchronous WASM: SQL runs in a
        // worker thread, on the second core (issue 14).
        await openEmbedded(path.join(config.dataDir), { thread: 'worker' }));
  if (options.migrate !== false) {
    const result = await migrate(database.db);
    if (result.applied.length) log.info({ applied: result.applied }, 'database migrated');
  }
  const cache =
    options.cache ?? (config.redisUrl ? createRedisCache(config.redisUrl) : createMemoryCache());
  const mailer = config.mail.smtpUrl
    ? createSmtpMailer(config.mail.smtpUrl, config.mail.from)
    : createDevMailbox(config.mail.from);
  const secretKey = await loadOrCreateKey(config.encryptionKey, config.dataDir);
  const realtime =
    options.realtime ?? (config.redisUrl ? createRedisBus(config.redisUrl) : createMemoryBus());
  const consumers = options.consumers ?? [];
  // The runner hands handlers these very deps, so the deps exist first; the runner and the
  // transport read them only when they run. Each consumer gets a ctx over these deps per event.
  const modules = wireModules();
  const deps = {
    config,
    database,
    cache,
    mailer,
    clock: options.clock ?? systemClock,
    log,
    realtime,
    secretKey,
    modules,
  } as Deps;
  deps.jobs = createJobs(deps, options);
  deps.outbox = createEventTransport(
    database.db,
    consumers.map((c) => consumerHandler(deps, c)),
    {
      onError: (err, event, consumer) =>
        log.warn(
          { err, eventId: event.id, type: event.type, consumer },
          'event delivery failed; will retry',
        ),
      amqp: config.amqpUrl
        ? { url: config.amqpUrl, prefix: options.eventsPrefix ?? config.amqpPrefix, log }
        : null,
    },
  );
  if (deps.outbox.kind === 'rabbitmq' && consumers.length > 0 && realtime.kind === 'memory') {
    log.warn(
      'events run on RabbitMQ but real-time messages stay in this process: set REDIS_URL so WebSocket clients of every API process hear them',
    );
  }
  log.info(
    {
      database: database.kind,
      cache: cache.kind,
      mail: mailer.kind,
      events: deps.outbox.kind,
      jobs: deps.jobs.kind,
      realtime: realtime.kind,
      files: config.s3 ? 's3' : 'local',
    },
    'adapters in use',
  );
  return deps;
}

/** The job runner: polling the database, or fed by RabbitMQ when AMQP_URL is set. */
function createJobs(deps: Deps, options: DepsOptions): JobRunner {
  const handlers = options.jobHandlers ?? [];
  const { config } = deps;
  if (!config.amqpUrl) return createJobRunner(deps, handlers, { leaseMs: config.jobs.leaseMs });
  const runner = createJobRunner(deps, handlers, {
    leaseMs: config.jobs.leaseMs,
    claimOnPoll: false,
  });
  return createAmqpJobQueue(deps.database.db, runner, {
    url: config.amqpUrl,
    prefix: options.eventsPrefix ?? config.amqpPrefix,
    consume: handlers.length > 0,
    now: () => deps.clock.now(),
    log: deps.log,
  });
}

/** Closes every adapter, the database last. */
export async function closeDeps(deps: Deps): Promise<void> {
  await deps.jobs.stop();
  await deps.outbox.stop();
  await deps.realtime.close();
  await deps.mailer.close();
  await deps.cache.close();
  await deps.database.close();
}
