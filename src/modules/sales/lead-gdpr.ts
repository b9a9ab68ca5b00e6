import { sql } from 'kysely';
import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { personalEmailsOf } from '../../platform/objects/index.js';
import {
  blankPersonalFields,
  collectRecordTraces,
  eraseRecordTraces,
  type ErasedTraces,
  type PersonalDataSource,
  type RecordTraces,
} from '../records/index.js';
import { LEAD_EVENTS } from './events.js';
import { guardOf, type LeadRow } from './lead-access.js';
import { loadLead, presentLead, type Lead } from './leads.js';
import { LEAD_PERSONAL_FIELDS } from './objects.js';
import type { LeadTables } from './schema.js';

/**
 * GDPR for leads: a lead is a person too, so it can be exported (Art. 15 and 20) and erased
 * (Art. 17) on its own, and a contact's export and erasure take the same person's leads along.
 */

/** One lead's personal data: the lead and what is held beside it. */
export type LeadPersonalData = { lead: Lead } & RecordTraces;

/** What erasing a lead scrubbed, and when. */
export type LeadErasure = { erasedAt: string } & ErasedTraces;

const refOf = (id: string) => ({ objectType: 'lead', recordId: id });
const emailsOf = (row: LeadRow) => personalEmailsOf(LEAD_PERSONAL_FIELDS, { ...presentLead(row) });

async function collectLead(ctx: Ctx, tx: Tx, row: LeadRow): Promise<LeadPersonalData> {
  const traces = await collectRecordTraces(ctx, tx, refOf(row.id), emailsOf(row));
  return { lead: presentLead(row), ...traces };
}

/**
 * Blanks one lead's declared personal fields and scrubs its traces, audited as `lead.erased`
 * (counts only, never the values). Safe to repeat: a second pass finds nothing left to scrub.
 */
async function eraseLeadRow(ctx: Ctx, tx: Tx, row: LeadRow, at: Date): Promise<ErasedTraces> {
  await blankPersonalFields(
    ctx,
    tx,
    { table: 'leads', id: row.id, personalData: LEAD_PERSONAL_FIELDS },
    { version: row.version + 1, updated_at: at },
  );
  const erased = await eraseRecordTraces(ctx, tx, refOf(row.id), {
    emails: emailsOf(row),
    names: [row.first_name, row.last_name, row.company_name],
  });
  await ctx.audit(tx, {
    action: LEAD_EVENTS.erased,
    targetType: 'lead',
    targetId: row.id,
    diff: { activitiesAnonymized: erased.activities, auditEntriesRedacted: erased.auditEntries },
  });
  await ctx.emit(tx, {
    type: LEAD_EVENTS.erased,
    aggregateType: 'lead',
    aggregateId: row.id,
    payload: { id: row.id },
  });
  return erased;
}

/** Everything held about a lead's person, as one JSON document (GDPR Art. 15 and 20). */
export async function leadPersonalData(
  ctx: Ctx,
  id: string,
): Promise<{ exportedAt: string } & LeadPersonalData> {
  return ctx.tx(async (tx) => {
    const row = await loadLead(ctx, tx, id);
    authorize(ctx, 'leads:export', guardOf(row));
    const data = await collectLead(ctx, tx, row);
    await ctx.audit(tx, {
      action: 'lead.personal_data_exported',
      targetType: 'lead',
      targetId: id,
      diff: null,
    });
    return { exportedAt: new Date().toISOString(), ...data };
  });
}

/**
 * Erases a lead's person (GDPR Art. 17) with the rights of deleting it: the lead stays, with its
 * status, source and dates, so reports still add up; its personal fields and their traces go.
 */
export async function eraseLead(ctx: Ctx, id: string): Promise<LeadErasure> {
  return ctx.tx(async (tx) => {
    const row = await loadLead(ctx, tx, id, { forUpdate: true });
    authorize(ctx, 'leads:delete', guardOf(row));
    const at = new Date();
    return { erasedAt: at.toISOString(), ...(await eraseLeadRow(ctx, tx, row, at)) };
  });
}

/**
 * The leads that are a contact's person: those converted into the contact, and those whose email
 * is one of the contact's addresses (case-insensitive). Trashed leads count: the trash still holds
 * their data. Matching by email alone is the rule a person's request is made by ("everything you
 * hold under ada@example.com"), so it is the one applied here.
 */
async function leadsOfContact(
  ctx: Ctx,
  tx: Tx,
  contactId: string,
  emails: readonly string[],
  lock: boolean,
): Promise<LeadRow[]> {
  const byEmail = emails.length
    ? sql<boolean>`lower(email) in (${sql.join([...emails])})`
    : sql<boolean>`false`;
  return tx
    .withTables<LeadTables>()
    .selectFrom('leads')
    .selectAll()
    .where('organization_id', '=', ctx.organizationId)
    .where((eb) => eb.or([eb('converted_contact_id', '=', contactId), byEmail]))
    .orderBy('created_at')
    .$if(lock, (q) => q.forUpdate())
    .execute();
}

/**
 * The same person's leads in a contact's export (under `leads`) and erasure. The contact's
 * permission covers them, as it covers the person's tickets: the request is about the person.
 */
export const LEADS_OF_A_CONTACT: PersonalDataSource = {
  name: 'leads',
  collect: async (ctx, tx, contactId, emails) => {
    const rows = await leadsOfContact(ctx, tx, contactId, emails, false);
    const found: LeadPersonalData[] = [];
    for (const row of rows) found.push(await collectLead(ctx, tx, row));
    return found;
  },
  erase: async (ctx, tx, contactId, emails) => {
    const rows = await leadsOfContact(ctx, tx, contactId, emails, true);
    const at = new Date();
    for (const row of rows) await eraseLeadRow(ctx, tx, row, at);
    return rows.length;
  },
};
