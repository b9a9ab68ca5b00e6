import { connect } from 'amqplib';
import type { Channel } from '../amqp/index.js';
import { orderingKey, type EventHandler, type DomainEvent } from './events.js';

/** What the topology needs of a consumer: its queue's name and the event types it binds. */
type Subscriber = Pick<EventHandler, 'name' | 'types'>;

/**
 * The RabbitMQ names events travel by. One topic exchange takes every event with the routing
 * key `<partition>.<event type>`; each consumer owns one durable queue per partition, bound to
 * the types it wants. A record always hashes to the same partition, and a partition queue has a
 * single active consumer, so the events of one record reach a consumer in outbox order even
 * with several worker processes — while different records spread over P queues in parallel.
 */
export interface EventTopology {
  prefix: string;
  partitions: number;
  /** The topic exchange the relay publishes to. */
  exchange: string;
  /** Where a partition queue sends what it rejects for good (fanout). */
  deadExchange: string;
  /** The queue of dead-lettered events, for inspection and replay. */
  deadQueue: string;
  /** The queue of one consumer for one partition: `<prefix>.<consumer>.<p>`. */
  queue(consumer: string, partition: number): string;
}

/** The default partition count: enough parallelism for a few workers, few enough queues to watch. */
export const DEFAULT_PARTITIONS = 8;

/** The names under one prefix (`cerebro` in production; a unique one per test file). */
export function eventTopology(prefix = 'cerebro', partitions = DEFAULT_PARTITIONS): EventTopology {
  return {
    prefix,
    partitions,
    exchange: `${prefix}.events`,
    deadExchange: `${prefix}.events.dlx`,
    deadQueue: `${prefix}.events.dead`,
    queue: (consumer, partition) => `${prefix}.${consumer}.${partition}`,
  };
}

/** FNV-1a: a stable, fast 32-bit hash, so every process maps a record to the same partition. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The partition of an ordering key (`aggregateType:aggregateId`). */
export function partitionOf(key: string, partitions: number): number {
  return fnv1a(key) % partitions;
}

/** The routing key of an event: its record's partition, then its type. */
export function routingKeyOf(
  topology: EventTopology,
  event: Pick<DomainEvent, 'id' | 'type' | 'aggregateType' | 'aggregateId'>,
): string {
  return `${partitionOf(orderingKey(event), topology.partitions)}.${event.type}`;
}

/** Binding patterns of one consumer on one partition; `*` takes every type (`#` in AMQP). */
function bindingsOf(consumer: Subscriber, partition: number): string[] {
  return consumer.types.includes('*')
    ? [`${partition}.#`]
    : consumer.types.map((t) => `${partition}.${t}`);
}

/**
 * Declares everything, idempotently (run on every connect). The relay's process declares the
 * consumers' queues too, so an event published before any worker consumed is queued, not dropped.
 * Bindings are only added: a type a consumer stopped wanting keeps arriving and is acked unread.
 */
export async function declareTopology(
  channel: Channel,
  topology: EventTopology,
  consumers: readonly Subscriber[],
): Promise<void> {
  await channel.assertExchange(topology.exchange, 'topic', { durable: true });
  await channel.assertExchange(topology.deadExchange, 'fanout', { durable: true });
  await channel.assertQueue(topology.deadQueue, { durable: true });
  await channel.bindQueue(topology.deadQueue, topology.deadExchange, '');
  for (const consumer of consumers) {
    for (let p = 0; p < topology.partitions; p++) {
      const queue = topology.queue(consumer.name, p);
      await channel.assertQueue(queue, queueOptions(topology));
      for (const pattern of bindingsOf(consumer, p))
        await channel.bindQueue(queue, topology.exchange, pattern);
    }
  }
}

/** A partition queue's arguments; they must be identical on every declaration or the broker refuses. */
function queueOptions(topology: EventTopology) {
  return {
    durable: true,
    deadLetterExchange: topology.deadExchange,
    arguments: { 'x-single-active-consumer': true },
  };
}

/** Deletes every queue and exchange of a topology (tests and CI clean up after themselves). */
export async function deleteTopology(
  url: string,
  topology: EventTopology,
  consumers: readonly Subscriber[],
): Promise<void> {
  const connection = await connect(url);
  try {
    const channel = await connection.createChannel();
    for (const consumer of consumers) {
      for (let p = 0; p < topology.partitions; p++)
        await channel.deleteQueue(topology.queue(consumer.name, p));
    }
    await channel.deleteQueue(topology.deadQueue);
    await channel.deleteExchange(topology.exchange);
    await channel.deleteExchange(topology.deadExchange);
    await channel.close();
  } finally {
    await connection.close().catch(() => undefined);
  }
}
