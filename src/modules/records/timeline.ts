import { sql } from 'kysely';
import { z } from 'zod';
import type { Ctx } from '../../platform/context/index.js';
import { errors } from '../../platform/errors/index.js';
import { ownerScopeSql } from './record-access.js';
import { loadCompany } from './companies.js';
import { loadContact } from './contacts.js';

/** One entry of a record's history, newest first. */
export interface TimelineEntry {
  id: string;
  /** `activity` (call, email, meeting, note, task) or `change` (a field change from the audit log). */
  kind: 'activity' | 'change';
  occurredAt: string;
  actorId: string | null;
  data: Record<string, unknown>;
}

const CURSOR = z.tuple([z.string(), z.uuid()]);

function decodeCursor(cursor: string | undefined): [string, string] | null {
  if (!cursor) return null;
  try {
    const parsed = CURSOR.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  throw errors.validation([{ path: 'cursor', message: 'is malformed' }]);
}

/**
 * The timeline of a contact or company: its activities (for a company also its contacts'
 * activities) and the field changes recorded in the audit log, merged and paged by time.
 */
export async function timeline(ctx: Ctx, target: 'contact' | 'company', id: string, page: { limit: number; cursor?: string | undefined; count?: boolean }) {
  const after = decodeCursor(page.cursor);
  return ctx.tx(async (tx) => {
    if (target === 'contact') await loadContact(ctx, tx, id);
    else await loadCompany(ctx, tx, id);
    const link =
      target === 'contact'
        ? sql`a.contact_id = ${id}`
        : sql`(a.company_id = ${id} or a.contact_id in (select c.id from contacts c where c.organization_id = ${ctx.organizationId} and c.company_id = ${id}))`;
    const visibleActivities = sql`(${ownerScopeSql(ctx.actor, 'activities:read', 'a.owner_id')} or ${ownerScopeSql(ctx.actor, 'activities:read', 'a.assignee_id')})`;
    const entriesSql = sql`
        select a.id, 'activity' as kind, coalesce(a.done_at, a.created_at) as at, a.owner_id as actor_id,
          jsonb_build_object('type', a.type, 'subject', a.subject, 'body', a.body, 'status', a.status, 'dueAt', a.due_at, 'contactId', a.contact_id, 'companyId', a.company_id) as data
        from activities a
        where a.organization_id = ${ctx.organizationId} and a.deleted_at is null and ${link} and ${visibleActivities}
        union all
        select l.id, 'change' as kind, l.occurred_at as at, l.actor_id,
          jsonb_build_object('action', l.action, 'diff', l.diff, 'actorType', l.actor_type) as data
        from audit_log l
        where l.organization_id = ${ctx.organizationId} and l.target_type = ${target} and l.target_id = ${id}`;
    const total = page.count ? Number((await sql<{ n: string }>`select count(*) as n from (${entriesSql}) t`.execute(tx)).rows[0]?.n ?? 0) : undefined;
    // The cursor carries the timestamp as text: microsecond precision survives the round trip.
    const rows = await sql<{ id: string; kind: 'activity' | 'change'; at: Date; at_text: string; actor_id: string | null; data: Record<string, unknown> }>`
      select t.*, t.at::text as at_text from (${entriesSql}) t
      ${after ? sql`where (t.at, t.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
      order by t.at desc, t.id desc
      limit ${page.limit + 1}`.execute(tx);
    const entries = rows.rows.slice(0, page.limit);
    const last = entries[entries.length - 1];
    const nextCursor = rows.rows.length > page.limit && last ? Buffer.from(JSON.stringify([last.at_text, last.id])).toString('base64url') : null;
    const data: TimelineEntry[] = entries.map((r) => ({ id: r.id, kind: r.kind, occurredAt: r.at.toISOString(), actorId: r.actor_id, data: r.data }));
    return { data, meta: { nextCursor, ...(total !== undefined ? { total } : {}) } };
  });
}
