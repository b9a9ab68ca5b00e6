import { sql } from 'kysely';
import type { Ctx } from '../../platform/context/index.js';
import { withSystem } from '../../platform/db/index.js';
import type { ObjectSource } from '../../platform/objects/index.js';
import {
  CUSTOM_RECORDS,
  fieldsOf,
  findCustomObject,
  loadCustomObjects,
  summaryOf,
  type CustomObject,
} from './custom-objects.js';
import { describeCustomObject } from './describe.js';
import { ensureFieldIndexes } from './field-indexes.js';
import { recordBody } from './http-schemas.js';
import {
  createObjectRecord,
  deleteObjectRecord,
  getObjectRecord,
  listObjectRecords,
  updateObjectRecord,
} from './object-records.js';
import { visibleRecordIds } from './relations.js';

const objectOf = (ctx: Ctx, key: string): Promise<CustomObject> =>
  ctx.tx((tx) => findCustomObject(tx, ctx.organizationId, { key }));

/**
 * The catalog's view of custom objects (platform/objects), handed over in the module definition:
 * which objects an organization has, the indexes a new field needs, and their records' services.
 */
export const customObjectSource: ObjectSource = {
  list: async (tx, organizationId) => (await loadCustomObjects(tx, organizationId)).map(summaryOf),
  fieldDefined: async (ctx, objectKey, field) => {
    const object = await objectOf(ctx, objectKey);
    await withSystem(ctx.deps.database.db, (tx) => ensureFieldIndexes(tx, object.id, field));
  },
  lifecycle: (key) => ({
    get: (ctx, id) => getObjectRecord(ctx, { key }, id),
    create: (ctx, input: Record<string, unknown>) => createObjectRecord(ctx, { key }, input),
    update: (ctx, id, input: Record<string, unknown>, expectedVersion) =>
      updateObjectRecord(ctx, { key }, id, input, expectedVersion),
    delete: (ctx, id) => deleteObjectRecord(ctx, { key }, id),
    list: (ctx, query) => listObjectRecords(ctx, { key }, query),
    ownerField: 'ownerId',
  }),
  describe: async (tx, organizationId, key) => {
    const object = (await loadCustomObjects(tx, organizationId)).find((o) => o.key === key);
    return object && describeCustomObject(object, await fieldsOf(tx, organizationId, object));
  },
  recordBody,
  permission: CUSTOM_RECORDS,
  recordsTable: 'object_records',
  moveRelation: async (tx, organizationId, objectKey, field, fromId, toId, onlyIds) => {
    if (onlyIds?.length === 0) return [];
    const only = onlyIds
      ? sql` and id in (${sql.join(onlyIds.map((id) => sql`${id}::uuid`))})`
      : sql``;
    const moved = await sql<{ id: string }>`update object_records
      set data = jsonb_set(data, array[${field}::text], to_jsonb(${toId}::text)), version = version + 1
      where organization_id = ${organizationId} and data ->> ${field} = ${fromId} and id <> ${toId}${only}
        and object_id = (select id from custom_objects where organization_id = ${organizationId} and key = ${objectKey})
      returning id`.execute(tx);
    return moved.rows.map((r) => r.id);
  },
  relations: async (tx, organizationId, objectKey) => {
    const object = (await loadCustomObjects(tx, organizationId)).find((o) => o.key === objectKey);
    const fields = object ? await fieldsOf(tx, organizationId, object) : [];
    return Object.fromEntries(
      fields.flatMap((f) =>
        f.type === 'relation' && f.options?.objectType && !f.options.multiple
          ? [[f.key, f.options.objectType]]
          : [],
      ),
    );
  },
  visibleRecords: async (ctx, tx, objectKey, ids) => {
    const object = (await loadCustomObjects(tx, ctx.organizationId)).find(
      (o) => o.key === objectKey,
    );
    return object ? visibleRecordIds(ctx, tx, object, ids) : new Set();
  },
};
