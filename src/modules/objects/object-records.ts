import type { Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { authorize, decide } from '../../platform/authz/index.js';
import { fieldDiff } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors, type ErrorDetail } from '../../platform/errors/index.js';
import { emitAssigned } from '../../platform/outbox/index.js';
import { moveToTrash, takeOutOfTrash, type TrashTarget } from '../../platform/objects/index.js';
import {
  assertVersion,
  authorizeCreate,
  recordChanged,
  validateCustomValues,
  type CustomFieldDef,
} from '../records/index.js';
import {
  CUSTOM_RECORDS,
  fieldsOf,
  resolveObject,
  type CustomObject,
  type ObjectRef,
} from './custom-objects.js';
import { assertRelations } from './relations.js';
import type { ObjectsTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<ObjectsTables>();
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
  values: Record<string, unknown>;
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
  };
}

/** Loads a record the actor may read, or 404 (another organization's, another object's, missing, out of scope, trashed). */
export async function loadRecord(
  ctx: Ctx,
  tx: Tx,
  object: CustomObject,
  id: string,
  options: { forUpdate?: boolean; includeDeleted?: boolean } = {},
): Promise<ObjectRecordRow> {
  let q = db(tx)
    .selectFrom('object_records')
    .selectAll()
    .where('organization_id', '=', ctx.organizationId)
    .where('object_id', '=', object.id)
    .where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row || !decide(ctx.actor, `${CUSTOM_RECORDS}:read`, { ownerId: row.owner_id }).allowed)
    throw errors.notFound(object.labels.singular);
  if (row.deleted_at && !options.includeDeleted) throw errors.notFound(object.labels.singular);
  return row;
}

const auditable = (r: ObjectRecord): Record<string, unknown> => {
  const { version: _v, createdAt: _c, updatedAt: _u, deletedAt: _d, ...rest } = r;
  return rest;
};

/** A write's record under its object's key; consumers route on `object` and `resource`. */
const changeOf = (object: CustomObject, id: string, record: ObjectRecord) => ({
  key: object.key,
  id,
  record,
  payload: { object: object.key, resource: object.resource },
});

async function announceOwner(
  ctx: Ctx,
  tx: Tx,
  object: CustomObject,
  record: ObjectRecord,
  previousOwnerId: string | null,
): Promise<void> {
  await emitAssigned(ctx, tx, {
    recordType: object.key,
    recordId: record.id,
    kind: object.key,
    label: record.name,
    ownerId: record.ownerId,
    previousOwnerId,
    extra: { object: object.key, resource: object.resource },
  });
}

/**
 * Creates a record of a custom object. Without an owner the creator owns it; an owner outside the
 * actor's scope is refused, so nobody creates a record they could not see afterwards.
 */
export async function createObjectRecord(
  ctx: Ctx,
  ref: ObjectRef,
  body: Record<string, unknown>,
): Promise<ObjectRecord> {
  authorize(ctx, `${CUSTOM_RECORDS}:create`);
  return ctx.tx(async (tx) => {
    const object = await resolveObject(tx, ctx.organizationId, ref);
    const defs = await fieldsOf(tx, ctx.organizationId, object);
    const input = parseBody(body, defs, { partial: false });
    const ownerId = input.ownerId === undefined ? ctx.actor.userId : input.ownerId;
    authorizeCreate(ctx, `${CUSTOM_RECORDS}:create`, ownerId);
    await assertRelations(ctx, tx, defs, input.values, ownerId);
    const name = input.name ?? '';
    const row = await db(tx)
      .insertInto('object_records')
      .values({
        organization_id: ctx.organizationId,
        id: uuidv7(),
        object_id: object.id,
        name,
        owner_id: ownerId,
        data: JSON.stringify(input.values),
        search_text: searchTextOf(name, input.values, defs),
        created_at: ctx.deps.clock.now(),
        updated_at: ctx.deps.clock.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const record = presentRecord(row, defs);
    await recordChanged(ctx, tx, {
      ...changeOf(object, row.id, record),
      verb: 'created',
      diff: fieldDiff(null, auditable(record)),
    });
    if (ownerId) await announceOwner(ctx, tx, object, record, null);
    return record;
  });
}

export async function getObjectRecord(ctx: Ctx, ref: ObjectRef, id: string): Promise<ObjectRecord> {
  return ctx.tx(async (tx) => {
    const object = await resolveObject(tx, ctx.organizationId, ref);
    const row = await loadRecord(ctx, tx, object, id);
    return presentRecord(row, await fieldsOf(tx, ctx.organizationId, object));
  });
}

/** Partly updates a record; `expectedVersion` (If-Match) makes a stale write a 412. */
export async function updateObjectRecord(
  ctx: Ctx,
  ref: ObjectRef,
  id: string,
  body: Record<string, unknown>,
  expectedVersion?: number,
): Promise<ObjectRecord> {
  return ctx.tx(async (tx) => {
    const object = await resolveObject(tx, ctx.organizationId, ref);
    const current = await loadRecord(ctx, tx, object, id, { forUpdate: true });
    authorize(ctx, `${CUSTOM_RECORDS}:update`, { ownerId: current.owner_id });
    assertVersion(expectedVersion, current.version);
    const defs = await fieldsOf(tx, ctx.organizationId, object);
    const input = parseBody(body, defs, { partial: true, current: current.data });
    const ownerChanged = input.ownerId !== undefined && input.ownerId !== current.owner_id;
    if (ownerChanged)
      authorize(ctx, `${CUSTOM_RECORDS}:update`, { ownerId: input.ownerId ?? null });
    const changedValues = Object.fromEntries(
      Object.entries(input.values).filter(
        ([k, v]) => JSON.stringify(v) !== JSON.stringify(current.data[k]),
      ),
    );
    await assertRelations(ctx, tx, defs, changedValues, input.ownerId);
    const name = input.name ?? current.name;
    const row = await db(tx)
      .updateTable('object_records')
      .set({
        name,
        ...(input.ownerId !== undefined ? { owner_id: input.ownerId } : {}),
        data: JSON.stringify(input.values),
        search_text: searchTextOf(name, input.values, defs),
        version: current.version + 1,
        updated_at: ctx.deps.clock.now(),
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = presentRecord(row, defs);
    await recordChanged(ctx, tx, {
      ...changeOf(object, id, after),
      verb: 'updated',
      diff: fieldDiff(auditable(presentRecord(current, defs)), auditable(after)),
    });
    if (ownerChanged) await announceOwner(ctx, tx, object, after, current.owner_id);
    return after;
  });
}

/** Moves a record to the trash (restorable for 30 days). */
export async function deleteObjectRecord(ctx: Ctx, ref: ObjectRef, id: string): Promise<void> {
  await ctx.tx(async (tx) => {
    const object = await resolveObject(tx, ctx.organizationId, ref);
    const current = await loadRecord(ctx, tx, object, id, { forUpdate: true });
    authorize(ctx, `${CUSTOM_RECORDS}:delete`, { ownerId: current.owner_id });
    // Real time and notices route on the owner and the object, so the event names them.
    await moveToTrash(ctx, tx, trashTarget(object), current, {
      id,
      ownerId: current.owner_id,
      object: object.key,
      resource: object.resource,
    });
  });
}

/** Brings a record back from the trash (409 when it is not deleted, 422 once the 30 days are over). */
export async function restoreObjectRecord(
  ctx: Ctx,
  ref: ObjectRef,
  id: string,
): Promise<ObjectRecord> {
  return ctx.tx(async (tx) => {
    const object = await resolveObject(tx, ctx.organizationId, ref);
    const current = await loadRecord(ctx, tx, object, id, {
      forUpdate: true,
      includeDeleted: true,
    });
    authorize(ctx, `${CUSTOM_RECORDS}:delete`, { ownerId: current.owner_id });
    return takeOutOfTrash(
      ctx,
      tx,
      trashTarget(object),
      current,
      async () =>
        presentRecord(
          await loadRecord(ctx, tx, object, id),
          await fieldsOf(tx, ctx.organizationId, object),
        ),
      (record) => ({ [object.key]: record, object: object.key, resource: object.resource }),
    );
  });
}

const trashTarget = (object: CustomObject): TrashTarget => ({
  table: 'object_records',
  key: object.key,
  label: object.labels.singular,
});
