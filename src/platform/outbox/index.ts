import type { Kysely } from 'kysely';
import type { PlatformTables } from '../db/index.js';
import { createAmqpTransport, type AmqpTransportOptions } from './amqp-transport.js';
import type { EventHandler } from './events.js';
import { createOutboxDispatcher } from './in-process.js';
import type { DispatcherOptions, EventTransport } from './transport.js';

export {
  emit,
  type Causation,
  type EventHandler,
  type DomainEvent,
  type EventInput,
} from './events.js';
export type { DispatcherOptions, EventTransport, OutboxDispatcher } from './transport.js';
export {
  ASSIGNED_EVENTS,
  isAssignedEvent,
  assignedEvent,
  assignedPayloadOf,
  emitAssigned,
  type AssignableType,
  type AssignedPayload,
  type AssigningCtx,
  type AssignmentInput,
} from './assigned.js';
export { createOutboxDispatcher } from './in-process.js';
export { createAmqpTransport, type AmqpTransportOptions } from './amqp-transport.js';
export { deleteTopology, eventTopology, partitionOf, type EventTopology } from './amqp-topology.js';

/** Options of createEventTransport: RabbitMQ's when `amqp` is given, in-process otherwise. */
export interface EventTransportOptions extends DispatcherOptions {
  amqp?: Omit<AmqpTransportOptions, keyof DispatcherOptions> | null;
}

/** The transport the configuration asks for: RabbitMQ when AMQP_URL is set, else in-process. */
export function createEventTransport(
  db: Kysely<PlatformTables>,
  consumers: readonly EventHandler[],
  options: EventTransportOptions = {},
): EventTransport {
  const { amqp, ...common } = options;
  return amqp
    ? createAmqpTransport(db, consumers, { ...common, ...amqp })
    : createOutboxDispatcher(db, consumers, common);
}
