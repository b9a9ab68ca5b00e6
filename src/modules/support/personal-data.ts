import { redactAuditDiffs } from '../../platform/audit/index.js';
import type { PersonalDataSource } from '../records/index.js';
import type { SupportTables } from './schema.js';

/**
 * A contact's tickets in their GDPR export, and in their erasure: what they wrote to support
 * (subject and description, also in the tickets' audit diffs and events) goes, while the tickets
 * themselves stay with their number, status and times, so the organization's support history and
 * its figures keep adding up.
 */
export const TICKET_PERSONAL_DATA: PersonalDataSource = {
  name: 'tickets',
  collect: async (ctx, tx, contactId) => {
    const rows = await tx
      .withTables<SupportTables>()
      .selectFrom('tickets')
      .select([
        'id',
        'number',
        'subject',
        'description',
        'status',
        'channel',
        'created_at',
        'solved_at',
      ])
      .where('organization_id', '=', ctx.organizationId)
      .where('contact_id', '=', contactId)
      .orderBy('number')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      number: r.number,
      subject: r.subject,
      description: r.description,
      status: r.status,
      channel: r.channel,
      createdAt: r.created_at.toISOString(),
      solvedAt: r.solved_at?.toISOString() ?? null,
    }));
  },
  erase: async (ctx, tx, contactId) => {
    const rows = await tx
      .withTables<SupportTables>()
      .selectFrom('tickets')
      .select(['id', 'number'])
      .where('organization_id', '=', ctx.organizationId)
      .where('contact_id', '=', contactId)
      .execute();
    for (const r of rows) {
      await tx
        .withTables<SupportTables>()
        .updateTable('tickets')
        .set({ subject: `[erased] ticket #${r.number}`, description: null })
        .where('organization_id', '=', ctx.organizationId)
        .where('id', '=', r.id)
        .execute();
      await tx
        .updateTable('outbox')
        .set({ payload: JSON.stringify({ id: r.id, erased: true }) })
        .where('organization_id', '=', ctx.organizationId)
        .where('aggregate_type', '=', 'ticket')
        .where('aggregate_id', '=', r.id)
        .execute();
      await redactAuditDiffs(tx, 'ticket', r.id);
    }
    return rows.length;
  },
};
