import { sql } from 'kysely';
import type { Deps } from '../../platform/context/index.js';
import { withSystem, type Tx } from '../../platform/db/index.js';
import type { AutomationTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<AutomationTables>();

/** Finished deliveries (and their attempts) are kept this long for people to inspect and redeliver. */
export const DELIVERY_RETENTION_DAYS = 30;
const BATCH = 5_000;

/**
 * Deletes delivered and failed deliveries older than the retention, in batches so one run never
 * holds a long transaction; pending ones stay whatever their age. Answers how many went.
 */
export async function purgeOldDeliveries(deps: Deps): Promise<number> {
  const cutoff = new Date(deps.clock.now().getTime() - DELIVERY_RETENTION_DAYS * 86_400_000);
  let purged = 0;
  for (;;) {
    const n = await withSystem(deps.database.db, async (tx) => {
      const gone = await db(tx)
        .deleteFrom('webhook_deliveries')
        .where(
          sql<boolean>`(organization_id, id) in (
          select organization_id, id from webhook_deliveries
          where status <> 'pending' and created_at < ${cutoff}
          limit ${BATCH})`,
        )
        .executeTakeFirst();
      return Number(gone.numDeletedRows);
    });
    purged += n;
    if (n < BATCH) return purged;
  }
}
