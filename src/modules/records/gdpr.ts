import { sql } from 'kysely';
import { authorize } from '../../platform/authz/index.js';
import { redactAuditDiffs } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { loadContact, presentContact } from './contacts.js';
import { presentActivities } from './activities.js';
import { activityIdsOf } from './activity-links.js';
import type { RecordsTables } from './schema.js';
import { forgetSearchWords } from './text-search.js';

/**
 * Other modules hold personal data about a contact too (deals, tickets, campaign events). Each
 * declares how to export it and how to anonymize it, so one request covers every place.
 */
export interface PersonalDataSource {
  name: string;
  collect(ctx: Ctx, tx: Tx, contactId: string, emails: string[]): Promise<unknown>;
  erase(ctx: Ctx, tx: Tx, contactId: string, emails: string[]): Promise<number>;
}

let sources: readonly PersonalDataSource[] = [];

/** Makes the modules' sources the ones exports and erasures cover; the module list calls it at start-up. */
export function installPersonalDataSources(list: readonly PersonalDataSource[]): void {
  sources = [...list];
}

const emailsOf = (c: { emails: Array<{ email: string }> }) =>
  c.emails.map((e) => e.email.toLowerCase());

/** Everything Cerebro holds about a person, as one JSON document (GDPR Art. 15 and 20). */
export async function personalData(ctx: Ctx, contactId: string): Promise<Record<string, unknown>> {
  return ctx.tx(async (tx) => {
    const row = await loadContact(ctx, tx, contactId);
    authorize(ctx, 'contacts:export', { ownerId: row.owner_id });
    const contact = presentContact(row);
    const emails = emailsOf(contact);
    const linked = activityIdsOf(ctx.organizationId, {
      objectType: 'contact',
      recordId: contactId,
    });
    const activities = await tx
      .withTables<RecordsTables>()
      .selectFrom('activities')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .where(sql<boolean>`id in ${linked}`)
      .orderBy('created_at')
      .execute();
    const history = await tx
      .selectFrom('audit_log')
      .select(['occurred_at', 'action', 'actor_type', 'diff'])
      .where('organization_id', '=', ctx.organizationId)
      .where('target_type', '=', 'contact')
      .where('target_id', '=', contactId)
      .orderBy('seq')
      .execute();
    const mail = emails.length
      ? await tx
          .selectFrom('mailbox')
          .select(['created_at', 'subject', 'text_body', 'to_address'])
          .where('organization_id', '=', ctx.organizationId)
          .where(sql<boolean>`lower(to_address) in (${sql.join(emails)})`)
          .execute()
      : [];
    const extra: Record<string, unknown> = {};
    for (const s of sources) extra[s.name] = await s.collect(ctx, tx, contactId, emails);
    await ctx.audit(tx, {
      action: 'contact.personal_data_exported',
      targetType: 'contact',
      targetId: contactId,
      diff: null,
    });
    return {
      exportedAt: new Date().toISOString(),
      contact,
      activities: await presentActivities(tx, ctx.organizationId, activities),
      history: history.map((h) => ({
        at: h.occurred_at.toISOString(),
        action: h.action,
        actorType: h.actor_type,
        changes: h.diff,
      })),
      emailsSent: mail.map((m) => ({
        at: m.created_at.toISOString(),
        to: m.to_address,
        subject: m.subject,
        text: m.text_body,
      })),
      ...extra,
    };
  });
}

const ERASED = '[erased]';

/**
 * Erases a person (GDPR Art. 17): personal fields are blanked on the contact, the activities
 * about them are kept (the business keeps its history) without their text, the audit diffs that
 * held their values are redacted, and one audit entry records the erasure — without the values.
 */
export async function eraseContact(
  ctx: Ctx,
  contactId: string,
): Promise<{ erasedAt: string; activities: number; auditEntries: number }> {
  return ctx.tx(async (tx) => {
    const row = await loadContact(ctx, tx, contactId, { forUpdate: true });
    authorize(ctx, 'contacts:delete', { ownerId: row.owner_id });
    const emails = emailsOf(presentContact(row));
    const erasedAt = new Date();
    await tx
      .withTables<RecordsTables>()
      .updateTable('contacts')
      .set({
        first_name: ERASED,
        last_name: null,
        email: null,
        emails: '[]',
        phone: null,
        phones: '[]',
        title: null,
        address: null,
        social_profiles: '{}',
        custom_fields: '{}',
        source: null,
        tags: [],
        email_consent: JSON.stringify({
          status: 'opted_out',
          at: erasedAt.toISOString(),
          method: 'erasure',
        }),
        erased_at: erasedAt,
        version: row.version + 1,
        updated_at: erasedAt,
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', contactId)
      .execute();
    // A rare surname in the typo dictionary would still say someone of that name was here.
    await forgetSearchWords(
      tx,
      ctx.organizationId,
      [row.first_name, row.last_name]
        .flatMap((n) => (n ?? '').toLowerCase().split(/[^\p{L}\p{N}]+/u))
        .filter(Boolean),
    );
    const acts = await tx
      .withTables<RecordsTables>()
      .updateTable('activities')
      .set({ subject: sql`${ERASED} || ' ' || type`, body: null })
      .where('organization_id', '=', ctx.organizationId)
      .where(
        sql<boolean>`id in ${activityIdsOf(ctx.organizationId, { objectType: 'contact', recordId: contactId })}`,
      )
      .returning('id')
      .execute();
    const activityIds = acts.map((a) => a.id);
    if (emails.length) {
      await tx
        .deleteFrom('mailbox')
        .where('organization_id', '=', ctx.organizationId)
        .where(sql<boolean>`lower(to_address) in (${sql.join(emails)})`)
        .execute();
    }
    // Event payloads and audit diffs of the contact and its activities carried the person's data too.
    const scrubbed = [
      { type: 'contact', id: contactId },
      ...activityIds.map((id) => ({ type: 'activity', id })),
    ];
    let redacted = 0;
    for (const target of scrubbed) {
      await tx
        .updateTable('outbox')
        .set({ payload: JSON.stringify({ id: target.id, erased: true }) })
        .where('organization_id', '=', ctx.organizationId)
        .where('aggregate_type', '=', target.type)
        .where('aggregate_id', '=', target.id)
        .execute();
      redacted += await redactAuditDiffs(tx, target.type, target.id);
    }
    for (const s of sources) await s.erase(ctx, tx, contactId, emails);
    await ctx.audit(tx, {
      action: 'contact.erased',
      targetType: 'contact',
      targetId: contactId,
      diff: { activitiesAnonymized: activityIds.length, auditEntriesRedacted: redacted },
    });
    await ctx.emit(tx, {
      type: 'contact.erased',
      aggregateType: 'contact',
      aggregateId: contactId,
      payload: { id: contactId },
    });
    return {
      erasedAt: erasedAt.toISOString(),
      activities: activityIds.length,
      auditEntries: redacted,
    };
  });
}
