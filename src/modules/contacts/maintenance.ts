import { sql } from 'kysely';
import type { Deps } from '../../platform/context/index.js';
import { withSystem } from '../../platform/db/index.js';
import { trashCutoff } from '../../platform/objects/index.js';
import { unlinkRecords } from '../records/index.js';

/**
 * Deletes contacts and companies that have been in the trash for more than 30 days. Activities
 * about a purged record stay (the business keeps its history) without the link.
 */
export async function purgeExpiredTrash(
  deps: Deps,
  now: Date = deps.clock.now(),
): Promise<{ contacts: number; companies: number }> {
  const cutoff = trashCutoff(now);
  return withSystem(deps.database.db, async (tx) => {
    await unlinkRecords(
      tx,
      'contact',
      sql`(select organization_id, id from contacts where deleted_at < ${cutoff})`,
    );
    const contacts = await sql`delete from contacts where deleted_at < ${cutoff}`.execute(tx);
    const expiredCompanies = sql`(select id from companies where deleted_at < ${cutoff})`;
    await unlinkRecords(
      tx,
      'company',
      sql`(select organization_id, id from companies where deleted_at < ${cutoff})`,
    );
    await sql`update contacts set company_id = null where company_id in ${expiredCompanies}`.execute(
      tx,
    );
    await sql`update companies set parent_id = null where parent_id in ${expiredCompanies}`.execute(
      tx,
    );
    const companies = await sql`delete from companies where deleted_at < ${cutoff}`.execute(tx);
    return {
      contacts: Number(contacts.numAffectedRows ?? 0),
      companies: Number(companies.numAffectedRows ?? 0),
    };
  });
}
