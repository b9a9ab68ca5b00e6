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

/**
 * Hands several events to one consumer in one transaction per organization: the ids of the events
 * are recorded in one statement, and the consumer handles those not seen before, in the order
 * given (callers pass each record's events in order). An organization's events commit together or
 * not at all: when a handler throws, the error is thrown, and the caller falls back to one event
 * per transaction to find the one that fails (those already committed are then skipped as seen).
 * Resolves with how many events were new.
 */
export async function deliverBatch(
  db: Kysely<PlatformTables>,
  consumer: EventHandler,
  events: readonly DomainEvent[],
): Promise<number> {
  const byOrganization = new Map<string, DomainEvent[]>();
  for (const event of events) {
    const list = byOrganization.get(event.organizationId);
    if (list) list.push(event);
    else byOrganization.set(event.organizationId, [event]);
  }
  let fresh = 0;
  for (const [organizationId, list] of byOrganization) {
    fresh += await withTenant(db, organizationId, async (tx) => {
      const recorded = await tx
        .insertInto('processed_events')
        .values(
          list.map((e) => ({
            organization_id: organizationId,
            consumer: consumer.name,
            event_id: e.id,
          })),
        )
        .onConflict((oc) => oc.columns(['organization_id', 'consumer', 'event_id']).doNothing())
        .returning('event_id')
        .execute();
      const ids = new Set(recorded.map((r) => r.event_id));
      for (const event of list) {
        // Taken out as it is handled: an event listed twice is handled once.
        if (ids.delete(event.id)) await consumer.handle(tx, event);
      }
      return recorded.length;
    });
  }
  return fresh;
}
