import { connect, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually, TEST_AMQP_URL, uniqueAmqpPrefix } from '../../../test/amqp.js';
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

describe('events on RabbitMQ: delivery', () => {
  let database: Database;
  let dispose: () => Promise<void>;
  let org: string;
  let broker: ChannelModel;
  const filePrefix = uniqueAmqpPrefix('delivery');
  const topologies: Array<{ prefix: string; consumers: EventHandler[] }> = [];
  const running: EventTransport[] = [];

  beforeAll(async () => {
    ({ database, dispose } = await openTestDatabase());
    org = await insertOrganization(database, 'Amqp');
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

  /** A transport on its own prefix (several may share one, as worker processes do). */
  function transport(
    prefix: string,
    consumers: EventHandler[],
    options: Partial<AmqpTransportOptions> = {},
  ): EventTransport {
    if (!topologies.some((t) => t.prefix === prefix)) topologies.push({ prefix, consumers });
    const t = createAmqpTransport(database.db, consumers, {
      url: TEST_AMQP_URL,
      prefix,
      pollMs: 50,
      retryBaseMs: 20,
      ...options,
    });
    running.push(t);
    return t;
  }

  /** Writes events in one transaction each, as separate requests would; returns their ids. */
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

  /** A consumer that records what it handled, by whom. */
  function recorder(
    name: string,
    type: string,
    worker: string,
    seen: Array<{ aggregateId: string; n: number; worker: string }>,
    delayMs = 0,
  ): EventHandler {
    return {
      name,
      types: [type],
      handle: async (_tx, event) => {
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        seen.push({ aggregateId: String(event.aggregateId), n: Number(event.payload.n), worker });
      },
    };
  }

  const published = (ids: string[]) =>
    withSystem(database.db, (tx) =>
      tx
        .selectFrom('outbox')
        .select(['id', 'published_at', 'attempts'])
        .where('organization_id', '=', org)
        .where('id', 'in', ids)
        .execute(),
    );

  it('publishes persistent messages on a confirm channel and marks published_at once the broker confirmed', async () => {
    const prefix = `${filePrefix}-confirm`;
    const seen: Array<{ aggregateId: string; n: number; worker: string }> = [];
    const t = transport(prefix, [recorder('test.recorder', 'confirm.tested', 'a', seen)]);
    // A tap on the exchange sees exactly what the relay publishes.
    const tap = await broker.createChannel();
    const topology = eventTopology(prefix);
    await tap.assertExchange(topology.exchange, 'topic', { durable: true });
    const { queue } = await tap.assertQueue('', { exclusive: true });
    await tap.bindQueue(queue, topology.exchange, '#');
    const messages: ConsumeMessage[] = [];
    await tap.consume(queue, (m) => void (m && messages.push(m)), { noAck: true });

    const aggregateId = crypto.randomUUID();
    const ids = await write(
      'confirm.tested',
      [1, 2, 3].map((n) => ({ aggregateId, n })),
    );
    expect((await published(ids)).every((r) => r.published_at === null)).toBe(true);

    expect(await t.drain()).toBe(3);
    const rows = await published(ids);
    expect(rows.every((r) => r.published_at instanceof Date && r.attempts === 1)).toBe(true);
    expect(seen.map((s) => s.n)).toEqual([1, 2, 3]);
    await eventually('the tap to see three messages', () => messages.length === 3);
    const partition = partitionOf(`thing:${aggregateId}`, topology.partitions);
    expect(messages.map((m) => m.properties.messageId)).toEqual(ids);
    expect(
      messages.every(
        (m) =>
          m.properties.deliveryMode === 2 && m.fields.routingKey === `${partition}.confirm.tested`,
      ),
    ).toBe(true);
    await tap.close();
  });

  it('delivers once each and in order per record across two workers on the same queues, also when one stops midway', async () => {
    const prefix = `${filePrefix}-workers`;
    const seen: Array<{ aggregateId: string; n: number; worker: string }> = [];
    // Few messages in flight per worker, in small batches, so that a stop finds work left to hand over.
    const small = { prefetch: 4, eventsPerTransaction: 2 };
    const a = transport(prefix, [recorder('test.ordered', 'order.tested', 'a', seen, 10)], small);
    const b = transport(prefix, [recorder('test.ordered', 'order.tested', 'b', seen, 3)], small);
    a.start();
    b.start();
    const records = Array.from({ length: 6 }, () => crypto.randomUUID());
    const round = (from: number) =>
      Array.from({ length: 10 }, (_, i) =>
        records.map((aggregateId) => ({ aggregateId, n: from + i })),
      ).flat();

    await write('order.tested', round(1));
    await eventually('the first 60 events', () => seen.length >= 60);
    const writing = write('order.tested', round(11));
    await eventually('part of the second round', () => seen.length >= 70);
    // A worker shutting down mid-stream hands its partitions to the other one.
    await a.stop();
    const handledByA = seen.length;
    await writing;
    await eventually('all 120 events', () => seen.length >= 120);
    await new Promise((r) => setTimeout(r, 200));

    expect(seen).toHaveLength(120);
    for (const aggregateId of records) {
      expect(seen.filter((s) => s.aggregateId === aggregateId).map((s) => s.n)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
    }
    expect(seen.slice(handledByA).every((s) => s.worker === 'b')).toBe(true);
    expect(seen.slice(handledByA).length).toBeGreaterThan(0);
  });

  it('handles an event published twice only once', async () => {
    const prefix = `${filePrefix}-dupes`;
    const seen: Array<{ aggregateId: string; n: number; worker: string }> = [];
    const consumer = recorder('test.dupes', 'dupe.tested', 'a', seen);
    const t = transport(prefix, [consumer]);
    const aggregateId = crypto.randomUUID();
    const ids = await write('dupe.tested', [
      { aggregateId, n: 1 },
      { aggregateId, n: 2 },
    ]);
    expect(await t.drain()).toBe(2);

    // A relay that crashed after the broker's confirm but before marking the rows publishes again.
    await withSystem(database.db, (tx) =>
      tx
        .updateTable('outbox')
        .set({ published_at: null })
        .where('organization_id', '=', org)
        .where('id', 'in', ids)
        .execute(),
    );
    expect(await t.drain()).toBe(2);
    // And a copy arriving straight from the broker (a redelivery) is skipped as well.
    const raw = await broker.createConfirmChannel();
    const [first] = await withSystem(database.db, (tx) =>
      tx
        .selectFrom('outbox')
        .selectAll()
        .where('organization_id', '=', org)
        .where('id', '=', ids[0] ?? '')
        .execute(),
    );
    const body = {
      id: first?.id,
      type: first?.type,
      organizationId: org,
      aggregateType: 'thing',
      aggregateId,
      occurredAt: first?.occurred_at.toISOString(),
      payload: first?.payload,
    };
    const topology = eventTopology(prefix);
    raw.publish(
      topology.exchange,
      `${partitionOf(`thing:${aggregateId}`, topology.partitions)}.dupe.tested`,
      Buffer.from(JSON.stringify(body)),
      { persistent: true, messageId: first?.id },
    );
    await raw.waitForConfirms();
    await raw.close();
    await new Promise((r) => setTimeout(r, 300));

    expect(seen.map((s) => s.n)).toEqual([1, 2]);
    const processed = await withSystem(database.db, (tx) =>
      tx
        .selectFrom('processed_events')
        .select('event_id')
        .where('organization_id', '=', org)
        .where('consumer', '=', 'test.dupes')
        .execute(),
    );
    expect(processed.map((p) => p.event_id).sort()).toEqual([...ids].sort());
  });
});
