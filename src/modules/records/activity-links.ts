import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import type { ListField, Operator } from '../../platform/listing/index.js';
import type { RecordsTables } from './schema.js';

/**
 * Activities link to records of any type through `activity_links` (migration 0020), one row per
 * (activity, object type, record). The API keeps one field per linkable type on an activity
 * (API.md: `contactId`, `companyId`, `dealId`, `leadId`, `ticketId`), so the service holds at most
 * one link of each of those types; the table itself allows more, for the types to come.
 */

/** A record an activity links to: its type's key (`contact`, `deal`, …) and id. */
export interface RecordRef {
  objectType: string;
  recordId: string;
}

/** The activity field that carries the link of each type the API names. */
export const LINK_FIELDS = {
  contact: 'contactId',
  company: 'companyId',
  deal: 'dealId',
  lead: 'leadId',
  ticket: 'ticketId',
} as const;
/** A record type an activity's API fields link to. */
export type LinkedType = keyof typeof LINK_FIELDS;
/** An activity's links as the API shows them: one id (or null) per linkable type. */
export type LinkFields = { [T in LinkedType as (typeof LINK_FIELDS)[T]]: string | null };

const LINKED_TYPES = Object.keys(LINK_FIELDS) as LinkedType[];
const db = (tx: Tx) => tx.withTables<RecordsTables>();

/** The links of each of the activities, oldest first (one query). */
export async function linksOf(
  tx: Tx,
  organizationId: string,
  activityIds: readonly string[],
): Promise<Map<string, RecordRef[]>> {
  const out = new Map<string, RecordRef[]>();
  if (activityIds.length === 0) return out;
  const rows = await db(tx)
    .selectFrom('activity_links')
    .select(['activity_id', 'object_type', 'record_id'])
    .where('organization_id', '=', organizationId)
    .where('activity_id', 'in', [...new Set(activityIds)])
    .orderBy('created_at')
    .orderBy('object_type')
    .orderBy('record_id')
    .execute();
  for (const r of rows)
    out.set(r.activity_id, [
      ...(out.get(r.activity_id) ?? []),
      { objectType: r.object_type, recordId: r.record_id },
    ]);
  return out;
}

/** The API's link fields of an activity with these links (the first link of each type). */
export function linkFieldsOf(links: readonly RecordRef[]): LinkFields {
  const idOf = (type: LinkedType) => links.find((l) => l.objectType === type)?.recordId ?? null;
  return {
    contactId: idOf('contact'),
    companyId: idOf('company'),
    dealId: idOf('deal'),
    leadId: idOf('lead'),
    ticketId: idOf('ticket'),
  };
}

/**
 * Sets the activity's link of each type whose field the input carries: null removes it, an id
 * replaces it; fields left out keep their link. A new activity (`fresh`) has none to remove. At
 * most two statements; answers the links written. The caller has checked the references.
 */
export async function writeLinks(
  tx: Tx,
  organizationId: string,
  activityId: string,
  input: Partial<Record<keyof LinkFields, string | null | undefined>>,
  fresh = false,
): Promise<RecordRef[]> {
  const given = LINKED_TYPES.filter((type) => input[LINK_FIELDS[type]] !== undefined);
  if (given.length === 0) return [];
  if (!fresh)
    await db(tx)
      .deleteFrom('activity_links')
      .where('organization_id', '=', organizationId)
      .where('activity_id', '=', activityId)
      .where('object_type', 'in', given)
      .execute();
  const rows = given.flatMap((type) => {
    const id = input[LINK_FIELDS[type]];
    return id
      ? [
          {
            organization_id: organizationId,
            activity_id: activityId,
            object_type: type,
            record_id: id,
          },
        ]
      : [];
  });
  if (rows.length) await db(tx).insertInto('activity_links').values(rows).execute();
  return rows.map((r) => ({ objectType: r.object_type, recordId: r.record_id }));
}

/** The ids of the activities linked to a record, as a subquery (served by `activity_links_record`). */
export function activityIdsOf(organizationId: string, ref: RecordRef): RawBuilder<unknown> {
  return sql`(select activity_id from activity_links
    where organization_id = ${organizationId} and object_type = ${ref.objectType} and record_id = ${ref.recordId})`;
}

/** The ids of a company's activities and its contacts' (the company timeline), as a subquery. */
export function companyActivityIdsOf(
  organizationId: string,
  companyId: string,
): RawBuilder<unknown> {
  return sql`(select l.activity_id from activity_links l
      where l.organization_id = ${organizationId} and l.object_type = 'company' and l.record_id = ${companyId}
    union all
    select l.activity_id from activity_links l join contacts c on c.organization_id = l.organization_id and c.id = l.record_id
      where l.organization_id = ${organizationId} and l.object_type = 'contact' and c.company_id = ${companyId})`;
}

/**
 * A list filter on an activity's link of one type (`filter[dealId]=…`): the link table is asked
 * through a correlated EXISTS that the planner turns into a semi-join on the record index. `ne`
 * and `isNull` keep activities without such a link, as for a column.
 */
export function linkFilterSql(
  activities: string,
  type: string,
  op: Operator,
  value: string | string[] | boolean,
): Expression<SqlBool> {
  const exists = (records: RawBuilder<unknown> | null) => sql`exists (select 1 from activity_links l
    where l.organization_id = ${sql.ref(`${activities}.organization_id`)} and l.activity_id = ${sql.ref(`${activities}.id`)}
      and l.object_type = ${type}${records ? sql` and ${records}` : sql``})`;
  const values = Array.isArray(value) ? value : [String(value)];
  switch (op) {
    case 'isNull':
      return value ? sql<SqlBool>`not ${exists(null)}` : sql<SqlBool>`${exists(null)}`;
    case 'ne':
      return sql<SqlBool>`not ${exists(sql`l.record_id = ${values[0] ?? ''}::uuid`)}`;
    case 'in':
      return sql<SqlBool>`${exists(sql`l.record_id in (${sql.join(values.map((v) => sql`${v}::uuid`))})`)}`;
    default:
      return sql<SqlBool>`${exists(sql`l.record_id = ${values[0] ?? ''}::uuid`)}`;
  }
}

/** The list fields (`contactId`, …) that filter the activities of table or alias `activities` by their links. */
export function linkListFields(activities: string): Record<string, ListField> {
  const field = (type: LinkedType): ListField => ({
    column: `${activities}.id`,
    type: 'uuid',
    sortable: false,
    filter: (op, value) => linkFilterSql(activities, type, op, value),
  });
  return Object.fromEntries(LINKED_TYPES.map((type) => [LINK_FIELDS[type], field(type)]));
}

/** Keeps the contact's `lastContactedAt` equal to its latest done call, email or meeting. */
export async function refreshLastContacted(
  ctx: Pick<Ctx, 'organizationId'>,
  tx: Tx,
  contactId: string | null,
): Promise<void> {
  if (!contactId) return;
  await sql`update contacts set last_contacted_at = (
      select max(coalesce(a.done_at, a.created_at)) from activities a
      where a.organization_id = ${ctx.organizationId} and a.id in ${activityIdsOf(ctx.organizationId, { objectType: 'contact', recordId: contactId })}
        and a.deleted_at is null and a.type in ('call', 'email', 'meeting') and a.status = 'done')
    where organization_id = ${ctx.organizationId} and id = ${contactId}`.execute(tx);
}

/** A record to link a record's activities to; `replace` swaps a link of its type, else one is kept. */
export interface RelinkTarget extends RecordRef {
  replace: boolean;
}

/**
 * Links every live activity of `from` to each target as well — lead conversion makes the lead's
 * calls the contact's (replacing their contact) and the company's (where they name none). Bumps
 * the changed activities' versions, keeps the contacts' `lastContactedAt`, and answers the
 * activities changed. Other modules call this instead of writing records' tables.
 */
export async function relinkActivities(
  ctx: Pick<Ctx, 'organizationId'>,
  tx: Tx,
  from: RecordRef,
  to: readonly RelinkTarget[],
): Promise<string[]> {
  const org = ctx.organizationId;
  const live = sql`(select l.activity_id from activity_links l join activities a on a.organization_id = l.organization_id and a.id = l.activity_id
    where l.organization_id = ${org} and l.object_type = ${from.objectType} and l.record_id = ${from.recordId} and a.deleted_at is null)`;
  const changed = new Set<string>();
  const contacts = new Set<string>();
  for (const t of to) {
    if (t.replace) {
      const dropped = await sql<{
        activity_id: string;
        record_id: string;
      }>`delete from activity_links
        where organization_id = ${org} and object_type = ${t.objectType} and record_id <> ${t.recordId} and activity_id in ${live}
        returning activity_id, record_id`.execute(tx);
      for (const r of dropped.rows) changed.add(r.activity_id);
      if (t.objectType === 'contact') for (const r of dropped.rows) contacts.add(r.record_id);
    }
    const added = await sql<{
      activity_id: string;
    }>`insert into activity_links (organization_id, activity_id, object_type, record_id)
      select ${org}, s.activity_id, ${t.objectType}, ${t.recordId}::uuid from ${live} s (activity_id)
      where not exists (select 1 from activity_links x where x.organization_id = ${org} and x.activity_id = s.activity_id and x.object_type = ${t.objectType})
      on conflict do nothing returning activity_id`.execute(tx);
    for (const r of added.rows) changed.add(r.activity_id);
    if (t.objectType === 'contact' && added.rows.length) contacts.add(t.recordId);
  }
  if (changed.size === 0) return [];
  await sql`update activities set version = version + 1, updated_at = now()
    where organization_id = ${org} and id in (${sql.join([...changed].map((id) => sql`${id}::uuid`))})`.execute(
    tx,
  );
  for (const contactId of contacts) await refreshLastContacted(ctx, tx, contactId);
  return [...changed];
}

/**
 * Moves the links of a merged record to the survivor (or back on undo, limited to `activityIds`)
 * and answers the activities moved. An activity linked to both keeps its link to the merged-away
 * record, so an undo restores exactly what was.
 */
export async function moveLinks(
  tx: Tx,
  organizationId: string,
  objectType: string,
  fromId: string,
  toId: string,
  activityIds?: readonly string[],
): Promise<string[]> {
  if (activityIds?.length === 0) return [];
  const only = activityIds
    ? sql` and l.activity_id in (${sql.join(activityIds.map((id) => sql`${id}::uuid`))})`
    : sql``;
  const moved = await sql<{ activity_id: string }>`update activity_links l set record_id = ${toId}
    where l.organization_id = ${organizationId} and l.object_type = ${objectType} and l.record_id = ${fromId}${only}
      and not exists (select 1 from activity_links x
        where x.organization_id = l.organization_id and x.activity_id = l.activity_id and x.object_type = l.object_type and x.record_id = ${toId})
    returning l.activity_id`.execute(tx);
  return moved.rows.map((r) => r.activity_id);
}

/**
 * Removes every link to the records of `objectType` that `recordIds` (a subquery of
 * `(organization_id, id)` pairs) selects: the trash purge deletes those records, their
 * activities stay (the business keeps its history) without the link.
 */
export async function unlinkRecords(
  tx: Tx,
  objectType: string,
  recordIds: RawBuilder<unknown>,
): Promise<void> {
  await sql`delete from activity_links where object_type = ${objectType} and (organization_id, record_id) in ${recordIds}`.execute(
    tx,
  );
}
