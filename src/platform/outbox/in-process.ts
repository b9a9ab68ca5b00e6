import { sql, type Kysely } from 'kysely';
import type { PlatformTables } from '../db/index.js';
import { withSystem } from '../db/index.js';
import { createPollLoop } from '../schedule/index.js';
import { deliverOnce, wants } from './deliver.js';
import { eventOfRow, orderingKey, type EventHandler, type OutboxRow } from './events.js';
import type { DispatcherOptions, EventTransport } from './transport.js';

/**
 * The in-process transport: polls the outbox and hands each event to every consumer in this
 * process, at least once and in order per aggregate. The embedded default.
 */
export function createOutboxDispatcher(
  db: Kysely<PlatformTables>,
  consumers: readonly EventHandler[],
  options: DispatcherOptions = {},
): EventTransport {
  const pollMs = options.pollMs ?? 500;
  const batchSize = options.batchSize ?? 100;
  const concurrency = Math.max(1, options.concurrency ?? 4);

  /** Delivers one record's events in order; stops at the first failure (later events of the record wait). */
  async function deliverRecord(rows: readonly OutboxRow[], delivered: OutboxRow[]): Promise<void> {
    for (const row of rows) {
      const event = eventOfRow(row);
      try {
        for (const c of consumers) if (wants(c, event.type)) await deliverOnce(db, c, event);
        delivered.push(row);
      } catch (err) {
        options.onError?.(err, event, 'dispatcher');
        await withSystem(db, (tx) =>
          tx
            .updateTable('outbox')
            .set({
              attempts: sql`attempts + 1`,
              last_error: err instanceof Error ? err.message.slice(0, 500) : 'unknown error',
            })
            .where('organization_id', '=', row.organization_id)
            .where('id', '=', row.id)
            .execute(),
        );
        return;
      }
    }
  }

  /**
   * One batch: the events of different records go out side by side (`concurrency` records at a
   * time), each record's in outbox order. The batch's delivered events are marked published in
   * one statement at the end; a crash before it redelivers them, which consumers absorb.
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
    const byRecord = new Map<string, OutboxRow[]>();
    for (const row of batch) {
      const key = orderingKey(eventOfRow(row));
      const rows = byRecord.get(key);
      if (rows) rows.push(row);
      else byRecord.set(key, [row]);
    }
    const delivered: OutboxRow[] = [];
    const queue = [...byRecord.values()];
    await Promise.all(
      Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
        for (let rows = queue.shift(); rows; rows = queue.shift())
          await deliverRecord(rows, delivered);
      }),
    );
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
