import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Ctx } from '../../platform/context/index.js';
import type { Timestamp, Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { trashCutoff } from '../../platform/objects/index.js';
import {
  afterCursorSql,
  cursorColumns,
  filterSql,
  orderSql,
  pageOf,
  parseListQuery,
  type FieldMap,
  type ListField,
} from '../../platform/listing/index.js';
import { customListField, type ObjectType } from './custom-field-types.js';
import { loadCustomFields } from './custom-fields.js';
import { ownerOrTeamScopeSql, ownerScopeSql } from './record-access.js';
import { prepareTextQuery, type TextQuery } from './text-search.js';

/** How one record type is listed. */
export interface RecordListSpec {
  table: string;
  /** Whose custom fields apply; null for types without custom fields. */
  objectType: ObjectType | null;
  /** The read permission whose scope limits the rows. */
  permission: string;
  fields: FieldMap;
  /** The `q=` condition, given the prepared query (word index, or substring and trigram). */
  search: (q: TextQuery) => Expression<SqlBool>;
  /** Whether rows can be merged away (contacts, companies): those are hidden. */
  mergeable: boolean;
  /** The column(s) whose owner decides visibility; several means any of them. */
  ownerColumns?: readonly string[];
  /**
   * For records that wait in a team's queue (leads, tickets): the team column, so team scope also
   * shows the records of the actor's teams, as `decide()` does for one record with a `teamId`.
   */
  teamColumn?: string;
  /** Extra conditions (e.g. `filter` from a saved view or a parent record). */
  where?: Expression<SqlBool>[];
}

/** A page of rows plus the cursor after it and, when asked, the total. */
export interface RecordPage<Row> {
  rows: Row[];
  nextCursor: string | null;
  total?: number;
}

/** The fields of a record type including the organization's custom fields (`custom.key`). */
export async function listFieldsWithCustom(
  tx: Tx,
  organizationId: string,
  objectType: ObjectType,
  fields: FieldMap,
): Promise<Record<string, ListField>> {
  const all: Record<string, ListField> = { ...fields };
  for (const d of await loadCustomFields(tx, organizationId, objectType))
    all[`custom.${d.key}`] = customListField(d);
  return all;
}

/** The columns every listed object's table has (its name is the spec's `table`). */
interface ListedTable {
  organization_id: string;
  deleted_at: Timestamp | null;
  merged_into: string | null;
}

/** A list request resolved against a spec: the parsed request and its filtered, scoped rows. */
async function planList(
  ctx: Ctx,
  tx: Tx,
  spec: RecordListSpec,
  rawQuery: Record<string, unknown>,
  maxLimit: number,
) {
  const fields = spec.objectType
    ? await listFieldsWithCustom(tx, ctx.organizationId, spec.objectType, spec.fields)
    : spec.fields;
  const { trashed, ...listQuery } = rawQuery;
  if (trashed !== undefined && trashed !== 'true' && trashed !== 'false') {
    throw errors.validation([{ path: 'trashed', message: 'must be true or false' }]);
  }
  const req = parseListQuery(listQuery, fields, { sort: '-createdAt', maxLimit });
  // `trashed=true` lists what can still be restored: deleted within the trash period.
  const restorableSince = trashCutoff(ctx.deps.clock.now());
  let base = tx
    .withTables<{ listed: ListedTable }>()
    .selectFrom(spec.table as 'listed')
    .where('organization_id', '=', ctx.organizationId)
    .where((eb) =>
      trashed === 'true' ? eb('deleted_at', '>', restorableSince) : eb('deleted_at', 'is', null),
    );
  if (spec.mergeable) base = base.where('merged_into', 'is', null);
  const scopes = spec.teamColumn
    ? [
        ownerOrTeamScopeSql(
          ctx.actor,
          spec.permission,
          spec.ownerColumns?.[0] ?? 'owner_id',
          spec.teamColumn,
        ),
      ]
    : (spec.ownerColumns ?? ['owner_id']).map((c) => ownerScopeSql(ctx.actor, spec.permission, c));
  base = base.where(
    scopes.length === 1
      ? (scopes[0] ?? sql<SqlBool>`false`)
      : sql<SqlBool>`(${sql.join(scopes, sql` or `)})`,
  );
  for (const f of req.filters) base = base.where(filterSql(f));
  for (const w of spec.where ?? []) base = base.where(w);
  if (req.q) {
    await relaxTrigramThreshold(tx);
    const query = await prepareTextQuery(tx, ctx.organizationId, req.q);
    base = base.where(query ? spec.search(query) : sql<SqlBool>`true`);
  }
  return { req, base };
}

type Plan = Awaited<ReturnType<typeof planList>>;

/** Fetches one page of `columns` plus the cursor columns, and the total when asked. */
async function fetchPage<Row>(
  { req, base }: Plan,
  columns: (page: Plan['base']) => Plan['base'],
): Promise<RecordPage<Row>> {
  let page = columns(base).select(cursorColumns(req.sort, 'id') as never);
  if (req.cursor) page = page.where(afterCursorSql(req.sort, 'id', req.cursor));
  const rows = (await page
    .orderBy(orderSql(req.sort, 'id') as never)
    .limit(req.limit + 1)
    .execute()) as unknown as Array<Row & Record<string, unknown>>;
  const { rows: pageRows, nextCursor } = pageOf(rows, req.limit, req.sort.length);
  const total = req.count
    ? Number((await base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n)
    : undefined;
  return { rows: pageRows, nextCursor, ...(total !== undefined ? { total } : {}) };
}

/**
 * Lists live records of one type with API.md's filters, sort, search and keyset cursor, limited
 * to what the actor's scope lets it read; with `trashed=true`, the ones in the trash instead.
 */
export async function listRecords<Row>(
  ctx: Ctx,
  tx: Tx,
  spec: RecordListSpec,
  rawQuery: Record<string, unknown>,
  maxLimit = 200,
): Promise<RecordPage<Row>> {
  const plan = await planList(ctx, tx, spec, rawQuery, maxLimit);
  return fetchPage<Row>(plan, (page) => page.selectAll());
}

/**
 * `listRecords`, each row answered as the JSON text `presentJson` builds from its columns in
 * PostgreSQL: no row is parsed into objects, presented and stringified again in Node.
 */
export async function listRecordsAsJson(
  ctx: Ctx,
  tx: Tx,
  spec: RecordListSpec,
  rawQuery: Record<string, unknown>,
  presentJson: RawBuilder<unknown>,
  maxLimit = 200,
): Promise<RecordPage<string>> {
  const plan = await planList(ctx, tx, spec, rawQuery, maxLimit);
  // As text: a json column would be parsed by the driver, the very work this path saves.
  const page = await fetchPage<{ json: string }>(plan, (p) =>
    p.select(sql<string>`(${presentJson})::text`.as('json')),
  );
  return { ...page, rows: page.rows.map((r) => r.json) };
}

/**
 * Typos like "jonh" score about 0.4 against "john smith": below pg_trgm's default 0.6 threshold
 * for `<%`, so searches lower it for their own transaction; edit distance then confirms.
 */
export async function relaxTrigramThreshold(tx: Tx): Promise<void> {
  await sql`select set_config('pg_trgm.word_similarity_threshold', '0.3', true)`.execute(tx);
}

/** Lower-cased query words (at most 5), the unit of matching. */
export function queryWords(q: string): string[] {
  return q
    .toLowerCase()
    .split(/[\s,;]+/)
    .map((w) => w.trim())
    .filter(Boolean)
    .slice(0, 5);
}

const escapeLike = (w: string) => w.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Every query word must match the text: as a substring, or — for words of 3+ letters — as a typo
 * of one of its words (trigram candidates from the index, confirmed by edit distance ≤ 1, or ≤ 2
 * from 5 letters), so "Jonh Smtih" finds John Smith.
 */
export function searchSql(text: RawBuilder<unknown>, q: string): Expression<SqlBool> {
  const words = queryWords(q);
  if (words.length === 0) return sql<SqlBool>`true`;
  const parts = words.map((w) => {
    const like = sql`${text} like ${`%${escapeLike(w)}%`}`;
    if (w.length < 3) return like;
    const k = w.length >= 4 ? 2 : 1;
    return sql`(${like} or (${w} <% ${text} and exists (
      select 1 from unnest(string_to_array(${text}, ' ')) as token
      where levenshtein_less_equal(${w}, left(token, ${w.length + 1}), ${k}) <= ${k})))`;
  });
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}
