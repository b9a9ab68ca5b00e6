import { sql, type Kysely } from 'kysely';
import type { ConfirmChannel } from '../amqp/index.js';
import { withSystem, type PlatformTables } from '../db/index.js';
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
  /** Called for each event just before it is published (the transport tracks what it awaits). */
  beforePublish?: (event: DomainEvent) => void;
}

// Advisory lock class of the relay (the two-key form; its key space is apart from the one-key
// form the migrations use). The second key is the topology prefix's hash.
const RELAY_LOCK_CLASS = 0x0ce2b0;

function prefixKey(prefix: string): number {
  let h = 0;
  for (let i = 0; i < prefix.length; i++) h = (Math.imul(h, 31) + prefix.charCodeAt(i)) | 0;
  return h;
}

/**
 * Publishes the oldest unpublished events and marks those the broker confirmed.
 *
 * Only one relay runs at a time across every worker process (a transaction-scoped advisory
 * lock; the others skip this pass): two relays would publish the same rows twice, in an order
 * neither controls. `published_at` is set only after the broker's confirm, in the same
 * transaction that holds the lock; a crash between confirm and commit republishes the batch,
 * and consumers absorb those duplicates through `processed_events`.
 */
export async function relayBatch(db: Kysely<PlatformTables>, channel: ConfirmChannel, topology: EventTopology, options: RelayOptions): Promise<RelayResult> {
  return withSystem(db, async (tx) => {
    const lock = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${RELAY_LOCK_CLASS}::int, ${prefixKey(topology.prefix)}::int) as locked`.execute(tx);
    if (lock.rows[0]?.locked !== true) return { published: [], more: false };
    const rows = await tx.selectFrom('outbox').selectAll().where('published_at', 'is', null).orderBy('position').limit(options.batchSize).execute();
    if (rows.length === 0) return { published: [], more: false };
    const events = rows.map(eventOfRow);
    const confirmed = await publishConfirmed(channel, topology, events, options);
    if (confirmed.length > 0) {
      await tx
        .updateTable('outbox')
        .set({ published_at: new Date(), attempts: sql`attempts + 1` })
        .where((eb) => eb(eb.refTuple('organization_id', 'id'), 'in', confirmed.map((e) => eb.tuple(e.organizationId, e.id))))
        .execute();
    }
    return { published: confirmed, more: rows.length === options.batchSize };
  });
}

/** Resolves when the channel may take more writes, or has closed. */
function writable(channel: ConfirmChannel): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      channel.removeListener('drain', done);
      channel.removeListener('close', done);
      resolve();
    };
    channel.once('drain', done);
    channel.once('close', done);
  });
}

/**
 * Publishes in outbox order on one channel (the broker keeps a channel's order into each queue)
 * and returns the events the broker confirmed within the timeout. A nack or a closed channel
 * leaves an event unconfirmed, so it stays in the outbox for the next pass.
 */
async function publishConfirmed(channel: ConfirmChannel, topology: EventTopology, events: DomainEvent[], options: RelayOptions): Promise<DomainEvent[]> {
  const acked: boolean[] = events.map(() => false);
  const confirms: Promise<void>[] = [];
  for (const [i, event] of events.entries()) {
    options.beforePublish?.(event);
    let full = false;
    let failed = false;
    confirms.push(
      new Promise<void>((resolve) => {
        try {
          full = !channel.publish(topology.exchange, routingKeyOf(topology, event), encodeEvent(event), eventProperties(event), (err: unknown) => {
            acked[i] = err === null || err === undefined;
            resolve();
          });
        } catch {
          failed = true;
          resolve();
        }
      }),
    );
    // The channel closed under us: what was not published stays in the outbox.
    if (failed) break;
    if (full) await writable(channel);
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(confirms), new Promise<void>((resolve) => (timer = setTimeout(resolve, options.confirmTimeoutMs)))]);
  clearTimeout(timer);
  return events.filter((_, i) => acked[i]);
}
