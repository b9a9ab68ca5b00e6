import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import { personalEmailsOf } from '../../platform/objects/index.js';
import {
  blankPersonalFields,
  collectRecordTraces,
  eraseRecordTraces,
  personalDataSources,
} from '../records/index.js';
import { loadContact, presentContact } from './contacts.js';
import { CONTACT_PERSONAL_FIELDS } from './objects.js';

/** Everything Cerebro holds about a person, as one JSON document (GDPR Art. 15 and 20). */
export async function personalData(ctx: Ctx, contactId: string): Promise<Record<string, unknown>> {
  return ctx.tx(async (tx) => {
    const row = await loadContact(ctx, tx, contactId);
    authorize(ctx, 'contacts:export', { ownerId: row.owner_id });
    const contact = presentContact(row);
    const emails = personalEmailsOf(CONTACT_PERSONAL_FIELDS, { ...contact });
    const traces = await collectRecordTraces(
      ctx,
      tx,
      { objectType: 'contact', recordId: contactId },
      emails,
    );
    const extra: Record<string, unknown> = {};
    for (const s of personalDataSources())
      extra[s.name] = await s.collect(ctx, tx, contactId, emails);
    await ctx.audit(tx, {
      action: 'contact.personal_data_exported',
      targetType: 'contact',
      targetId: contactId,
      diff: null,
    });
    return { exportedAt: new Date().toISOString(), contact, ...traces, ...extra };
  });
}

/**
 * Erases a person (GDPR Art. 17): the contact's declared personal fields are blanked, the
 * activities about them are kept (the business keeps its history) without their text, the audit
 * diffs and event payloads that held their values are redacted, every source erases its part,
 * and one audit entry records the erasure — without the values.
 */
export async function eraseContact(
  ctx: Ctx,
  contactId: string,
): Promise<{ erasedAt: string; activities: number; auditEntries: number }> {
  return ctx.tx(async (tx) => {
    const row = await loadContact(ctx, tx, contactId, { forUpdate: true });
    authorize(ctx, 'contacts:delete', { ownerId: row.owner_id });
    const emails = personalEmailsOf(CONTACT_PERSONAL_FIELDS, { ...presentContact(row) });
    const erasedAt = new Date();
    await blankPersonalFields(
      ctx,
      tx,
      { table: 'contacts', id: contactId, personalData: CONTACT_PERSONAL_FIELDS },
      {
        // Erased people are never mailed again, even if someone types their address back in.
        email_consent: JSON.stringify({
          status: 'opted_out',
          at: erasedAt.toISOString(),
          method: 'erasure',
        }),
        erased_at: erasedAt,
        version: row.version + 1,
        updated_at: erasedAt,
      },
    );
    const erased = await eraseRecordTraces(
      ctx,
      tx,
      { objectType: 'contact', recordId: contactId },
      { emails, names: [row.first_name, row.last_name] },
    );
    for (const s of personalDataSources()) await s.erase(ctx, tx, contactId, emails);
    await ctx.audit(tx, {
      action: 'contact.erased',
      targetType: 'contact',
      targetId: contactId,
      diff: {
        activitiesAnonymized: erased.activities,
        auditEntriesRedacted: erased.auditEntries,
      },
    });
    await ctx.emit(tx, {
      type: 'contact.erased',
      aggregateType: 'contact',
      aggregateId: contactId,
      payload: { id: contactId },
    });
    return { erasedAt: erasedAt.toISOString(), ...erased };
  });
}
