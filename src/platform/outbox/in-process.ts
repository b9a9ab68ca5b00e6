import { sql, type Kysely } from 'kysely';
import type { PlatformTables } from '../db/index.js';
import { withSystem } from '../db/index.js';
import { createMemoryBus } from '../realtime/index.js';
import { createPollLoop } from '../schedule/index.js';
import { deliverOnce, wants } from './deliver.js';
import { eventOfRow, orderingKey, type Consumer } from './events.js';
import type { DispatcherOptions, EventTransport } from './transport.js';

/**
 * The in-process transport: polls the outbox and hands each event to every consumer in this
 * process, at least once and in order per aggregate. The embedded default.
 */
export function createOutboxDispatcher(db: Kysely<PlatformTables>, consumers: readonly Consumer[], options: DispatcherOptions = {}): EventTransport {
  const pollMs = options.pollMs ?? 500;
  const batchSize = options.batchSize ?? 100;
  const services = options.services ?? { realtime: createMemoryBus() };

  async function drainOnce(): Promise<number> {
    const batch = await withSystem(db, (tx) =>
      tx.selectFrom('outbox').selectAll().where('published_at', 'is', null).orderBy('position').limit(batchSize).execute(),
    );
    let published = 0;
    const blocked = new Set<string>();
    for (const row of batch) {
      const event = eventOfRow(row);
      const key = orderingKey(event);
      // A failed event holds back later events of the same aggregate: order per record.
      if (blocked.has(key)) continue;
      try {
        for (const c of consumers) if (wants(c, event.type)) await deliverOnce(db, c, event, services);
        await withSystem(db, (tx) =>
          tx.updateTable('outbox').set({ published_at: new Date(), attempts: sql`attempts + 1` }).where('organization_id', '=', row.organization_id).where('id', '=', row.id).execute(),
        );
        published++;
      } catch (err) {
        blocked.add(key);
        options.onError?.(err, event, 'dispatcher');
        await withSystem(db, (tx) =>
          tx
            .updateTable('outbox')
            .set({ attempts: sql`attempts + 1`, last_error: err instanceof Error ? err.message.slice(0, 500) : 'unknown error' })
            .where('organization_id', '=', row.organization_id)
            .where('id', '=', row.id)
            .execute(),
        );
      }
    }
    return published;
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
