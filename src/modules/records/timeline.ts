import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import type { Ctx } from '../../platform/context/index.js';
import { errors } from '../../platform/errors/index.js';
import type { Tx } from '../../platform/db/index.js';
import { activityIdsOf, linkFieldsOf, linksOf, type RecordRef } from './activity-links.js';
import { ownerScopeSql } from './record-access.js';

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

/** Adds the page's activities' links (and `contactId`, `companyId`) to their data (read for the page only). */
async function withLinks(
  tx: Tx,
  organizationId: string,
  entries: TimelineEntry[],
): Promise<TimelineEntry[]> {
  const links = await linksOf(
    tx,
    organizationId,
    entries.filter((e) => e.kind === 'activity').map((e) => e.id),
  );
  return entries.map((e) => {
    if (e.kind !== 'activity') return e;
    const own = links.get(e.id) ?? [];
    const { contactId, companyId } = linkFieldsOf(own);
    return { ...e, data: { ...e.data, contactId, companyId, links: own } };
  });
}

/** A page of a timeline. */
export interface TimelinePage {
  limit: number;
  cursor?: string | undefined;
  count?: boolean;
}

/** What a module adds to a record's timeline. */
export interface TimelineOptions {
  /**
   * Checks, in the timeline's transaction, that the actor may read the record (throws when not);
   * without it the caller, the object's module, has checked.
   */
  check?: (tx: Tx) => Promise<unknown>;
  /** The ids of more activities to show, as a subquery (a company shows its contacts' too). */
  alsoLinked?: RawBuilder<unknown>;
}

/**
 * The timeline of a record of any object: the activities linked to it (and any `alsoLinked`)
 * and its audited changes, merged and paged by time.
 */
export async function recordTimeline(
  ctx: Ctx,
  record: RecordRef,
  page: TimelinePage,
  options: TimelineOptions = {},
) {
  return ctx.tx(async (tx) => {
    await options.check?.(tx);
    const own = activityIdsOf(ctx.organizationId, record);
    const linked = options.alsoLinked ? sql`(${own} union all ${options.alsoLinked})` : own;
    return timelinePage(ctx, tx, record, linked, page);
  });
}

/** Activities among `linked` the actor may read and the record's audit entries, one page of them. */
async function timelinePage(
  ctx: Ctx,
  tx: Tx,
  record: RecordRef,
  linked: RawBuilder<unknown>,
  page: TimelinePage,
) {
  const after = decodeCursor(page.cursor);
  const org = ctx.organizationId;
  const target = record.objectType;
  const id = record.recordId;
  const visibleActivities = sql`(${ownerScopeSql(ctx.actor, 'activities:read', 'a.owner_id')} or ${ownerScopeSql(ctx.actor, 'activities:read', 'a.assignee_id')})`;
  const entriesSql = sql`
        select a.id, 'activity' as kind, coalesce(a.done_at, a.created_at) as at, a.owner_id as actor_id,
          jsonb_build_object('type', a.type, 'subject', a.subject, 'body', a.body, 'status', a.status, 'dueAt', a.due_at) as data
        from activities a
        where a.organization_id = ${org} and a.deleted_at is null and a.id in ${linked} and ${visibleActivities}
        union all
        select l.id, 'change' as kind, l.occurred_at as at, l.actor_id,
          jsonb_build_object('action', l.action, 'diff', l.diff, 'actorType', l.actor_type) as data
        from audit_log l
        where l.organization_id = ${ctx.organizationId} and l.target_type = ${target} and l.target_id = ${id}`;
  const total = page.count
    ? Number(
        (await sql<{ n: string }>`select count(*) as n from (${entriesSql}) t`.execute(tx)).rows[0]
          ?.n ?? 0,
      )
    : undefined;
  // The cursor carries the timestamp as text: microsecond precision survives the round trip.
  const rows = await sql<{
    id: string;
    kind: 'activity' | 'change';
    at: Date;
    at_text: string;
    actor_id: string | null;
    data: Record<string, unknown>;
  }>`
      select t.*, t.at::text as at_text from (${entriesSql}) t
      ${after ? sql`where (t.at, t.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
      order by t.at desc, t.id desc
      limit ${page.limit + 1}`.execute(tx);
  const entries = rows.rows.slice(0, page.limit);
  const last = entries[entries.length - 1];
  const nextCursor =
    rows.rows.length > page.limit && last
      ? Buffer.from(JSON.stringify([last.at_text, last.id])).toString('base64url')
      : null;
  const data: TimelineEntry[] = await withLinks(
    tx,
    org,
    entries.map((r) => ({
      id: r.id,
      kind: r.kind,
      occurredAt: r.at.toISOString(),
      actorId: r.actor_id,
      data: r.data,
    })),
  );
  return { data, meta: { nextCursor, ...(total !== undefined ? { total } : {}) } };
}
