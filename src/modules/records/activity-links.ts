import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Ctx, Deps } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import type { ListField, Operator } from '../../platform/listing/index.js';
import type { RecordsTables } from './schema.js';

/**
 * Activities link to records of any object through `activity_links` (migration 0020), one row per
 * (activity, object type, record). An activity answers every link in `links`; the API also keeps
 * one field per type it named before links were generic (API.md: `contactId`, `companyId`,
 * `dealId`, `leadId`, `ticketId`), each showing the first link of its type. Those fields are a
 * frozen part of the contract: an object added later links through `links`, never a new field.
 */

/** A record an activity links to: its object's key (`contact`, `deal`, `project`, …) and id. */
export interface RecordRef {
  objectType: string;
  recordId: string;
}

/** The activity fields that name one link each, and the object each names (API.md; frozen). */
export const NAMED_LINKS = {
  contactId: 'contact',
  companyId: 'company',
  dealId: 'deal',
  leadId: 'lead',
  ticketId: 'ticket',
} as const;
/** An activity field that names one link. */
export type NamedLinkField = keyof typeof NAMED_LINKS;
/** An activity's named links as the API shows them: one id (or null) per field. */
export type LinkFields = Record<NamedLinkField, string | null>;

const NAMED_FIELDS = Object.keys(NAMED_LINKS) as NamedLinkField[];
/** The objects the named fields link to: always linkable, whatever their other capabilities. */
export const NAMED_LINK_OBJECTS: ReadonlySet<string> = new Set(Object.values(NAMED_LINKS));
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

/** The API's named link fields of an activity with these links (the first link of each type). */
export function linkFieldsOf(links: readonly RecordRef[]): LinkFields {
  const idOf = (field: NamedLinkField) =>
    links.find((l) => l.objectType === NAMED_LINKS[field])?.recordId ?? null;
  return Object.fromEntries(NAMED_FIELDS.map((f) => [f, idOf(f)])) as LinkFields;
}

/** What an activity's create or update says about its links. */
export type LinkInput = Partial<Record<NamedLinkField, string | null | undefined>> & {
  /** The whole set of links (replacing those it had); named fields given too win for their type. */
  links?: readonly RecordRef[] | undefined;
};

/** The references a link input names, each with the field a problem is named by. */
export function referencesOf(input: LinkInput): Array<RecordRef & { field: string }> {
  return [
    ...NAMED_FIELDS.flatMap((field) => {
      const id = input[field];
      return typeof id === 'string'
        ? [{ field, objectType: NAMED_LINKS[field], recordId: id }]
        : [];
    }),
    ...(input.links ?? []).map((l, i) => ({ ...l, field: `links.${i}` })),
  ];
}

/** The links an input asks for, without duplicates; named fields replace `links`' of their type. */
function wantedLinks(input: LinkInput, given: readonly NamedLinkField[]): RecordRef[] {
  const replaced = new Set<string>(given.map((f) => NAMED_LINKS[f]));
  const named = given.flatMap((f) => {
    const id = input[f];
    return id ? [{ objectType: NAMED_LINKS[f], recordId: id }] : [];
  });
  const all = [...(input.links ?? []).filter((l) => !replaced.has(l.objectType)), ...named];
  const seen = new Set<string>();
  return all.filter((l) => {
    const key = `${l.objectType}:${l.recordId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Writes the links an input sets: `links` replaces every link the activity had; a named field
 * sets (or, null, removes) the link of its type; what the input leaves out stays. A new activity
 * (`fresh`) has none to remove. At most two statements; answers the links written. The caller
 * has checked the references.
 */
export async function writeLinks(
  tx: Tx,
  organizationId: string,
  activityId: string,
  input: LinkInput,
  fresh = false,
): Promise<RecordRef[]> {
  const given = NAMED_FIELDS.filter((field) => input[field] !== undefined);
  if (given.length === 0 && input.links === undefined) return [];
  if (!fresh) {
    let q = db(tx)
      .deleteFrom('activity_links')
      .where('organization_id', '=', organizationId)
      .where('activity_id', '=', activityId);
    if (input.links === undefined)
      q = q.where(
        'object_type',
        'in',
        given.map((f) => NAMED_LINKS[f]),
      );
    await q.execute();
  }
  const links = wantedLinks(input, given);
  if (links.length)
    await db(tx)
      .insertInto('activity_links')
      .values(
        links.map((l) => ({
          organization_id: organizationId,
          activity_id: activityId,
          object_type: l.objectType,
          record_id: l.recordId,
        })),
      )
      .execute();
  return links;
}

/** The ids of the activities linked to a record, as a subquery (served by `activity_links_record`). */
export function activityIdsOf(organizationId: string, ref: RecordRef): RawBuilder<unknown> {
  return sql`(select activity_id from activity_links
    where organization_id = ${organizationId} and object_type = ${ref.objectType} and record_id = ${ref.recordId})`;
}

/**
 * The ids of the activities linked to any of a set of records of one object, as a subquery:
 * `recordIds` is a subquery of their ids (a company's timeline takes its contacts' activities).
 */
export function activityIdsOfRecords(
  organizationId: string,
  objectType: string,
  recordIds: RawBuilder<unknown>,
): RawBuilder<unknown> {
  return sql`(select activity_id from activity_links
    where organization_id = ${organizationId} and object_type = ${objectType} and record_id in ${recordIds})`;
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

/** `<objectType>:<uuid>`, as `filter[linkedTo]` takes a record. */
const LINKED_TO =
  /^([a-z][a-z0-9_]{0,62}):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * `filter[linkedTo]=<objectType>:<id>` (or `[in]=` a comma-separated list of them): activities
 * linked to any of the records, of any object — the generic form of `filter[dealId]`.
 */
export function linkedToFilterSql(
  activities: string,
  op: Operator,
  value: string | string[] | boolean,
): Expression<SqlBool> {
  if (op !== 'eq' && op !== 'in')
    throw errors.validation([
      { path: `filter[linkedTo][${op}]`, message: 'linkedTo takes eq or in' },
    ]);
  const refs = (Array.isArray(value) ? value : [String(value)]).map((v) => {
    const m = LINKED_TO.exec(v);
    if (!m?.[1] || !m[2])
      throw errors.validation([
        {
          path: op === 'eq' ? 'filter[linkedTo]' : 'filter[linkedTo][in]',
          message: `"${v}" is not <objectType>:<id>, e.g. project:0190…`,
        },
      ]);
    return sql`(${m[1]}, ${m[2]}::uuid)`;
  });
  return sql<SqlBool>`exists (select 1 from activity_links l
    where l.organization_id = ${sql.ref(`${activities}.organization_id`)} and l.activity_id = ${sql.ref(`${activities}.id`)}
      and (l.object_type, l.record_id) in (${sql.join(refs)}))`;
}

/**
 * The list fields that filter the activities of table or alias `activities` by their links: the
 * named ones (`filter[dealId]=…`) and `filter[linkedTo]=<objectType>:<id>` for any object.
 */
export function linkListFields(activities: string): Record<string, ListField> {
  const field = (type: string): ListField => ({
    column: `${activities}.id`,
    type: 'uuid',
    sortable: false,
    filter: (op, value) => linkFilterSql(activities, type, op, value),
  });
  return {
    ...Object.fromEntries(NAMED_FIELDS.map((f) => [f, field(NAMED_LINKS[f])])),
    linkedTo: {
      column: `${activities}.id`,
      type: 'text',
      sortable: false,
      filter: (op, value) => linkedToFilterSql(activities, op, value),
    },
  };
}

/** Activity types that count as contacting someone (they move a record's last contact). */
export const CONTACTING_TYPES: readonly string[] = ['call', 'email', 'meeting'];

/** The table and column where an object keeps its last contact, when it declares one. */
function lastContactedOf(deps: Deps, objectType: string): { table: string; column: string } | null {
  const o = deps.modules.objects.get(objectType);
  return o?.table && o.lastContactedColumn
    ? { table: o.table, column: o.lastContactedColumn }
    : null;
}

const CONTACTING = sql.join(CONTACTING_TYPES.map((t) => sql`${t}`));

/**
 * Derives again when each of `records` was last contacted (its latest done call, email or
 * meeting), for the records whose object declares where it keeps that (a contact's
 * `lastContactedAt`); the others are left alone.
 */
export async function refreshLastContacted(
  ctx: Pick<Ctx, 'organizationId' | 'deps'>,
  tx: Tx,
  records: readonly RecordRef[],
): Promise<void> {
  const seen = new Set<string>();
  for (const ref of records) {
    const target = lastContactedOf(ctx.deps, ref.objectType);
    const key = `${ref.objectType}:${ref.recordId}`;
    if (!target || seen.has(key)) continue;
    seen.add(key);
    await sql`update ${sql.table(target.table)} set ${sql.ref(target.column)} = (
        select max(coalesce(a.done_at, a.created_at)) from activities a
        where a.organization_id = ${ctx.organizationId} and a.id in ${activityIdsOf(ctx.organizationId, ref)}
          and a.deleted_at is null and a.type in (${CONTACTING}) and a.status = 'done')
      where organization_id = ${ctx.organizationId} and id = ${ref.recordId}`.execute(tx);
  }
}

/** Every record's last contact in an organization, derived again at once (after a demo seed). */
export async function refreshAllLastContacted(
  deps: Deps,
  tx: Tx,
  organizationId: string,
): Promise<void> {
  for (const objectType of deps.modules.objects.keys()) {
    const target = lastContactedOf(deps, objectType);
    if (!target) continue;
    await sql`update ${sql.table(target.table)} r set ${sql.ref(target.column)} = a.at
      from (select l.record_id, max(a.done_at) as at from activities a
            join activity_links l on l.organization_id = a.organization_id and l.activity_id = a.id and l.object_type = ${objectType}
            where a.organization_id = ${organizationId} and a.type in (${CONTACTING}) and a.status = 'done' group by l.record_id) a
      where r.organization_id = ${organizationId} and r.id = a.record_id`.execute(tx);
  }
}

/** A record to link a record's activities to; `replace` swaps a link of its type, else one is kept. */
export interface RelinkTarget extends RecordRef {
  replace: boolean;
}

/**
 * Links every live activity of `from` to each target as well — lead conversion makes the lead's
 * calls the contact's (replacing their contact) and the company's (where they name none). Bumps
 * the changed activities' versions, keeps the records' last contact, and answers the
 * activities changed. Other modules call this instead of writing records' tables.
 */
export async function relinkActivities(
  ctx: Pick<Ctx, 'organizationId' | 'deps'>,
  tx: Tx,
  from: RecordRef,
  to: readonly RelinkTarget[],
): Promise<string[]> {
  const org = ctx.organizationId;
  const live = sql`(select l.activity_id from activity_links l join activities a on a.organization_id = l.organization_id and a.id = l.activity_id
    where l.organization_id = ${org} and l.object_type = ${from.objectType} and l.record_id = ${from.recordId} and a.deleted_at is null)`;
  const changed = new Set<string>();
  const touched: RecordRef[] = [];
  for (const t of to) {
    if (t.replace) {
      const dropped = await sql<{
        activity_id: string;
        record_id: string;
      }>`delete from activity_links
        where organization_id = ${org} and object_type = ${t.objectType} and record_id <> ${t.recordId} and activity_id in ${live}
        returning activity_id, record_id`.execute(tx);
      for (const r of dropped.rows) changed.add(r.activity_id);
      for (const r of dropped.rows)
        touched.push({ objectType: t.objectType, recordId: r.record_id });
    }
    const added = await sql<{
      activity_id: string;
    }>`insert into activity_links (organization_id, activity_id, object_type, record_id)
      select ${org}, s.activity_id, ${t.objectType}, ${t.recordId}::uuid from ${live} s (activity_id)
      where not exists (select 1 from activity_links x where x.organization_id = ${org} and x.activity_id = s.activity_id and x.object_type = ${t.objectType})
      on conflict do nothing returning activity_id`.execute(tx);
    for (const r of added.rows) changed.add(r.activity_id);
    if (added.rows.length) touched.push({ objectType: t.objectType, recordId: t.recordId });
  }
  if (changed.size === 0) return [];
  await sql`update activities set version = version + 1, updated_at = now()
    where organization_id = ${org} and id in (${sql.join([...changed].map((id) => sql`${id}::uuid`))})`.execute(
    tx,
  );
  await refreshLastContacted(ctx, tx, touched);
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
 * activities stay (the business keeps its history) without the link. `null` matches links of
 * any object — for a store holding several objects' records (the object kernel's), whose ids,
 * UUIDv7 like every id, name no record of another object.
 */
export async function unlinkRecords(
  tx: Tx,
  objectType: string | null,
  recordIds: RawBuilder<unknown>,
): Promise<void> {
  const ofType = objectType === null ? sql`true` : sql`object_type = ${objectType}`;
  await sql`delete from activity_links where ${ofType} and (organization_id, record_id) in ${recordIds}`.execute(
    tx,
  );
}
