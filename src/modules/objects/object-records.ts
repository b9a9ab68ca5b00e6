import { sql, type Selectable } from 'kysely';
import { z } from 'zod';
import type { FieldMap, ListField } from '../../platform/listing/index.js';
import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors, type ErrorDetail } from '../../platform/errors/index.js';
import {
  authorizeCreate,
  recordLifecycle,
  searchSql,
  validateCustomValues,
  type CustomFieldDef,
  type RecordLifecycle,
  type RecordListPage,
} from '../records/index.js';
import {
  CUSTOM_RECORDS,
  fieldsOf,
  resolveObject,
  type CustomObject,
  type ObjectRef,
} from './custom-objects.js';
import { dataField } from './field-indexes.js';
import { assertRelations } from './relations.js';
import type { ObjectsTables } from './schema.js';

/**
 * The records of objects kept in the kernel's shared table — an admin's objects and those a
 * module declares as data (notes) — on the lifecycle every record type shares
 * (records/record-lifecycle.ts). What is their own is declared here: the shared table confined to
 * one object, the name and the fields kept flat in `data` with the search text beside them, and
 * relations checked as links to built-in and custom records.
 */
export type ObjectRecordRow = Selectable<ObjectsTables['object_records']>;

/** A record of a custom object: its name and owner, then the admin's fields, flat. */
export type ObjectRecord = Record<string, unknown> & {
  id: string;
  name: string;
  ownerId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
};

/** The fields every custom object has besides the admin's. */
const SYSTEM_KEYS = new Set([
  'id',
  'name',
  'ownerId',
  'version',
  'createdAt',
  'updatedAt',
  'deletedAt',
  'customFields',
]);

const baseBody = z
  .object({
    name: z.string().trim().min(1, 'is required').max(500),
    ownerId: z.uuid().nullable(),
    /** Accepted too, for clients written against built-in objects' `customFields`. */
    customFields: z.record(z.string(), z.unknown()),
  })
  .partial();

export function presentRecord(r: ObjectRecordRow, defs: readonly CustomFieldDef[]): ObjectRecord {
  const fields: Record<string, unknown> = {};
  for (const d of defs) fields[d.key] = r.data[d.key] ?? null;
  return {
    id: r.id,
    name: r.name,
    ownerId: r.owner_id,
    ...fields,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    deletedAt: r.deleted_at?.toISOString() ?? null,
  };
}

/** The lower-cased text `q=` searches: the name and every text-like value. */
export function searchTextOf(
  name: string,
  data: Record<string, unknown>,
  defs: readonly CustomFieldDef[],
): string {
  const parts = [name];
  for (const d of defs) {
    const v = data[d.key];
    if (
      ['text', 'long_text', 'email', 'phone', 'url', 'select'].includes(d.type) &&
      typeof v === 'string'
    )
      parts.push(d.type === 'long_text' ? v.slice(0, 2000) : v);
    if (d.type === 'multi_select' && Array.isArray(v)) parts.push(v.join(' '));
  }
  return parts.join(' ').toLowerCase();
}

/** A record body read into name, owner and field values; every problem named by its field. */
export interface ParsedBody {
  name?: string;
  ownerId?: string | null;
  /** The field values, normalized, over `current` when one was given. */
  values: Record<string, unknown>;
  /** The field values the body gives (null clears one), for merging over a record's current ones. */
  given: Record<string, unknown>;
}

/**
 * Reads a create or update body. The admin's fields may be given at the top level or under
 * `customFields`; unknown keys are refused by name rather than silently dropped.
 */
export function parseBody(
  body: Record<string, unknown>,
  defs: readonly CustomFieldDef[],
  options: { partial: boolean; current?: Record<string, unknown> },
): ParsedBody {
  const problems: ErrorDetail[] = [];
  const base = baseBody.safeParse({
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.ownerId !== undefined ? { ownerId: body.ownerId } : {}),
    ...(body.customFields !== undefined ? { customFields: body.customFields } : {}),
  });
  if (!base.success)
    for (const issue of base.error.issues)
      problems.push({ path: issue.path.join('.'), message: issue.message });
  if (!options.partial && body.name === undefined)
    problems.push({ path: 'name', message: 'is required' });
  const given: Record<string, unknown> = { ...(base.data?.customFields ?? {}) };
  for (const [key, value] of Object.entries(body)) if (!SYSTEM_KEYS.has(key)) given[key] = value;
  const checked = validateCustomValues(defs, given, { ...options, prefix: '' });
  problems.push(...checked.problems);
  if (problems.length) throw errors.validation(problems);
  return {
    ...(base.data?.name !== undefined ? { name: base.data.name } : {}),
    ...(base.data?.ownerId !== undefined ? { ownerId: base.data.ownerId } : {}),
    values: checked.values,
    given,
  };
}

/** The fields every custom object's list filters and sorts on, before the admin's. */
const LIST_SYSTEM_FIELDS: FieldMap = {
  name: { column: 'name', type: 'text', notNull: true },
  ownerId: { column: 'owner_id', type: 'uuid' },
  createdAt: { column: 'created_at', type: 'datetime', notNull: true },
  updatedAt: { column: 'updated_at', type: 'datetime', notNull: true },
};

/** The list fields of an object: its own by key, and the same as `custom.<key>` for generic clients. */
export function listFieldsOf(defs: readonly CustomFieldDef[]): FieldMap {
  const fields: Record<string, ListField> = { ...LIST_SYSTEM_FIELDS };
  for (const d of defs) {
    const spec = dataField(d);
    fields[`custom.${d.key}`] = spec;
    if (!(d.key in LIST_SYSTEM_FIELDS)) fields[d.key] = spec;
  }
  return fields;
}

/** The rows of the shared table, and a record's input, as the lifecycle sees them. */
type Lifecycle = RecordLifecycle<ObjectRecordRow, ObjectRecord, ParsedBody>;

/** What consumers route an object's events on, besides the record. */
const routing = (object: CustomObject) => ({ object: object.key, resource: object.resource });

/** The values an update leaves: the record's current ones with the given ones over them. */
const valuesAfter = (
  defs: readonly CustomFieldDef[],
  current: ObjectRecordRow,
  input: ParsedBody,
) =>
  validateCustomValues(defs, input.given, { partial: true, current: current.data, prefix: '' })
    .values;

/**
 * The lifecycle of one object's records, bound to its fields as they are now (read in the
 * caller's transaction). Owner rules are those of every record type, except that handing a record
 * over to someone the actor cannot see is a 404, as reading that owner's record would be.
 */
export function objectRecordLifecycle(
  object: CustomObject,
  defs: readonly CustomFieldDef[],
): Lifecycle {
  return recordLifecycle<ObjectRecordRow, ObjectRecord, ParsedBody>({
    key: object.key,
    resource: CUSTOM_RECORDS,
    label: object.labels.singular,
    table: 'object_records',
    discriminator: { column: 'object_id', value: object.id },
    mergeable: true,
    // The fields are the object's own, validated as the body is read and kept in `data`.
    customFields: false,
    authorizeOwner: (ctx, action, ownerId) =>
      action === 'create'
        ? authorizeCreate(ctx, `${CUSTOM_RECORDS}:create`, ownerId)
        : authorize(ctx, `${CUSTOM_RECORDS}:update`, { ownerId }),
    present: async (_ctx, _tx, rows) => rows.map((r) => presentRecord(r, defs)),
    columns: (input) => ({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.ownerId !== undefined ? { owner_id: input.ownerId } : {}),
    }),
    // Relations and the owner are checked by the hooks, which know the object's fields.
    references: () => [],
    assignment: {
      label: (record) => record.name,
      ownerOf: (record) => record.ownerId,
      extra: () => routing(object),
      // Every first owner is announced, the creator included (as before the shared lifecycle).
      announceEveryFirstOwner: true,
    },
    eventPayload: () => routing(object),
    // Real time and notices route on the owner and the object, so the event names them.
    deletedPayload: (row) => ({ id: row.id, ownerId: row.owner_id, ...routing(object) }),
    restoredPayload: (record) => ({ [object.key]: record, ...routing(object) }),
    list: {
      fields: listFieldsOf(defs),
      search: (q) => searchSql(sql.ref('search_text'), q.text),
    },
    hooks: {
      async beforeCreate(ctx, tx, input) {
        await assertRelations(ctx, tx, defs, input.values, input.ownerId);
        const now = ctx.deps.clock.now();
        return {
          input,
          columns: {
            data: JSON.stringify(input.values),
            search_text: searchTextOf(input.name ?? '', input.values, defs),
            created_at: now,
            updated_at: now,
          },
        };
      },
      async beforeUpdate(ctx, tx, current, input) {
        const values = valuesAfter(defs, current, input);
        const changed = Object.fromEntries(
          Object.entries(values).filter(
            ([k, v]) => JSON.stringify(v) !== JSON.stringify(current.data[k]),
          ),
        );
        await assertRelations(ctx, tx, defs, changed, input.ownerId);
        return {
          input,
          columns: {
            data: JSON.stringify(values),
            search_text: searchTextOf(input.name ?? current.name, values, defs),
          },
        };
      },
    },
  });
}

/**
 * Runs `fn` with an object's lifecycle in one transaction: the object (404 when the organization
 * has none), its fields, and the record steps all read and write in it.
 */
export function withObjectRecords<T>(
  ctx: Ctx,
  ref: ObjectRef,
  fn: (records: Lifecycle, tx: Tx, object: CustomObject, defs: CustomFieldDef[]) => Promise<T>,
): Promise<T> {
  return ctx.tx(async (tx) => {
    const object = await resolveObject(tx, ctx.organizationId, ref);
    const defs = await fieldsOf(tx, ctx.organizationId, object);
    return fn(objectRecordLifecycle(object, defs), tx, object, defs);
  });
}

/**
 * Creates a record of a custom object. Without an owner the creator owns it; an owner outside the
 * actor's scope is refused, so nobody creates a record they could not see afterwards.
 */
export const createObjectRecord = (
  ctx: Ctx,
  ref: ObjectRef,
  body: Record<string, unknown>,
): Promise<ObjectRecord> =>
  withObjectRecords(ctx, ref, (records, _tx, _object, defs) =>
    records.create(ctx, parseBody(body, defs, { partial: false })),
  );

export const getObjectRecord = (ctx: Ctx, ref: ObjectRef, id: string): Promise<ObjectRecord> =>
  withObjectRecords(ctx, ref, (records) => records.get(ctx, id));

/** Partly updates a record; `expectedVersion` (If-Match) makes a stale write a 412. */
export const updateObjectRecord = (
  ctx: Ctx,
  ref: ObjectRef,
  id: string,
  body: Record<string, unknown>,
  expectedVersion?: number,
): Promise<ObjectRecord> =>
  withObjectRecords(ctx, ref, (records, _tx, _object, defs) =>
    records.update(ctx, id, parseBody(body, defs, { partial: true }), expectedVersion),
  );

/** Moves a record to the trash (restorable for 30 days). */
export const deleteObjectRecord = (ctx: Ctx, ref: ObjectRef, id: string): Promise<void> =>
  withObjectRecords(ctx, ref, (records) => records.remove(ctx, id));

/** Brings a record back from the trash (409 when it is not deleted, 422 once the 30 days are over). */
export const restoreObjectRecord = (ctx: Ctx, ref: ObjectRef, id: string): Promise<ObjectRecord> =>
  withObjectRecords(ctx, ref, (records) => records.restore(ctx, id));

/** One page of an object's records with API.md's filters, sort, search and cursor, in the actor's scope. */
export const listObjectRecords = (
  ctx: Ctx,
  ref: ObjectRef,
  query: Record<string, unknown>,
): Promise<RecordListPage<ObjectRecord>> =>
  withObjectRecords(ctx, ref, (records) => records.list(ctx, query));
