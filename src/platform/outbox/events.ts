import { v7 as uuidv7 } from 'uuid';
import { deferWrite, type Insertable, type PlatformTables, type Tx } from '../db/index.js';

/** A domain event as consumers receive it. */
export interface DomainEvent<P = Record<string, unknown>> {
  id: string;
  /** `resource.verb`, e.g. `user.invited`. */
  type: string;
  organizationId: string;
  aggregateType: string;
  aggregateId: string | null;
  occurredAt: Date;
  payload: P;
  /** Set when a workflow run's action caused the event (the loop guard reads its depth). */
  causation: Causation | null;
}

/** What caused an event: a workflow run, and how many runs deep the chain is. */
export interface Causation {
  workflowId: string;
  runId: string;
  depth: number;
}

/** What a service emits. */
export interface EventInput {
  organizationId: string;
  type: string;
  aggregateType: string;
  aggregateId: string | null;
  payload: Record<string, unknown>;
  causation?: Causation | null;
}

type OutboxInsert = Insertable<PlatformTables['outbox']>;

/**
 * Writes an event to the outbox in the caller's transaction: it exists iff the change commits. The
 * events of one transaction are inserted together just before it commits, in the order emitted.
 */
export async function emit(tx: Tx, event: EventInput): Promise<string> {
  const id = uuidv7();
  await deferWrite(
    tx,
    'outbox',
    {
      organization_id: event.organizationId,
      id,
      type: event.type,
      aggregate_type: event.aggregateType,
      aggregate_id: event.aggregateId,
      payload: JSON.stringify(event.payload),
      occurred_at: new Date(),
      published_at: null,
      last_error: null,
      causation: event.causation ? JSON.stringify(event.causation) : null,
    },
    async (t, rows: OutboxInsert[]) => void (await t.insertInto('outbox').values(rows).execute()),
  );
  return id;
}

/**
 * What the transports run for one consumer. `handle` runs in a tenant transaction together with
 * the record of the event id, so an event redelivered after a crash is skipped: effects happen
 * once. Modules write `Consumer`s (platform/context), which receive a ctx; the process binds
 * each to one of these (`consumerHandler`).
 */
export interface EventHandler {
  name: string;
  /** Event types it wants; `*` for all. */
  types: readonly string[];
  handle(tx: Tx, event: DomainEvent): Promise<void>;
}

/** An outbox row as the relays read it. */
export interface OutboxRow {
  organization_id: string;
  id: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string | null;
  occurred_at: Date;
  payload: Record<string, unknown>;
  causation: Causation | null;
}

/** The event an outbox row records. */
export function eventOfRow(row: OutboxRow): DomainEvent {
  return {
    id: row.id,
    type: row.type,
    organizationId: row.organization_id,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    occurredAt: row.occurred_at,
    payload: row.payload,
    causation: row.causation,
  };
}

/** The key events are ordered by: one record; an event without a record is its own. */
export function orderingKey(
  event: Pick<DomainEvent, 'id' | 'aggregateType' | 'aggregateId'>,
): string {
  return `${event.aggregateType}:${event.aggregateId ?? event.id}`;
}
