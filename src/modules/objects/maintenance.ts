import type { Deps } from '../../platform/context/index.js';
import { sql, withSystem } from '../../platform/db/index.js';
import { trashCutoff } from '../../platform/objects/index.js';
import { unlinkRecords } from '../records/index.js';

/**
 * Deletes custom object records that have been in the trash for more than 30 days; answers how
 * many. Activities linked to them stay (the business keeps its history) without the link.
 */
export async function purgeExpiredObjectRecords(
  deps: Deps,
  now: Date = deps.clock.now(),
): Promise<number> {
  const cutoff = trashCutoff(now);
  return withSystem(deps.database.db, async (tx) => {
    await unlinkRecords(
      tx,
      null,
      sql`(select organization_id, id from object_records where deleted_at < ${cutoff})`,
    );
    const deleted = await sql`delete from object_records where deleted_at < ${cutoff}`.execute(tx);
    return Number(deleted.numAffectedRows ?? 0);
  });
}
