import { sql } from 'kysely';
import type { z } from 'zod';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { mergeOfDefinition, type ObjectLifecycle } from '../../platform/objects/index.js';

/**
 * An object as merging sees it, resolved from the object registry by key — a module's
 * declaration or an organization's object defined as data — so merging keeps no list of types.
 */
export interface MergeTarget {
  key: string;
  /** How messages name one record ("Lead"). */
  label: string;
  /** The permission resource guarding its records (`leads`, `custom-records`). */
  permission: string;
  /** The table its records live in; a merged source's `merged_into` names the survivor. */
  table: string;
  /** Its records through its module's services: the survivor's write keeps their rules. */
  lifecycle: ObjectLifecycle;
  /** The fields whose value the caller may pick (its editable fields, `customFields` where kept apart). */
  fields: readonly string[];
  /** Parses the survivor's new values as its PATCH body would; null where the services check them. */
  updateBody: z.ZodType | null;
}

/** The object by key, or 404 when it is unknown to the organization or cannot be merged. */
export async function mergeTargetOf(ctx: Ctx, key: string): Promise<MergeTarget> {
  const def = ctx.deps.modules.objects.get(key);
  if (def) {
    const merge = mergeOfDefinition(def);
    if (!merge || !def.lifecycle || !def.table) throw errors.notFound('Object');
    return {
      key,
      label: def.labels.singular,
      permission: def.resource,
      table: def.table,
      lifecycle: def.lifecycle,
      fields: merge.fields,
      updateBody: def.updateBody,
    };
  }
  const source = ctx.deps.modules.objectSource;
  if (!source) throw errors.notFound('Object');
  const described = await ctx.tx((tx) => source.describe(tx, ctx.organizationId, key));
  if (!described?.merge) throw errors.notFound('Object');
  return {
    key,
    label: described.labels.singular,
    permission: described.permission,
    table: source.recordsTable,
    lifecycle: source.lifecycle(key),
    fields: described.merge.fields,
    updateBody: null,
  };
}

/** Where a reference to a merged record is kept, and how it is moved. */
export interface ReferenceSite {
  /** The key under which a merge keeps the ids of the rows it moved (`deals.contact_id`). */
  name: string;
  /** Points rows from `fromId` to `toId` (only `onlyIds` on undo); answers the ids changed. */
  move(
    tx: Tx,
    organizationId: string,
    fromId: string,
    toId: string,
    onlyIds?: readonly string[],
  ): Promise<string[]>;
}

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const only = (ids?: readonly string[]) =>
  ids ? sql` and id in (${sql.join(ids.map((id) => sql`${id}::uuid`))})` : sql``;

const columnsOf = new Map<string, Promise<ReadonlySet<string>>>();
/** A table's columns, read once per process (declarations never change while it runs). */
function tableColumns(tx: Tx, table: string): Promise<ReadonlySet<string>> {
  let known = columnsOf.get(table);
  if (!known) {
    known = sql<{ column_name: string }>`select column_name from information_schema.columns
      where table_name = ${table}`
      .execute(tx)
      .then((r) => new Set(r.rows.map((c) => c.column_name)));
    columnsOf.set(table, known);
  }
  return known;
}

/** A column holding the id of a record the merge moves. */
const columnSite = (table: string, column: string): ReferenceSite => ({
  name: `${table}.${column}`,
  async move(tx, organizationId, fromId, toId, onlyIds) {
    if (onlyIds?.length === 0) return [];
    const rows = await sql<{
      id: string;
    }>`update ${sql.table(table)} set ${sql.ref(column)} = ${toId}
      where organization_id = ${organizationId} and ${sql.ref(column)} = ${fromId} and id <> ${toId}${only(onlyIds)}
      returning id`.execute(tx);
    return rows.rows.map((r) => r.id);
  },
});

/** A built-in object's custom relation field, kept in its table's `custom_fields`. */
const customFieldSite = (table: string, field: string): ReferenceSite => ({
  name: `custom:${table}.${field}`,
  async move(tx, organizationId, fromId, toId, onlyIds) {
    if (onlyIds?.length === 0) return [];
    const rows = await sql<{ id: string }>`update ${sql.table(table)}
      set custom_fields = jsonb_set(custom_fields, array[${field}::text], to_jsonb(${toId}::text))
      where organization_id = ${organizationId} and custom_fields ->> ${field} = ${fromId} and id <> ${toId}${only(onlyIds)}
      returning id`.execute(tx);
    return rows.rows.map((r) => r.id);
  },
});

/**
 * Every place that references records of `key`, derived from the declarations: other objects'
 * relation fields in the registry (a deal's `contactId`, a company's `parentId`), and relation
 * custom fields pointing at it, on built-in objects or on objects defined as data.
 */
export async function referenceSitesOf(ctx: Ctx, tx: Tx, key: string): Promise<ReferenceSite[]> {
  const sites: ReferenceSite[] = [];
  for (const def of ctx.deps.modules.objects.values()) {
    if (!def.table) continue;
    const columns = await tableColumns(tx, def.table);
    for (const [field, target] of Object.entries(def.relations)) {
      if (target !== key) continue;
      const column = def.listFields[field]?.column.split('.').pop() ?? snake(field);
      if (columns.has(column)) sites.push(columnSite(def.table, column));
    }
  }
  const custom = await sql<{ object_type: string; key: string }>`select object_type, key
    from custom_fields where organization_id = ${ctx.organizationId} and type = 'relation'
      and options ->> 'objectType' = ${key} and coalesce((options ->> 'multiple')::boolean, false) = false
    order by object_type, key`.execute(tx);
  const source = ctx.deps.modules.objectSource;
  for (const f of custom.rows) {
    const def = ctx.deps.modules.objects.get(f.object_type);
    if (def?.table) sites.push(customFieldSite(def.table, f.key));
    else if (!def && source)
      sites.push({
        name: `object:${f.object_type}.${f.key}`,
        move: (tx2, organizationId, fromId, toId, onlyIds) =>
          source.moveRelation(tx2, organizationId, f.object_type, f.key, fromId, toId, onlyIds),
      });
  }
  return sites;
}
