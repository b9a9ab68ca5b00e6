import type { Tx } from '../db/index.js';
import type { DomainEvent, EventHandler } from '../outbox/index.js';
import { createCtxInTx, systemActor, type Ctx, type Deps } from './index.js';

/**
 * A module's reaction to domain events. `handle` gets a ctx like a service function's: the
 * event's organization as tenant, the system as actor, the logger (naming the consumer and the
 * event) and the adapters; its `tx` is the transaction that also records the event id, so an event
 * redelivered after a crash is skipped and the consumer's effects happen once (at-least-once
 * delivery, deduplicated by event id).
 */
export interface Consumer {
  /** Unique per process: the dedupe record and, on RabbitMQ, the queue are named after it. */
  name: string;
  /** Event types it wants; `*` for all. */
  types: readonly string[];
  handle(ctx: Ctx, event: DomainEvent): Promise<void>;
}

/** The ctx a consumer handles one event with, inside the transaction `tx` the transport opened. */
export function consumerCtx(
  deps: Deps,
  consumer: Pick<Consumer, 'name'>,
  tx: Tx,
  event: DomainEvent,
): Ctx {
  const log = deps.log.child({ consumer: consumer.name, eventId: event.id, eventType: event.type });
  return createCtxInTx(deps, systemActor(event.organizationId), tx, log);
}

/** What the event transports run for a consumer: its handler, given a ctx per event. */
export function consumerHandler(deps: Deps, consumer: Consumer): EventHandler {
  return {
    name: consumer.name,
    types: consumer.types,
    handle: (tx, event) => consumer.handle(consumerCtx(deps, consumer, tx, event), event),
  };
}
