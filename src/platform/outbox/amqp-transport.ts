import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import { createAmqpLink, type AmqpLink, type ConfirmChannel, type LinkLog } from '../amqp/index.js';
import type { PlatformTables } from '../db/index.js';
import { createPollLoop } from '../schedule/index.js';
import { startConsuming, type ConsumerSession } from './amqp-consume.js';
import { relayBatch } from './amqp-relay.js';
import { declareTopology, eventTopology, type EventTopology } from './amqp-topology.js';
import { wants } from './deliver.js';
import type { EventHandler, DomainEvent } from './events.js';
import type { DispatcherOptions, EventTransport } from './transport.js';

/** The RabbitMQ transport's settings; every one but `url` has a default fit for production. */
export interface AmqpTransportOptions extends DispatcherOptions {
  /** The broker (AMQP_URL). */
  url: string;
  /** First word of every exchange and queue name (`cerebro`); tests use a unique one. */
  prefix?: string;
  /** Partition queues per consumer (8). Changing it moves records between partitions: drain first. */
  partitions?: number;
  /** Messages the broker sends ahead per partition queue (32). */
  prefetch?: number;
  /** Most events handled at once by this process (4), so the database pool keeps room for the rest. */
  concurrency?: number;
  /** Tries of one event per consumer before it is dead-lettered (5). */
  maxTries?: number;
  /** First retry delay of a failing event in ms (500), doubling up to `retryMaxMs` (10 000). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Reconnect delays in ms: from `baseMs` (200) doubling up to `maxMs` (30 000), with jitter. */
  reconnect?: { baseMs?: number; maxMs?: number };
  /** How long `drain()` waits for the broker and for this process's consumers (15 000). */
  drainTimeoutMs?: number;
  /** How long a relay pass waits for the broker's confirms (10 000). */
  confirmTimeoutMs?: number;
  /** The connection name the broker shows (`cerebro-<host>-<pid>`). */
  name?: string;
  log?: LinkLog;
}

/** What one connection carries: the relay's confirm channel and this process's consumers. */
interface Session {
  publisher: ConfirmChannel;
  consumers: ConsumerSession | null;
}

const SILENT = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
} as unknown as LinkLog;

/**
 * The RabbitMQ transport. Its relay polls the outbox as the in-process dispatcher does and
 * publishes on a confirm channel (amqp-relay.ts); the worker consumes the partition queues
 * (amqp-consume.ts). While the broker is unreachable the relay publishes nothing, so events
 * wait in the outbox — the outbox, not the broker, is the durable record until a confirm.
 *
 * A process with consumers (a worker) connects at once, so a broker problem shows at start-up and
 * the first event does not wait for the handshake; one without connects on `start()` or the first
 * `drain()`, so `cerebro api` never connects. Every connect declares the topology again.
 */
export function createAmqpTransport(
  db: Kysely<PlatformTables>,
  consumers: readonly EventHandler[],
  options: AmqpTransportOptions,
): EventTransport {
  const pollMs = options.pollMs ?? 500;
  const batchSize = options.batchSize ?? 100;
  const drainTimeoutMs = options.drainTimeoutMs ?? 15_000;
  const confirmTimeoutMs = options.confirmTimeoutMs ?? 10_000;
  const log = options.log ?? SILENT;
  const topology: EventTopology = eventTopology(options.prefix, options.partitions);
  let link: AmqpLink<Session> | null = null;
  // drain() waits for the events it published: id → consumers of this process yet to settle it.
  const unsettled = new Map<string, Set<string>>();
  const settleWatchers = new Set<() => void>();

  const onSettled = (eventId: string, consumer: string) => {
    const left = unsettled.get(eventId);
    if (!left?.delete(consumer) || left.size > 0) return;
    unsettled.delete(eventId);
    for (const watch of settleWatchers) watch();
  };

  const openLink = (): AmqpLink<Session> =>
    (link ??= createAmqpLink<Session>({
      url: options.url,
      name: options.name ?? `cerebro-${hostname()}-${process.pid}`,
      log,
      backoff: options.reconnect,
      setup: async ({ connection, watch }) => {
        const publisher = watch(await connection.createConfirmChannel());
        await declareTopology(publisher, topology, consumers);
        const session: Session = { publisher, consumers: null };
        if (consumers.length > 0) {
          session.consumers = await startConsuming(watch(await connection.createChannel()), {
            db,
            topology,
            consumers,
            prefetch: options.prefetch ?? 32,
            concurrency: options.concurrency ?? 4,
            eventsPerTransaction: options.eventsPerTransaction ?? 25,
            maxTries: options.maxTries ?? 5,
            retryBaseMs: options.retryBaseMs ?? 500,
            retryMaxMs: options.retryMaxMs ?? 10_000,
            log,
            onError: options.onError,
            onSettled,
          });
        }
        // What piled up in the outbox while disconnected goes out now, not at the next poll.
        loop.wake();
        return session;
      },
      // The channels are gone: stop retrying on them; the broker redelivers what was unacked.
      onLost: (session) => void session.consumers?.stop(),
    }));

  /** One relay pass on the live connection; nothing while disconnected (events stay in the outbox). */
  async function relayOnce(track: boolean): Promise<DomainEvent[]> {
    const session = link?.current();
    if (!session) return [];
    // Registered before the publish: a fast consumer may settle an event before its confirm arrives.
    const tracked: string[] = [];
    const beforePublish = (event: DomainEvent) => {
      const names = consumers.filter((c) => wants(c, event.type)).map((c) => c.name);
      if (names.length > 0) unsettled.set(event.id, new Set(names));
      tracked.push(event.id);
    };
    try {
      const result = await relayBatch(db, session.publisher, topology, {
        batchSize,
        confirmTimeoutMs,
        beforePublish: track ? beforePublish : undefined,
      });
      if (result.more) loop.wake();
      const confirmed = new Set(result.published.map((e) => e.id));
      for (const id of tracked) if (!confirmed.has(id)) unsettled.delete(id);
      return result.published;
    } catch (err) {
      for (const id of tracked) unsettled.delete(id);
      throw err;
    }
  }

  const loop = createPollLoop(relayOnce, {
    pollMs,
    idle: false,
    onError: (err) => log.warn({ err }, 'event relay pass failed; retrying at the next poll'),
  });

  /** Waits until this process's consumers settled every one of `ids`, or the time is up. */
  async function settled(ids: readonly string[]): Promise<void> {
    // stop() clears the link: a drain in progress then returns instead of waiting out its time.
    const open = () => link !== null && ids.some((id) => unsettled.has(id));
    let deadline: NodeJS.Timeout | undefined;
    let watch: (() => void) | undefined;
    try {
      await new Promise<void>((resolve) => {
        if (!open()) return resolve();
        watch = () => !open() && resolve();
        settleWatchers.add(watch);
        deadline = setTimeout(() => {
          log.warn(
            { events: ids.filter((id) => unsettled.has(id)).length },
            'drain: events not settled by this process in time (another worker may hold their partitions)',
          );
          resolve();
        }, drainTimeoutMs);
      });
    } finally {
      clearTimeout(deadline);
      if (watch) settleWatchers.delete(watch);
      for (const id of ids) unsettled.delete(id);
    }
  }

  if (consumers.length > 0) openLink();

  return {
    kind: 'rabbitmq',
    drain: async () => {
      await openLink().ready(drainTimeoutMs);
      const published = await loop.run(true);
      if (consumers.length > 0) await settled(published.map((e) => e.id));
      return published.length;
    },
    wake: () => loop.wake(),
    start: () => {
      openLink();
      loop.start();
    },
    stop: async () => {
      await loop.stop();
      const current = link;
      link = null;
      await current?.current()?.consumers?.stop();
      await current?.close();
      for (const watch of settleWatchers) watch();
    },
  };
}
