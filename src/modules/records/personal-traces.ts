import { sql } from 'kysely';
import { redactAuditDiffs } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import {
  ERASED,
  erasedColumns,
  type PersonalDataDeclaration,
} from '../../platform/objects/index.js';
import { presentActivities, type Activity } from './activities.js';
import { activityIdsOf, type RecordRef } from './activity-links.js';
import type { RecordsTables } from './schema.js';
import { forgetSearchWords } from './text-search.js';

/**
 * What Cerebro keeps about a person beside a record's own row — its activities, its audit history,
 * the mail sent to its addresses — read and erased the same way for every object that declares
 * personal data (contacts here, leads in sales), so each erasure scrubs exactly as much.
 */

/** A record's traces as a GDPR export shows them. */
export interface RecordTraces {
  activities: Activity[];
  history: Array<{ at: string; action: string; actorType: string; changes: unknown }>;
  emailsSent: Array<{ at: string; to: string; subject: string; text: string | null }>;
}

/** The activities, audit history and mail of one record (GDPR Art. 15 and 20). */
export async function collectRecordTraces(
  ctx: Ctx,
  tx: Tx,
  ref: RecordRef,
  emails: readonly string[],
): Promise<RecordTraces> {
  const activities = await tx
    .withTables<RecordsTables>()
    .selectFrom('activities')
    .selectAll()
    .where('organization_id', '=', ctx.organizationId)
    .where(sql<boolean>`id in ${activityIdsOf(ctx.organizationId, ref)}`)
    .orderBy('created_at')
    .execute();
  const history = await tx
    .selectFrom('audit_log')
    .select(['occurred_at', 'action', 'actor_type', 'diff'])
    .where('organization_id', '=', ctx.organizationId)
    .where('target_type', '=', ref.objectType)
    .where('target_id', '=', ref.recordId)
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
  return {
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
  };
}

/**
 * Blanks a row's declared personal fields (and sets `extra`, such as its new version). The table
 * is the object's own, named by its declaration; only the organization's row is touched.
 */
export async function blankPersonalFields(
  ctx: Ctx,
  tx: Tx,
  target: { table: string; id: string; personalData: PersonalDataDeclaration },
  extra: Readonly<Record<string, unknown>>,
): Promise<void> {
  const set = Object.entries({ ...erasedColumns(target.personalData), ...extra }).map(
    ([column, value]) => sql`${sql.ref(column)} = ${value}`,
  );
  await sql`update ${sql.table(target.table)} set ${sql.join(set)}
    where organization_id = ${ctx.organizationId} and id = ${target.id}`.execute(tx);
}

/** What one erasure scrubbed beside the row itself. */
export interface ErasedTraces {
  activities: number;
  auditEntries: number;
}

/**
 * Erases a record's traces: its activities keep their type and times without their text, mail to
 * its addresses goes, the event payloads and audit diffs of the record and its activities are
 * redacted, and its names leave the search vocabulary unless a live record still holds them.
 */
export async function eraseRecordTraces(
  ctx: Ctx,
  tx: Tx,
  ref: RecordRef,
  held: { emails: readonly string[]; names: ReadonlyArray<string | null> },
): Promise<ErasedTraces> {
  // A rare surname in the typo dictionary would still say someone of that name was here.
  await forgetSearchWords(
    ctx,
    tx,
    held.names.flatMap((n) => (n ?? '').toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter(Boolean),
  );
  const acts = await tx
    .withTables<RecordsTables>()
    .updateTable('activities')
    .set({ subject: sql`${ERASED} || ' ' || type`, body: null })
    .where('organization_id', '=', ctx.organizationId)
    .where(sql<boolean>`id in ${activityIdsOf(ctx.organizationId, ref)}`)
    .returning('id')
    .execute();
  if (held.emails.length) {
    await tx
      .deleteFrom('mailbox')
      .where('organization_id', '=', ctx.organizationId)
      .where(sql<boolean>`lower(to_address) in (${sql.join([...held.emails])})`)
      .execute();
  }
  const scrubbed = [
    { type: ref.objectType, id: ref.recordId },
    ...acts.map((a) => ({ type: 'activity', id: a.id })),
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
  return { activities: acts.length, auditEntries: redacted };
}
