import { sql, type Kysely } from 'kysely';
import { publishConfirmed, type ConfirmChannel } from '../amqp/index.js';
import { tryAdvisoryLock, withSystem, type PlatformTables } from '../db/index.js';
import { encodeEvent, eventProperties } from './amqp-codec.js';
import { routingKeyOf, type EventTopology } from './amqp-topology.js';
import { eventOfRow, type DomainEvent } from './events.js';

/** What one relay pass did. */
export interface RelayResult {
  /** Events the broker confirmed and that are now marked published. */
  published: DomainEvent[];
  /** The batch was full: more may be waiting. */
  more: boolean;
}

/** How one relay pass runs. */
export interface RelayOptions {
  batchSize: number;
  /** How long to wait for the broker's confirms before giving up on the rest of a batch. */
  confirmTimeoutMs: number;
  /** Called for each event before the batch is published (the transport tracks what it awaits). */
  beforePublish?: (event: DomainEvent) => void;
}

// Advisory lock class of the relay; the second key is the topology prefix.
const RELAY_LOCK_CLASS = 0x0ce2b0;

/**
 * Publishes the oldest unpublished events and marks those the broker confirmed.
 *
 * Only one relay runs at a time across every worker process (a transaction-scoped advisory
 * lock; the others skip this pass): two relays would publish the same rows twice, in an order
 * neither controls. `published_at` is set only after the broker's confirm, in the same
 * transaction that holds the lock; a crash between confirm and commit republishes the batch,
 * and consumers absorb those duplicates through `processed_events`.
 */
export async function relayBatch(
  db: Kysely<PlatformTables>,
  channel: ConfirmChannel,
  topology: EventTopology,
  options: RelayOptions,
): Promise<RelayResult> {
  return withSystem(db, async (tx) => {
    if (!(await tryAdvisoryLock(tx, RELAY_LOCK_CLASS, topology.prefix)))
      return { published: [], more: false };
    const rows = await tx
      .selectFrom('outbox')
      .selectAll()
      .where('published_at', 'is', null)
      .orderBy('position')
      .limit(options.batchSize)
      .execute();
    if (rows.length === 0) return { published: [], more: false };
    const events = rows.map(eventOfRow);
    const confirmed = await publishEvents(channel, topology, events, options);
    if (confirmed.length > 0) {
      await tx
        .updateTable('outbox')
        .set({ published_at: new Date(), attempts: sql`attempts + 1` })
        .where((eb) =>
          eb(
            eb.refTuple('organization_id', 'id'),
            'in',
            confirmed.map((e) => eb.tuple(e.organizationId, e.id)),
          ),
        )
        .execute();
    }
    return { published: confirmed, more: rows.length === options.batchSize };
  });
}

/** Publishes the batch in outbox order and returns the events the broker confirmed. */
async function publishEvents(
  channel: ConfirmChannel,
  topology: EventTopology,
  events: DomainEvent[],
  options: RelayOptions,
): Promise<DomainEvent[]> {
  for (const event of events) options.beforePublish?.(event);
  const messages = events.map((event) => ({
    exchange: topology.exchange,
    routingKey: routingKeyOf(topology, event),
    body: encodeEvent(event),
    properties: eventProperties(event),
  }));
  const acked = await publishConfirmed(channel, messages, options.confirmTimeoutMs);
  return events.filter((_, i) => acked[i]);
}
