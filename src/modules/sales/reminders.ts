import { sql } from 'kysely';
import type { Deps } from '../../platform/context/index.js';
import { withSystem, withTenant, type Tx } from '../../platform/db/index.js';
import { emit } from '../../platform/outbox/index.js';
import { purgeTrashedRecords } from '../records/index.js';
import { LEAD_EVENTS, type LeadUnassignedReminderPayload } from './events.js';
import type { SalesTables } from './schema.js';

interface Claimed {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  company_name: string | null;
  team_id: string | null;
  created_at: Date;
}

/** The managers of a team, with their addresses; none without a team. */
async function managersOf(
  tx: Tx,
  organizationId: string,
  teamId: string | null,
): Promise<Array<{ id: string; email: string; name: string }>> {
  if (!teamId) return [];
  return tx
    .withTables<SalesTables>()
    .selectFrom('team_members as m')
    .innerJoin('users as u', (j) =>
      j.onRef('u.organization_id', '=', 'm.organization_id').onRef('u.id', '=', 'm.user_id'),
    )
    .select(['u.id', 'u.email', 'u.name'])
    .where('m.organization_id', '=', organizationId)
    .where('m.team_id', '=', teamId)
    .where('m.is_manager', '=', true)
    .where('u.status', '=', 'active')
    .orderBy('u.id')
    .execute();
}

/** Tells a lead's team managers it is waiting (event, and an email each); once per lead. */
async function remindOne(
  deps: Deps,
  organizationId: string,
  leadId: string,
  now: Date,
): Promise<boolean> {
  return withTenant(deps.database.db, organizationId, async (tx) => {
    // Claiming and telling in one transaction: the reminder happens exactly once, or not at all.
    const claimed = await sql<Claimed>`
      update leads set unassigned_reminded_at = ${now}
      where organization_id = ${organizationId} and id = ${leadId} and owner_id is null and unassigned_reminded_at is null and deleted_at is null
      returning id, first_name, last_name, email, company_name, team_id, created_at`.execute(tx);
    const lead = claimed.rows[0];
    if (!lead) return false;
    const managers = await managersOf(tx, organizationId, lead.team_id);
    const payload: LeadUnassignedReminderPayload = {
      leadId: lead.id,
      teamId: lead.team_id,
      managerIds: managers.map((m) => m.id),
      waitingSince: lead.created_at.toISOString(),
    };
    await emit(tx, {
      organizationId,
      type: LEAD_EVENTS.unassignedReminder,
      aggregateType: 'lead',
      aggregateId: lead.id,
      payload: { ...payload },
    });
    const who =
      [lead.first_name, lead.last_name].filter(Boolean).join(' ') ||
      lead.email ||
      lead.company_name ||
      'A new lead';
    const url = `${deps.config.http.publicUrl}/leads/${lead.id}`;
    for (const m of managers) {
      await deps.mailer.send(tx, {
        organizationId,
        to: m.email,
        subject: `Lead waiting for an owner: ${who}`,
        text: `Hello ${m.name},\n\n${who} came in at ${lead.created_at.toISOString()} and nobody in your team owns it yet.\nAssign it here: ${url}\n`,
      });
    }
    return true;
  });
}

/**
 * Sweeps leads that waited past their reminder time with no owner and tells their team's
 * managers (`lead.unassigned_reminder`, plus an email). Safe to run often and from several
 * workers: each lead is claimed by a conditional update.
 */
export async function emitUnassignedLeadReminders(
  deps: Deps,
  now: Date = deps.clock.now(),
): Promise<number> {
  const due = await withSystem(deps.database.db, (tx) =>
    sql<{ organization_id: string; id: string }>`select organization_id, id from leads
      where owner_id is null and unassigned_reminded_at is null and deleted_at is null and unassigned_remind_at <= ${now}
        and status not in ('converted', 'disqualified')
      order by unassigned_remind_at limit 500`.execute(tx),
  );
  let sent = 0;
  for (const lead of due.rows)
    if (await remindOne(deps, lead.organization_id, lead.id, now)) sent++;
  return sent;
}

/** Deletes leads that have been in the trash for more than 30 days; their activities lose the link. */
export const purgeExpiredLeads = (deps: Deps, now: Date = deps.clock.now()): Promise<number> =>
  purgeTrashedRecords(deps, 'leads', 'lead', now);
