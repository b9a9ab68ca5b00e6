import type { DomainEvent } from './events.js';

/**
 * How domain events travel from the outbox to their consumers. Two implementations: in-process
 * (the embedded default) and RabbitMQ (when AMQP_URL is set); both deliver every event at least
 * once to each consumer, in order per record, and consumers dedupe by event id.
 */
export interface EventTransport {
  /** Which implementation this is, for the start-up log. */
  readonly kind: 'in-process' | 'rabbitmq';
  /** Delivers what is pending now; resolves with how many events were published. */
  drain(): Promise<number>;
  /** Asks for a prompt poll (called after a commit that emitted events). */
  readonly wake: () => void;
  start(): void;
  /** Stops polling and waits for the batch in flight. */
  stop(): Promise<void>;
}

/** The name callers know the event transport by (`deps.outbox`). */
export type OutboxDispatcher = EventTransport;

/** Options both transports take. */
export interface DispatcherOptions {
  /** How often the outbox is polled when nothing wakes it, in ms (500). */
  pollMs?: number;
  /** Most events read from the outbox per poll (100). */
  batchSize?: number;
  /**
   * How many events one consumer handles in one transaction (25): more is fewer commits, but a
   * longer hold on the embedded database's single connection.
   */
  eventsPerTransaction?: number;
  /** Consumers (and, after a failure, records) served at once by this process (4), bounding database connections. */
  concurrency?: number;
  /** Told of every failed delivery attempt; the event is retried. */
  onError?: (err: unknown, event: DomainEvent, consumer: string) => void;
}
