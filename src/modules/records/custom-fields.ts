import { v7 as uuidv7 } from 'uuid';
import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import { sql, withSystem, type Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { findObject } from '../../platform/objects/index.js';
import {
  validateCustomValues,
  type CustomFieldDef,
  type CustomFieldType,
  type ObjectType,
} from './custom-field-types.js';
import type { RecordsTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<RecordsTables>();

function present(r: {
  id: string;
  object_type: string;
  key: string;
  label: string;
  type: string;
  options: unknown;
  required: boolean;
  position: number;
  personal: boolean;
  archived_at: Date | null;
}): CustomFieldDef {
  return {
    id: r.id,
    objectType: r.object_type,
    key: r.key,
    label: r.label,
    type: r.type as CustomFieldType,
    options: r.options ?? null,
    required: r.required,
    position: r.position,
    archived: r.archived_at !== null,
    personal: r.personal,
  };
}

const COLUMNS = [
  'id',
  'object_type',
  'key',
  'label',
  'type',
  'options',
  'required',
  'position',
  'personal',
  'archived_at',
] as const;

/** The live (not archived) custom field definitions of one object type, in display order. */
export async function loadCustomFields(
  tx: Tx,
  organizationId: string,
  objectType: ObjectType,
): Promise<CustomFieldDef[]> {
  const rows = await db(tx)
    .selectFrom('custom_fields')
    .select(COLUMNS)
    .where('organization_id', '=', organizationId)
    .where('object_type', '=', objectType)
    .where('archived_at', 'is', null)
    .orderBy('position')
    .orderBy('key')
    .execute();
  return rows.map(present);
}

/** Lists definitions, archived ones included, optionally of one object type. */
export async function listCustomFields(
  ctx: Ctx,
  objectType?: ObjectType,
): Promise<CustomFieldDef[]> {
  return ctx.tx(async (tx) => {
    let q = db(tx)
      .selectFrom('custom_fields')
      .select(COLUMNS)
      .where('organization_id', '=', ctx.organizationId);
    if (objectType) q = q.where('object_type', '=', objectType);
    return (await q.orderBy('object_type').orderBy('position').orderBy('key').execute()).map(
      present,
    );
  });
}

/** Input to define a custom field. */
export interface CreateCustomFieldInput {
  objectType: ObjectType;
  /** camelCase key used in `customFields` and `filter[custom.key]`. */
  key: string;
  label: string;
  type: CustomFieldType;
  options?: CustomFieldDef['options'];
  required?: boolean;
  position?: number;
  /** Personal data, erased on a GDPR request: only on objects defined as data. */
  personal?: boolean;
}

/**
 * Only an object kept as data erases its records by its field definitions; a module's object
 * declares its personal data in code, where a flag here would promise an erasure that never runs.
 */
function checkPersonal(ctx: Ctx, objectType: string, personal: boolean | undefined): void {
  if (personal && ctx.deps.modules.objects.has(objectType))
    throw errors.validation([
      {
        path: 'personal',
        message: `${objectType} declares its personal data itself; only custom objects' fields can be marked personal`,
      },
    ]);
}

/**
 * The object must exist in the organization and take custom fields; a relation must point at an
 * object that exists. Both are the object catalog's answer, not a list kept here.
 */
async function checkObjects(
  ctx: Ctx,
  tx: Tx,
  objectType: string,
  options: CustomFieldDef['options'] | undefined,
): Promise<void> {
  const object = await findObject(ctx.deps.modules, tx, ctx.organizationId, objectType);
  if (!object?.capabilities.customFields)
    throw errors.validation([
      { path: 'objectType', message: `${objectType} is not an object that takes custom fields` },
    ]);
  const target = options?.objectType;
  if (target && !(await findObject(ctx.deps.modules, tx, ctx.organizationId, target)))
    throw errors.validation([
      { path: 'options.objectType', message: `${target} is not an object of this organization` },
    ]);
}

function checkOptions(type: CustomFieldType, options: CustomFieldDef['options'] | undefined): void {
  if (
    (type === 'select' || type === 'multi_select') &&
    !(options?.choices && options.choices.length > 0)
  ) {
    throw errors.validation([
      { path: 'options.choices', message: `a ${type} field needs at least one choice` },
    ]);
  }
  if (type === 'relation' && !options?.objectType) {
    throw errors.validation([
      {
        path: 'options.objectType',
        message: 'a relation field names the object type it points at',
      },
    ]);
  }
}

/**
 * Defines a custom field and, for the types lists filter and sort on, builds an expression index
 * so `filter[custom.key]` stays fast on large tables.
 */
export async function createCustomField(
  ctx: Ctx,
  input: CreateCustomFieldInput,
): Promise<CustomFieldDef> {
  authorize(ctx, 'settings:update');
  checkOptions(input.type, input.options);
  checkPersonal(ctx, input.objectType, input.personal);
  const def = await ctx.tx(async (tx) => {
    await checkObjects(ctx, tx, input.objectType, input.options);
    const exists = await db(tx)
      .selectFrom('custom_fields')
      .select('id')
      .where('organization_id', '=', ctx.organizationId)
      .where('object_type', '=', input.objectType)
      .where('key', '=', input.key)
      .executeTakeFirst();
    if (exists)
      throw errors.conflict(
        'RECORDS_CUSTOM_FIELD_EXISTS',
        `${input.objectType} already has a field ${input.key}`,
        { path: 'key' },
      );
    const row = await db(tx)
      .insertInto('custom_fields')
      .values({
        organization_id: ctx.organizationId,
        id: uuidv7(),
        object_type: input.objectType,
        key: input.key,
        label: input.label,
        type: input.type,
        options: input.options ? JSON.stringify(input.options) : null,
        required: input.required ?? false,
        personal: input.personal ?? false,
        // A new field goes to the end unless the admin places it.
        position: input.position ?? (await nextPosition(tx, ctx.organizationId, input.objectType)),
      })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    await ctx.audit(tx, {
      action: 'custom_field.created',
      targetType: 'custom_field',
      targetId: row.id,
      diff: { objectType: input.objectType, key: input.key, type: input.type },
    });
    return present(row);
  });
  await ensureCustomFieldIndex(ctx, def);
  return def;
}

async function nextPosition(tx: Tx, organizationId: string, objectType: string): Promise<number> {
  const row = await db(tx)
    .selectFrom('custom_fields')
    .select((eb) => eb.fn.max('position').as('last'))
    .where('organization_id', '=', organizationId)
    .where('object_type', '=', objectType)
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? 0 : Number(row.last) + 1;
}

/**
 * Shared by every organization: the index expression depends only on the key and type. An
 * object defined as data builds its own (its source knows where its records live).
 */
async function ensureCustomFieldIndex(ctx: Ctx, def: CustomFieldDef): Promise<void> {
  const table = ctx.deps.modules.objects.get(def.objectType)?.table;
  if (!table) {
    await ctx.deps.modules.objectSource?.fieldDefined(ctx, def.objectType, def);
    return;
  }
  const kind =
    def.type === 'number' || def.type === 'currency'
      ? 'numeric'
      : def.type === 'boolean'
        ? 'boolean'
        : ['text', 'email', 'phone', 'url', 'select', 'relation'].includes(def.type)
          ? 'text'
          : null;
  if (!kind) return;
  const name = `cf_${table}_${def.key.toLowerCase()}_${kind}`.slice(0, 63);
  const expr =
    kind === 'text'
      ? sql`(custom_fields ->> ${sql.lit(def.key)})`
      : sql`((custom_fields ->> ${sql.lit(def.key)})::${sql.raw(kind)})`;
  // Index DDL needs the owner; the app role deliberately has no such right.
  await withSystem(ctx.deps.database.db, (tx) =>
    sql`create index if not exists ${sql.id(name)} on ${sql.table(table)} (organization_id, ${expr})`.execute(
      tx,
    ),
  );
}

/** What an admin may change on a definition; the key and type are fixed once data exists. */
export interface UpdateCustomFieldInput {
  label?: string;
  options?: CustomFieldDef['options'];
  required?: boolean;
  position?: number;
  archived?: boolean;
  personal?: boolean;
}

export async function updateCustomField(
  ctx: Ctx,
  id: string,
  input: UpdateCustomFieldInput,
): Promise<CustomFieldDef> {
  authorize(ctx, 'settings:update');
  return ctx.tx(async (tx) => {
    const current = await db(tx)
      .selectFrom('custom_fields')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw errors.notFound('Custom field');
    if (input.options !== undefined) checkOptions(current.type as CustomFieldType, input.options);
    checkPersonal(ctx, current.object_type, input.personal);
    const row = await db(tx)
      .updateTable('custom_fields')
      .set({
        ...(input.label !== undefined ? { label: input.label } : {}),
        ...(input.options !== undefined
          ? { options: input.options ? JSON.stringify(input.options) : null }
          : {}),
        ...(input.required !== undefined ? { required: input.required } : {}),
        ...(input.position !== undefined ? { position: input.position } : {}),
        ...(input.personal !== undefined ? { personal: input.personal } : {}),
        ...(input.archived !== undefined
          ? { archived_at: input.archived ? (current.archived_at ?? ctx.deps.clock.now()) : null }
          : {}),
        updated_at: ctx.deps.clock.now(),
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    await ctx.audit(tx, {
      action: 'custom_field.updated',
      targetType: 'custom_field',
      targetId: id,
      diff: { ...input },
    });
    return present(row);
  });
}

/** Deletes a definition; stored values stay in the records' JSON but are no longer shown or validated. */
export async function deleteCustomField(ctx: Ctx, id: string): Promise<void> {
  authorize(ctx, 'settings:update');
  await ctx.tx(async (tx) => {
    const row = await db(tx)
      .deleteFrom('custom_fields')
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .returning(['key', 'object_type'])
      .executeTakeFirst();
    if (!row) throw errors.notFound('Custom field');
    await ctx.audit(tx, {
      action: 'custom_field.deleted',
      targetType: 'custom_field',
      targetId: id,
      diff: { key: row.key, objectType: row.object_type },
    });
  });
}

/**
 * Validates a write's `customFields` against the object's definitions: undefined when there is
 * nothing to store, else the merged, normalized values; a 400 names `customFields.<key>`.
 */
export async function validatedCustomFields(
  ctx: Ctx,
  tx: Tx,
  objectType: ObjectType,
  given: Record<string, unknown> | undefined,
  partial: boolean,
  current?: Record<string, unknown>,
): Promise<Record<string, unknown> | undefined> {
  const defs = await loadCustomFields(tx, ctx.organizationId, objectType);
  if (given === undefined && (partial || defs.every((d) => !d.required))) return undefined;
  const { values, problems } = validateCustomValues(defs, given ?? {}, {
    partial,
    ...(current ? { current } : {}),
  });
  if (problems.length) throw errors.validation(problems);
  return values;
}

/** Removes every field definition of an object that is being removed (its records are gone). */
export async function dropCustomFieldsOf(ctx: Ctx, tx: Tx, objectType: ObjectType): Promise<void> {
  await db(tx)
    .deleteFrom('custom_fields')
    .where('organization_id', '=', ctx.organizationId)
    .where('object_type', '=', objectType)
    .execute();
}
