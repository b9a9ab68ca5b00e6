import type { Kysely } from 'kysely';
import type { Channel, ConsumeMessage, LinkLog } from '../amqp/index.js';
import { withSystem, type PlatformTables } from '../db/index.js';
import { decodeEvent } from './amqp-codec.js';
import type { EventTopology } from './amqp-topology.js';
import { deliverBatch, deliverOnce, wants } from './deliver.js';
import type { EventHandler, DomainEvent } from './events.js';

/** How a worker consumes the partition queues. */
export interface ConsumeOptions {
  db: Kysely<PlatformTables>;
  topology: EventTopology;
  consumers: readonly EventHandler[];
  /** Unacknowledged messages the broker sends ahead, per partition queue. */
  prefetch: number;
  /** Most events handled at once in this process, over all queues (bounds database connections). */
  concurrency: number;
  /** Most events of one queue handled in one transaction, when that many are waiting. */
  eventsPerTransaction: number;
  /** Tries of one event before it is dead-lettered. */
  maxTries: number;
  /** First retry delay; doubling, with jitter, up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  log: LinkLog;
  onError?: (err: unknown, event: DomainEvent, consumer: string) => void;
  /** Told when a consumer is done with an event: handled (or already handled), or dead-lettered. */
  onSettled?: (eventId: string, consumer: string) => void;
}

/** The consumers running on one channel. */
export interface ConsumerSession {
  /** Stops taking messages and waits for those being handled; the rest return to their queues when the channel closes. */
  stop(): Promise<void>;
}

/** A counting semaphore: at most `size` holders at once, served first come first served. */
function semaphore(size: number) {
  let free = size;
  const queue: Array<() => void> = [];
  return {
    acquire: (): Promise<void> => {
      if (free > 0) {
        free--;
        return Promise.resolve();
      }
      return new Promise((resolve) => queue.push(resolve));
    },
    release: (): void => {
      const next = queue.shift();
      if (next) next();
      else free++;
    },
  };
}

/** Sleeps, or wakes early when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

const errorText = (err: unknown) =>
  (err instanceof Error ? err.message : String(err)).slice(0, 500);

/**
 * Subscribes to every consumer's partition queues on `channel` and handles each queue's messages
 * one at a time, in order. An event is acked only after the consumer's transaction committed.
 * A failing event is retried in place with backoff, holding its partition (later events of the
 * same records wait: order per record), and after `maxTries` rejected into the dead-letter queue
 * so the partition moves on; its outbox row gets `last_error`.
 *
 * Stopping never cancels the subscriptions (basic.cancel): a cancelled single active consumer
 * hands its queue to the next worker while its unacked messages are still out, and those would
 * come back behind later ones. Closing the channel instead returns them and moves the queue on in
 * one step of the broker, so order holds across a graceful stop as across a crash.
 */
export async function startConsuming(
  channel: Channel,
  options: ConsumeOptions,
): Promise<ConsumerSession> {
  const halt = new AbortController();
  const slots = semaphore(options.concurrency);
  const lanes: Array<{ idle(): Promise<void> }> = [];
  const settle = (event: DomainEvent, consumer: EventHandler) =>
    options.onSettled?.(event.id, consumer.name);
  // A closed channel cannot ack (the broker redelivers what was not acked, which processed_events
  // absorbs), and a throwing error callback must not stop the partition.
  const safely = (fn: () => void) => {
    try {
      fn();
    } catch {
      /* channel gone */
    }
  };

  async function markDead(event: DomainEvent, consumer: EventHandler, err: unknown): Promise<void> {
    await withSystem(options.db, (tx) =>
      tx
        .updateTable('outbox')
        .set({ last_error: `${consumer.name}: ${errorText(err)}`.slice(0, 500) })
        .where('organization_id', '=', event.organizationId)
        .where('id', '=', event.id)
        .execute(),
    ).catch((e: unknown) =>
      options.log.warn(
        { err: e, eventId: event.id },
        'could not record the dead-lettered event in the outbox',
      ),
    );
  }

  async function handle(consumer: EventHandler, message: ConsumeMessage): Promise<void> {
    const event = decodeEvent(message.content);
    if (!event) {
      options.log.error(
        { consumer: consumer.name, messageId: message.properties.messageId as unknown },
        'a message on an event queue is not an event; dead-lettered',
      );
      return safely(() => channel.reject(message, false));
    }
    // Bindings are only ever added, so a type this consumer no longer wants may still arrive.
    if (!wants(consumer, event.type)) {
      safely(() => channel.ack(message));
      return settle(event, consumer);
    }
    for (let attempt = 1; !halt.signal.aborted; attempt++) {
      try {
        await slots.acquire();
        try {
          await deliverOnce(options.db, consumer, event);
        } finally {
          slots.release();
        }
        safely(() => channel.ack(message));
        return settle(event, consumer);
      } catch (err) {
        safely(() => options.onError?.(err, event, consumer.name));
        if (attempt >= options.maxTries) {
          options.log.error(
            { err, eventId: event.id, type: event.type, consumer: consumer.name, tries: attempt },
            'event dead-lettered after its last try',
          );
          await markDead(event, consumer, err);
          safely(() => channel.reject(message, false));
          return settle(event, consumer);
        }
        const step = Math.min(options.retryMaxMs, options.retryBaseMs * 2 ** (attempt - 1));
        await pause(Math.round(step / 2 + (Math.random() * step) / 2), halt.signal);
      }
    }
    // Stopped while retrying: left unacked, so the broker hands it to the next active consumer first.
  }

  /**
   * Handles waiting messages of one queue in one transaction when they are all events the consumer
   * wants; acks them once it committed. Answers false, having acked nothing, when the batch cannot
   * go that way (an odd message, a failure): the caller then takes them one by one, with retries.
   */
  async function handleBatch(consumer: EventHandler, messages: ConsumeMessage[]): Promise<boolean> {
    const events: DomainEvent[] = [];
    for (const message of messages) {
      const event = decodeEvent(message.content);
      if (!event || !wants(consumer, event.type)) return false;
      events.push(event);
    }
    await slots.acquire();
    try {
      await deliverBatch(options.db, consumer, events);
    } catch {
      return false;
    } finally {
      slots.release();
    }
    messages.forEach((message, i) => {
      safely(() => channel.ack(message));
      const event = events[i];
      if (event) settle(event, consumer);
    });
    return true;
  }

  function lane(consumer: EventHandler) {
    const waiting: ConsumeMessage[] = [];
    let active = false;
    let done: Promise<void> = Promise.resolve();
    const run = async () => {
      try {
        while (waiting.length > 0 && !halt.signal.aborted) {
          const batch = waiting.splice(0, options.eventsPerTransaction);
          if (batch.length > 1 && (await handleBatch(consumer, batch))) continue;
          // Left unacked when stopped mid-way: the broker hands them to the next consumer, in order.
          for (const message of batch) if (!halt.signal.aborted) await handle(consumer, message);
        }
      } finally {
        // Cleared in the same step that sees the lane empty, so a message pushed next starts a new run.
        active = false;
      }
    };
    return {
      push(message: ConsumeMessage) {
        waiting.push(message);
        if (active) return;
        active = true;
        done = run();
      },
      idle: () => done,
    };
  }

  // However the channel goes (a lost connection, a failed setup), work on it stops: the broker
  // hands its unacked messages to whoever consumes next.
  channel.once('close', () => halt.abort());
  await channel.prefetch(options.prefetch, false);
  for (const consumer of options.consumers) {
    for (let p = 0; p < options.topology.partitions; p++) {
      const queue = lane(consumer);
      lanes.push(queue);
      // A null message means the broker cancelled the subscription (queue deleted); the link's
      // reconnect declares the queue and subscribes again.
      await channel.consume(
        options.topology.queue(consumer.name, p),
        (message) => message && queue.push(message),
        { noAck: false },
      );
    }
  }
  return {
    stop: async () => {
      halt.abort();
      await Promise.all(lanes.map((l) => l.idle()));
    },
  };
}
