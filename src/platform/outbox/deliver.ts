import type { Kysely } from 'kysely';
import { withTenant, type PlatformTables } from '../db/index.js';
import type { EventHandler, DomainEvent } from './events.js';

/**
 * Whether a consumer wants events of this type: `*` takes all, `*.created` one verb of every
 * object (an admin's objects included), as the AMQP topic bindings read the same patterns.
 */
export function wants(consumer: EventHandler, type: string): boolean {
  return consumer.types.some(
    (t) =>
      t === '*' ||
      t === type ||
      (t.startsWith('*.') &&
        type.endsWith(t.slice(1)) &&
        !type.slice(0, 1 - t.length).includes('.')),
  );
}

/**
 * Hands one event to one consumer, at most once in effect: the consumer's work and the record of
 * the event id commit together, so a redelivery (after a crash, a reconnect, a duplicate publish)
 * finds the id and does nothing. Resolves false when the event had already been handled.
 */
export async function deliverOnce(
  db: Kysely<PlatformTables>,
  consumer: EventHandler,
  event: DomainEvent,
): Promise<boolean> {
  return withTenant(db, event.organizationId, async (tx) => {
    const fresh = await tx
      .insertInto('processed_events')
      .values({
        organization_id: event.organizationId,
        consumer: consumer.name,
        event_id: event.id,
      })
      .onConflict((oc) => oc.columns(['organization_id', 'consumer', 'event_id']).doNothing())
      .returning('event_id')
      .executeTakeFirst();
    if (fresh) await consumer.handle(tx, event);
    return fresh !== undefined;
  });
}
