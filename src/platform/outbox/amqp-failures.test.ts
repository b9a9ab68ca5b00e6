import { connect, type ChannelModel } from 'amqplib';
import type { FastifyBaseLogger } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startAmqpProxy, TEST_AMQP_URL, uniqueAmqpPrefix } from '../../../test/amqp.js';
import { insertOrganization, openTestDatabase } from '../../../test/harness.js';
import { withSystem, withTenant, type Database } from '../db/index.js';
import {
  createAmqpTransport,
  deleteTopology,
  emit,
  eventTopology,
  partitionOf,
  type AmqpTransportOptions,
  type EventHandler,
  type EventTransport,
} from './index.js';

describe('events on RabbitMQ: failures', () => {
  let database: Database;
  let dispose: () => Promise<void>;
  let org: string;
  let broker: ChannelModel;
  const filePrefix = uniqueAmqpPrefix('failures');
  const topologies: Array<{ prefix: string; consumers: EventHandler[] }> = [];
  const running: EventTransport[] = [];

  beforeAll(async () => {
    ({ database, dispose } = await openTestDatabase());
    org = await insertOrganization(database, 'AmqpFail');
    broker = await connect(TEST_AMQP_URL);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((t) => t.stop()));
  });
  afterAll(async () => {
    for (const t of topologies)
      await deleteTopology(TEST_AMQP_URL, eventTopology(t.prefix), t.consumers);
    await broker.close();
    await dispose();
  });

  function transport(
    prefix: string,
    consumers: EventHandler[],
    options: Partial<AmqpTransportOptions> = {},
  ): EventTransport {
    topologies.push({ prefix, consumers });
    const t = createAmqpTransport(database.db, consumers, {
      url: TEST_AMQP_URL,
      prefix,
      pollMs: 50,
      retryBaseMs: 40,
      retryMaxMs: 200,
      ...options,
    });
    running.push(t);
    return t;
  }

  async function write(
    type: string,
    events: Array<{ aggregateId: string; n: number }>,
  ): Promise<string[]> {
    const ids: string[] = [];
    for (const e of events) {
      ids.push(
        await withTenant(database.db, org, (tx) =>
          emit(tx, {
            organizationId: org,
            type,
            aggregateType: 'thing',
            aggregateId: e.aggregateId,
            payload: { n: e.n },
          }),
        ),
      );
    }
    return ids;
  }

  /** Two record ids that hash to different partitions, so one can be held while the other flows. */
  function twoPartitions(): [string, string] {
    const first = crypto.randomUUID();
    let second = crypto.randomUUID();
    while (partitionOf(`thing:${second}`, 8) === partitionOf(`thing:${first}`, 8))
      second = crypto.randomUUID();
    return [first, second];
  }

  /** A logger that keeps what was logged, to assert on the messages operators see. */
  function capturingLog(lines: string[]): FastifyBaseLogger {
    const keep = (_obj: unknown, msg?: string) => void lines.push(String(msg));
    return { info: keep, warn: keep, error: keep } as unknown as FastifyBaseLogger;
  }

  it('retries a failing event in place: later events of its record wait, other records go on', async () => {
    const [held, free] = twoPartitions();
    const log: string[] = [];
    let failures = 0;
    const consumer: EventHandler = {
      name: 'test.flaky',
      types: ['flaky.tested'],
      handle: async (_tx, event) => {
        const label = `${event.aggregateId === held ? 'held' : 'free'}${String(event.payload.n)}`;
        if (label === 'held1' && failures < 2) {
          failures++;
          log.push(`${label} failed`);
          throw new Error('downstream unavailable');
        }
        log.push(label);
      },
    };
    const errors: string[] = [];
    const t = transport(`${filePrefix}-flaky`, [consumer], {
      onError: (err, _event, name) => errors.push(`${name}: ${String(err)}`),
    });
    await write('flaky.tested', [
      { aggregateId: held, n: 1 },
      { aggregateId: held, n: 2 },
      { aggregateId: free, n: 1 },
    ]);

    expect(await t.drain()).toBe(3);
    expect(log.filter((l) => l.startsWith('held'))).toEqual([
      'held1 failed',
      'held1 failed',
      'held1',
      'held2',
    ]);
    // The other record's partition did not wait for the retries.
    expect(log.indexOf('free1')).toBeLessThan(log.indexOf('held1'));
    expect(errors).toEqual([
      'test.flaky: Error: downstream unavailable',
      'test.flaky: Error: downstream unavailable',
    ]);
  });

  it('dead-letters a poison event after its last try, records why, and moves on', async () => {
    const prefix = `${filePrefix}-poison`;
    const [poisoned, healthy] = twoPartitions();
    const handled: string[] = [];
    let tries = 0;
    const consumer: EventHandler = {
      name: 'test.poison',
      types: ['poison.tested'],
      handle: async (_tx, event) => {
        if (event.aggregateId === poisoned && event.payload.n === 1) {
          tries++;
          throw new Error('cannot parse this one');
        }
        handled.push(
          `${event.aggregateId === poisoned ? 'poisoned' : 'healthy'}${String(event.payload.n)}`,
        );
      },
    };
    const lines: string[] = [];
    const t = transport(prefix, [consumer], { maxTries: 3, log: capturingLog(lines) });
    const [poisonId] = await write('poison.tested', [
      { aggregateId: poisoned, n: 1 },
      { aggregateId: poisoned, n: 2 },
      { aggregateId: healthy, n: 1 },
      { aggregateId: healthy, n: 2 },
    ]);

    expect(await t.drain()).toBe(4);
    expect(tries).toBe(3);
    expect(handled.filter((h) => h.startsWith('healthy'))).toEqual(['healthy1', 'healthy2']);
    // Its record's later event was not lost behind it.
    expect(handled.filter((h) => h.startsWith('poisoned'))).toEqual(['poisoned2']);
    expect(lines).toContain('event dead-lettered after its last try');

    const topology = eventTopology(prefix);
    const channel = await broker.createChannel();
    const dead = await channel.get(topology.deadQueue, { noAck: true });
    expect(dead && dead.properties.messageId).toBe(poisonId);
    const death = (
      dead ? (dead.properties.headers?.['x-death'] as Array<{ queue: string; reason: string }>) : []
    )[0];
    expect(death).toMatchObject({
      queue: topology.queue('test.poison', partitionOf(`thing:${poisoned}`, 8)),
      reason: 'rejected',
    });
    expect(await channel.get(topology.deadQueue, { noAck: true })).toBe(false);
    await channel.close();
    const row = await withSystem(database.db, (tx) =>
      tx
        .selectFrom('outbox')
        .select('last_error')
        .where('organization_id', '=', org)
        .where('id', '=', poisonId ?? '')
        .executeTakeFirstOrThrow(),
    );
    expect(row.last_error).toBe('test.poison: cannot parse this one');
  });

  it('keeps events in the outbox while the broker is unreachable, then reconnects and delivers them in order', async () => {
    const proxy = await startAmqpProxy();
    const seen: number[] = [];
    const consumer: EventHandler = {
      name: 'test.reconnect',
      types: ['reconnect.tested'],
      handle: async (_tx, e) => void seen.push(Number(e.payload.n)),
    };
    const lines: string[] = [];
    const t = transport(`${filePrefix}-reconnect`, [consumer], {
      url: proxy.url,
      reconnect: { baseMs: 50, maxMs: 400 },
      log: capturingLog(lines),
    });
    try {
      const aggregateId = crypto.randomUUID();
      t.start();
      await write('reconnect.tested', [{ aggregateId, n: 1 }]);
      t.wake();
      await eventually('the first event', () => seen.length === 1);

      proxy.refuse(true);
      proxy.cut();
      const ids = await write(
        'reconnect.tested',
        [2, 3, 4].map((n) => ({ aggregateId, n })),
      );
      t.wake();
      await eventually('the loss to be noticed', () =>
        lines.includes('RabbitMQ connection lost; reconnecting'),
      );
      await new Promise((r) => setTimeout(r, 500));
      const waiting = await withSystem(database.db, (tx) =>
        tx
          .selectFrom('outbox')
          .select('published_at')
          .where('organization_id', '=', org)
          .where('id', 'in', ids)
          .execute(),
      );
      expect(waiting.map((w) => w.published_at)).toEqual([null, null, null]);
      expect(seen).toEqual([1]);
      expect(lines).toContain('RabbitMQ unreachable; retrying');

      proxy.refuse(false);
      await eventually('the events written while disconnected', () => seen.length === 4);
      expect(seen).toEqual([1, 2, 3, 4]);
      expect(proxy.connections()).toBeGreaterThanOrEqual(2);
    } finally {
      await t.stop();
      await proxy.close();
    }
  });

  it('fails a drain with the broker named when it cannot connect, leaving the events unpublished', async () => {
    const proxy = await startAmqpProxy();
    proxy.refuse(true);
    const t = transport(`${filePrefix}-down`, [], {
      url: proxy.url,
      drainTimeoutMs: 500,
      reconnect: { baseMs: 50, maxMs: 100 },
    });
    try {
      const ids = await write('down.tested', [{ aggregateId: crypto.randomUUID(), n: 1 }]);
      await expect(t.drain()).rejects.toThrow(
        /RabbitMQ at amqp:\/\/127\.0\.0\.1:\d+ is not reachable/,
      );
      const rows = await withSystem(database.db, (tx) =>
        tx
          .selectFrom('outbox')
          .select('published_at')
          .where('organization_id', '=', org)
          .where('id', 'in', ids)
          .execute(),
      );
      expect(rows).toEqual([{ published_at: null }]);
    } finally {
      await t.stop();
      await proxy.close();
    }
  });
});
