import { sql } from 'kysely';
import type { Deps } from '../../platform/context/index.js';
import { withSystem } from '../../platform/db/index.js';
import { unlinkRecords } from './activity-links.js';
import { trashCutoff } from '../../platform/objects/index.js';

/**
 * Deletes the rows of a module's record table (contacts, companies, leads, tickets) that have been in the trash
 * for more than 30 days. Activities linked to them (as `objectType`) stay (the business keeps its
 * history) without the link. Answers how many rows went.
 */
export async function purgeTrashedRecords(
  deps: Deps,
  table: string,
  objectType: string,
  now: Date = deps.clock.now(),
): Promise<number> {
  const cutoff = trashCutoff(now);
  return withSystem(deps.database.db, async (tx) => {
    await unlinkRecords(
      tx,
      objectType,
      sql`(select organization_id, id from ${sql.table(table)} where deleted_at < ${cutoff})`,
    );
    const deleted = await sql`delete from ${sql.table(table)} where deleted_at < ${cutoff}`.execute(
      tx,
    );
    return Number(deleted.numAffectedRows ?? 0);
  });
}
