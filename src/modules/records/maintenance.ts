import { sql } from 'kysely';
import type { Deps } from '../../platform/context/index.js';
import { emit } from '../../platform/outbox/index.js';
import { withSystem, withTenant } from '../../platform/db/index.js';
import { unlinkRecords } from './activity-links.js';
import { trashCutoff } from '../../platform/objects/index.js';

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

/**
 * Deletes the rows of another module's record table (leads, tickets) that have been in the trash
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

/**
 * Emits `task.due` once for every open task whose reminder time has come (the notifications
 * consumer turns it into an in-app notice for the assignee). Marking the task reminded in the
 * same transaction as the event makes the reminder exactly-once.
 */
export async function emitDueTaskReminders(
  deps: Deps,
  now: Date = deps.clock.now(),
): Promise<number> {
  const due = await withSystem(deps.database.db, (tx) =>
    sql<{ organization_id: string; id: string }>`select organization_id, id from activities
      where remind_at <= ${now} and reminded_at is null and status = 'open' and deleted_at is null
      order by remind_at limit 500`.execute(tx),
  );
  let sent = 0;
  for (const task of due.rows) {
    await withTenant(deps.database.db, task.organization_id, async (tx) => {
      const claimed = await sql<{
        id: string;
        subject: string;
        assignee_id: string | null;
        due_at: Date | null;
        contact_id: string | null;
      }>`
        update activities a set reminded_at = ${now}
        where a.organization_id = ${task.organization_id} and a.id = ${task.id} and a.reminded_at is null
        returning a.id, a.subject, a.assignee_id, a.due_at, (select l.record_id from activity_links l
          where l.organization_id = a.organization_id and l.activity_id = a.id and l.object_type = 'contact'
          order by l.created_at, l.record_id limit 1) as contact_id`.execute(tx);
      const row = claimed.rows[0];
      if (!row) return;
      await emit(tx, {
        organizationId: task.organization_id,
        type: 'task.due',
        aggregateType: 'activity',
        aggregateId: row.id,
        payload: {
          activityId: row.id,
          subject: row.subject,
          assigneeId: row.assignee_id,
          dueAt: row.due_at?.toISOString() ?? null,
          contactId: row.contact_id,
        },
      });
      sent++;
    });
  }
  return sent;
}
