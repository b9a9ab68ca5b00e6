import { sql, type SqlBool } from 'kysely';
import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import type { FieldMap, ListField } from '../../platform/listing/index.js';
import { listRecords, searchSql, type CustomFieldDef } from '../records/index.js';
import {
  CUSTOM_RECORDS,
  fieldsOf,
  resolveObject,
  type CustomObject,
  type ObjectRef,
} from './custom-objects.js';
import { dataField } from './field-indexes.js';
import { presentRecord, type ObjectRecord, type ObjectRecordRow } from './object-records.js';

/** The fields every custom object's list filters and sorts on, before the admin's. */
const SYSTEM_FIELDS: FieldMap = {
  name: { column: 'name', type: 'text', notNull: true },
  ownerId: { column: 'owner_id', type: 'uuid' },
  createdAt: { column: 'created_at', type: 'datetime', notNull: true },
  updatedAt: { column: 'updated_at', type: 'datetime', notNull: true },
};

/** The list fields of an object: its own by key, and the same as `custom.<key>` for generic clients. */
export function listFieldsOf(defs: readonly CustomFieldDef[]): FieldMap {
  const fields: Record<string, ListField> = { ...SYSTEM_FIELDS };
  for (const d of defs) {
    const spec = dataField(d);
    fields[`custom.${d.key}`] = spec;
    if (!(d.key in SYSTEM_FIELDS)) fields[d.key] = spec;
  }
  return fields;
}

/** One page of an object's records with API.md's filters, sort, search and cursor, in the actor's scope. */
export async function listObjectRecords(
  ctx: Ctx,
  ref: ObjectRef,
  rawQuery: Record<string, unknown>,
): Promise<{ data: ObjectRecord[]; meta: { nextCursor: string | null; total?: number } }> {
  authorize(ctx, `${CUSTOM_RECORDS}:read`);
  return ctx.tx(async (tx) => {
    const object = await resolveObject(tx, ctx.organizationId, ref);
    const page = await pageOfRecords(ctx, tx, object, rawQuery);
    return {
      data: page.rows,
      meta: {
        nextCursor: page.nextCursor,
        ...(page.total !== undefined ? { total: page.total } : {}),
      },
    };
  });
}

/** The page itself, inside a transaction (exports read page after page in one). */
export async function pageOfRecords(
  ctx: Ctx,
  tx: Tx,
  object: CustomObject,
  rawQuery: Record<string, unknown>,
  maxLimit = 200,
): Promise<{
  rows: ObjectRecord[];
  defs: CustomFieldDef[];
  nextCursor: string | null;
  total?: number;
}> {
  const defs = await fieldsOf(tx, ctx.organizationId, object);
  const page = await listRecords<ObjectRecordRow>(
    ctx,
    tx,
    {
      table: 'object_records',
      objectType: null,
      permission: `${CUSTOM_RECORDS}:read`,
      mergeable: false,
      fields: listFieldsOf(defs),
      search: (q) => searchSql(sql.ref('search_text'), q.text),
      // A literal, not a parameter: the fields' indexes are partial to their object, and the
      // planner can only use one when the query names the object as a constant.
      where: [sql<SqlBool>`object_id = ${sql.lit(object.id)}::uuid`],
    },
    rawQuery,
    maxLimit,
  );
  return {
    rows: page.rows.map((r) => presentRecord(r, defs)),
    defs,
    nextCursor: page.nextCursor,
    ...(page.total !== undefined ? { total: page.total } : {}),
  };
}
