import { sql, type Kysely } from 'kysely';
import type { PlatformTables } from '../db/index.js';
import { withSystem } from '../db/index.js';
import { createPollLoop } from '../schedule/index.js';
import { deliverBatch, deliverOnce, wants } from './deliver.js';
import { eventOfRow, orderingKey, type DomainEvent, type EventHandler } from './events.js';
import type { DispatcherOptions, EventTransport } from './transport.js';

/** Splits `items` into runs of at most `size`. */
function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Groups events by the record they are about, each group in the order given. */
function byRecord(events: readonly DomainEvent[]): DomainEvent[][] {
  const groups = new Map<string, DomainEvent[]>();
  for (const event of events) {
    const key = orderingKey(event);
    const list = groups.get(key);
    if (list) list.push(event);
    else groups.set(key, [event]);
  }
  return [...groups.values()];
}

/** Runs `work` over `items`, at most `width` at a time. */
async function eachConcurrently<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(width, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

/**
 * The in-process transport: polls the outbox and hands each event to every consumer in this
 * process, at least once and in order per aggregate. The embedded default.
 *
 * Each consumer takes the batch's events in transactions of `eventsPerTransaction` (one statement
 * records their ids), so the bookkeeping of an event costs a row, not a transaction; different
 * records' events go in parallel lanes. When such a
 * transaction fails, its events go again one per transaction, each record's in order, to find the
 * failing one: that record stops there for this consumer (its later events wait for the retry), and
 * the others go on.
 */
export function createOutboxDispatcher(
  db: Kysely<PlatformTables>,
  consumers: readonly EventHandler[],
  options: DispatcherOptions = {},
): EventTransport {
  const pollMs = options.pollMs ?? 500;
  const batchSize = options.batchSize ?? 100;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const perTransaction = Math.max(1, options.eventsPerTransaction ?? 25);

  async function recordFailure(event: DomainEvent, err: unknown): Promise<void> {
    await withSystem(db, (tx) =>
      tx
        .updateTable('outbox')
        .set({
          attempts: sql`attempts + 1`,
          last_error: err instanceof Error ? err.message.slice(0, 500) : 'unknown error',
        })
        .where('organization_id', '=', event.organizationId)
        .where('id', '=', event.id)
        .execute(),
    );
  }

  /**
   * Hands `events` to one consumer one per transaction, records side by side, each record's in
   * order; a record stops at its first failure. Answers the events that failed.
   */
  async function oneByOne(
    consumer: EventHandler,
    events: readonly DomainEvent[],
    stopped: Set<string>,
  ): Promise<DomainEvent[]> {
    const failed: DomainEvent[] = [];
    await eachConcurrently(byRecord(events), concurrency, async (rows) => {
      for (const event of rows) {
        try {
          await deliverOnce(db, consumer, event);
        } catch (err) {
          options.onError?.(err, event, consumer.name);
          await recordFailure(event, err);
          stopped.add(orderingKey(event));
          failed.push(event);
          return;
        }
      }
    });
    return failed;
  }

  /**
   * One lane of one consumer's share of a batch — the lane holds whole records, so their order
   * holds — in transactions of `perTransaction` events; answers the events it failed on.
   */
  async function deliverLane(
    consumer: EventHandler,
    events: readonly DomainEvent[],
  ): Promise<DomainEvent[]> {
    const stopped = new Set<string>();
    const failed: DomainEvent[] = [];
    for (const chunk of chunks(events, perTransaction)) {
      const open = chunk.filter((e) => !stopped.has(orderingKey(e)));
      try {
        await deliverBatch(db, consumer, open);
      } catch {
        failed.push(...(await oneByOne(consumer, open, stopped)));
      }
    }
    return failed;
  }

  /** Splits a consumer's events into `concurrency` lanes by record, each lane in batch order. */
  function lanesOf(consumer: EventHandler, events: readonly DomainEvent[]): DomainEvent[][] {
    const lanes: DomainEvent[][] = Array.from({ length: concurrency }, () => []);
    const laneOf = new Map<string, number>();
    for (const event of events) {
      if (!wants(consumer, event.type)) continue;
      const key = orderingKey(event);
      // Records are dealt round robin in order of first appearance: lanes come out even.
      const lane = laneOf.get(key) ?? laneOf.size % concurrency;
      laneOf.set(key, lane);
      lanes[lane]?.push(event);
    }
    return lanes.filter((l) => l.length > 0);
  }

  /**
   * One batch: every consumer takes its events, in lanes of whole records, `concurrency` lanes at
   * a time (PostgreSQL runs them side by side; the embedded database one after another). An event is
   * marked published when no consumer failed on it or on an earlier event of its record; a crash
   * before the marking redelivers the batch, which consumers absorb.
   */
  async function drainOnce(): Promise<number> {
    const batch = await withSystem(db, (tx) =>
      tx
        .selectFrom('outbox')
        .selectAll()
        .where('published_at', 'is', null)
        .orderBy('position')
        .limit(batchSize)
        .execute(),
    );
    if (batch.length === 0) return 0;
    const events = batch.map(eventOfRow);
    const position = new Map(events.map((e, i) => [e.id, i]));
    // Per record, the batch position of its first event some consumer failed on.
    const blockedFrom = new Map<string, number>();
    const work = consumers.flatMap((consumer) =>
      lanesOf(consumer, events).map((lane) => ({ consumer, lane })),
    );
    await eachConcurrently(work, concurrency, async ({ consumer, lane }) => {
      for (const event of await deliverLane(consumer, lane)) {
        const key = orderingKey(event);
        const at = position.get(event.id) ?? 0;
        blockedFrom.set(key, Math.min(at, blockedFrom.get(key) ?? at));
      }
    });
    const delivered = batch.filter((_, i) => {
      const event = events[i];
      return event !== undefined && i < (blockedFrom.get(orderingKey(event)) ?? batch.length);
    });
    if (delivered.length > 0) {
      await withSystem(db, (tx) =>
        tx
          .updateTable('outbox')
          .set({ published_at: new Date(), attempts: sql`attempts + 1` })
          .where((eb) =>
            eb(
              eb.refTuple('organization_id', 'id'),
              'in',
              delivered.map((r) => eb.tuple(r.organization_id, r.id)),
            ),
          )
          .execute(),
      );
    }
    return delivered.length;
  }

  // A failed timed pass is retried at the next poll; drain() callers see their own failures.
  const loop = createPollLoop(drainOnce, { pollMs, idle: undefined, onError: () => undefined });

  return {
    kind: 'in-process',
    drain: () => loop.run(undefined),
    wake: () => loop.wake(),
    start: () => loop.start(),
    stop: () => loop.stop(),
  };
}
