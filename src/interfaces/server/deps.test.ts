import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startAmqpProxy, TEST_AMQP_URL, uniqueAmqpPrefix } from '../../../test/amqp.js';
import { insertOrganization, openTestDatabase } from '../../../test/harness.js';
import { loadConfig } from '../../platform/config/index.js';
import { withTenant, type Database } from '../../platform/db/index.js';
import { realtimeConsumer } from '../../modules/notifications/index.js';
import type { Consumer } from '../../platform/context/index.js';
import { deleteTopology, emit, eventTopology } from '../../platform/outbox/index.js';
import { createRedisBus, type RealtimeMessage } from '../../platform/realtime/index.js';
import { closeDeps, createDeps } from './deps.js';

/** A logger whose JSON lines the test reads back. */
function capture(): { log: FastifyBaseLogger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { log, lines };
}

describe('createDeps picks the event transport', () => {
  let dataDir: string;
  const prefix = uniqueAmqpPrefix('deps');
  const seen: string[] = [];
  const consumer: Consumer = {
    name: 'test.deps',
    types: ['deps.tested'],
    handle: async (_ctx, e) => void seen.push(e.id),
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'cerebro-deps-'));
  });
  afterAll(async () => {
    await deleteTopology(TEST_AMQP_URL, eventTopology(prefix), [consumer, realtimeConsumer]);
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A database of its own for each test: closeDeps closes the database too. */
  async function fresh(): Promise<{
    database: Database;
    org: string;
    dispose: () => Promise<void>;
  }> {
    const { database, dispose } = await openTestDatabase();
    return { database, org: await insertOrganization(database, 'Deps'), dispose };
  }

  const config = (env: Record<string, string>) =>
    loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ENCRYPTION_KEY: 'c'.repeat(64), ...env });

  it('runs events through RabbitMQ when AMQP_URL is set, and says so at start-up', async () => {
    const { database, org, dispose } = await fresh();
    const { log, lines } = capture();
    const deps = await createDeps(config({ AMQP_URL: TEST_AMQP_URL }), {
      database,
      migrate: false,
      log,
      consumers: [consumer],
      eventsPrefix: prefix,
    });
    try {
      expect(lines.find((l) => l.msg === 'adapters in use')).toMatchObject({
        events: 'rabbitmq',
        realtime: 'memory',
      });
      // Without Redis the worker's WebSocket messages cannot reach other API processes: said once, loudly.
      expect(lines.some((l) => l.level === 40 && String(l.msg).includes('set REDIS_URL'))).toBe(
        true,
      );
      const id = await withTenant(database.db, org, (tx) =>
        emit(tx, {
          organizationId: org,
          type: 'deps.tested',
          aggregateType: 'thing',
          aggregateId: crypto.randomUUID(),
          payload: {},
        }),
      );
      expect(await deps.outbox.drain()).toBe(1);
      expect(seen).toEqual([id]);
    } finally {
      await closeDeps(deps);
      await dispose();
    }
  });

  it('stays in-process without AMQP_URL', async () => {
    const { database, dispose } = await fresh();
    const { log, lines } = capture();
    const deps = await createDeps(config({}), { database, migrate: false, log });
    await closeDeps(deps);
    await dispose();
    expect(lines.find((l) => l.msg === 'adapters in use')).toMatchObject({ events: 'in-process' });
  });

  it('never connects from a process without consumers that is not started (cerebro api)', async () => {
    const { database, dispose } = await fresh();
    const proxy = await startAmqpProxy();
    const { log } = capture();
    const deps = await createDeps(config({ AMQP_URL: proxy.url }), {
      database,
      migrate: false,
      log,
      consumers: [],
      eventsPrefix: prefix,
    });
    try {
      deps.outbox.wake();
      await new Promise((r) => setTimeout(r, 200));
      expect(deps.outbox.kind).toBe('rabbitmq');
      expect(proxy.connections()).toBe(0);
    } finally {
      await closeDeps(deps);
      await dispose();
      await proxy.close();
    }
  });

  it('fans a record event out from a worker to the WebSocket bus of a separate API process, through Redis', async () => {
    // Redis is a local service like RabbitMQ (.ci/run starts both); the services suite names its own.
    const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    const channel = `${prefix}:realtime`;
    const { database, org, dispose } = await fresh();
    const quiet = capture().log;
    // Two processes over one database: the API's deps must not close it under the worker.
    const api = await createDeps(config({ AMQP_URL: TEST_AMQP_URL }), {
      database: { ...database, close: async () => undefined },
      migrate: false,
      log: quiet,
      consumers: [],
      realtime: createRedisBus(redisUrl, channel),
      eventsPrefix: prefix,
    });
    const worker = await createDeps(config({ AMQP_URL: TEST_AMQP_URL }), {
      database,
      migrate: false,
      log: quiet,
      consumers: [realtimeConsumer],
      realtime: createRedisBus(redisUrl, channel),
      eventsPrefix: prefix,
    });
    const heard: RealtimeMessage[] = [];
    const unsubscribe = api.realtime.subscribe((m) => heard.push(m));
    try {
      worker.outbox.start();
      // Redis pub/sub drops what is published before the subscription is in place.
      await new Promise((r) => setTimeout(r, 200));
      const dealId = crypto.randomUUID();
      await withTenant(database.db, org, (tx) =>
        emit(tx, {
          organizationId: org,
          type: 'deal.updated',
          aggregateType: 'deal',
          aggregateId: dealId,
          payload: { deal: { ownerId: null } },
        }),
      );
      api.outbox.wake();
      await eventually('the API process to hear the event', () =>
        heard.some((m) => m.type === 'deal.updated'),
      );
      expect(heard.find((m) => m.type === 'deal.updated')).toMatchObject({
        organizationId: org,
        channels: ['org', `deal:${dealId}`],
        audience: { permission: 'deals:read', ownerId: null },
      });
    } finally {
      unsubscribe();
      await closeDeps(api);
      await closeDeps(worker);
      await dispose();
    }
  });
});
