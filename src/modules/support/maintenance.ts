import { sql } from 'kysely';
import type { Deps } from '../../platform/context/index.js';
import { withSystem } from '../../platform/db/index.js';
import { TRASH_DAYS } from '../records/index.js';

/** Deletes tickets that have been in the trash for more than 30 days; their activities stay, without the link. */
export async function purgeExpiredTickets(deps: Deps, now: Date = deps.clock.now()): Promise<number> {
  const cutoff = new Date(now.getTime() - TRASH_DAYS * 86_400_000);
  return withSystem(deps.database.db, async (tx) => {
    await sql`update activities set ticket_id = null where (organization_id, ticket_id) in (select organization_id, id from tickets where deleted_at < ${cutoff})`.execute(tx);
    const deleted = await sql`delete from tickets where deleted_at < ${cutoff}`.execute(tx);
    return Number(deleted.numAffectedRows ?? 0);
  });
}
