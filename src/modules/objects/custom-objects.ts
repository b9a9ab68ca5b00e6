import { v7 as uuidv7 } from 'uuid';
import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import { sql, type Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import type {
  DataObjectDeclaration,
  ObjectCapabilities,
  ObjectSummary,
} from '../../platform/objects/index.js';
import {
  isUniqueViolation,
  loadCustomFields,
  type CustomFieldDef,
  type CustomFieldType,
} from '../records/index.js';
import type { ObjectsTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<ObjectsTables>();

/** The permission resource every custom object's records are guarded by (Settings → Roles). */
export const CUSTOM_RECORDS = 'custom-records';

/**
 * What an admin's object supports: everything a record type has, merging included. Its timeline is
 * the activities linked to a record (`links` on an activity) and the record's audited changes.
 */
export const CUSTOM_CAPABILITIES: ObjectCapabilities = {
  trash: true,
  merge: true,
  import: true,
  export: true,
  customFields: true,
  workflows: true,
  timeline: true,
};

/** A record type kept in the kernel's storage: an admin's, or one a module declares in code. */
export interface CustomObject {
  id: string;
  key: string;
  resource: string;
  labels: { singular: string; plural: string };
  icon: string | null;
  /** Declared by a module: it cannot be renamed or removed, and its own fields are fixed. */
  builtIn: boolean;
  /** Its records' name is personal data: GDPR export covers it and erasure replaces it. */
  personalName: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The modules' built-in objects in the kernel's storage, and their declared fields. */
let declared: readonly CustomObject[] = [];
let declaredFields = new Map<string, CustomFieldDef[]>();
const EPOCH = new Date(0).toISOString();

/** Makes the modules' declared objects known; the module list calls it at start-up. */
export function installDeclaredObjects(list: readonly DataObjectDeclaration[]): void {
  declared = list.map((d) => ({
    id: d.id,
    key: d.key,
    resource: d.resource,
    labels: d.labels,
    icon: d.icon,
    builtIn: true,
    personalName: false,
    createdAt: EPOCH,
    updatedAt: EPOCH,
  }));
  declaredFields = new Map(
    list.map((d) => [
      d.id,
      d.fields.map((f, i) => ({
        // Declared fields have no definition row an admin could edit.
        id: '',
        objectType: d.key,
        key: f.key,
        label: f.label,
        type: f.type as CustomFieldType,
        options: f.options ?? null,
        required: f.required ?? false,
        position: i,
        archived: false,
        // A module's object declares no personal fields yet; the declaration would say so here.
        personal: false,
      })),
    ]),
  );
}

/** An object's fields: those its module declares, then the admin's custom fields, in order. */
export async function fieldsOf(
  tx: Tx,
  organizationId: string,
  object: CustomObject,
): Promise<CustomFieldDef[]> {
  return [
    ...(declaredFields.get(object.id) ?? []),
    ...(await loadCustomFields(tx, organizationId, object.key)),
  ];
}

const present = (r: {
  id: string;
  key: string;
  resource: string;
  singular: string;
  plural: string;
  icon: string | null;
  personal_name: boolean;
  created_at: Date;
  updated_at: Date;
}): CustomObject => ({
  id: r.id,
  key: r.key,
  resource: r.resource,
  labels: { singular: r.singular, plural: r.plural },
  icon: r.icon,
  builtIn: false,
  personalName: r.personal_name,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** The objects in the kernel's storage: the modules' built-in ones, then the organization's, oldest first. */
export async function loadCustomObjects(tx: Tx, organizationId: string): Promise<CustomObject[]> {
  const rows = await db(tx)
    .selectFrom('custom_objects')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return [...declared, ...rows.map(present)];
}

/** One custom object by its key or its REST resource; 404 when the organization has none. */
export async function findCustomObject(
  tx: Tx,
  organizationId: string,
  by: { key: string } | { resource: string },
): Promise<CustomObject> {
  const builtIn = declared.find((o) =>
    'key' in by ? o.key === by.key : o.resource === by.resource,
  );
  if (builtIn) return builtIn;
  let q = db(tx)
    .selectFrom('custom_objects')
    .selectAll()
    .where('organization_id', '=', organizationId);
  q = 'key' in by ? q.where('key', '=', by.key) : q.where('resource', '=', by.resource);
  const row = await q.executeTakeFirst();
  if (!row) throw errors.notFound('Object');
  return present(row);
}

/** An object as callers name it: already resolved, or by its key or REST resource. */
export type ObjectRef = CustomObject | { key: string } | { resource: string };

/** The object a reference names (404 when the organization has none), inside the caller's transaction. */
export const resolveObject = (
  tx: Tx,
  organizationId: string,
  ref: ObjectRef,
): Promise<CustomObject> =>
  'id' in ref ? Promise.resolve(ref) : findCustomObject(tx, organizationId, ref);

export const summaryOf = (o: CustomObject): ObjectSummary => ({
  key: o.key,
  resource: o.resource,
  labels: o.labels,
  permission: CUSTOM_RECORDS,
  capabilities: CUSTOM_CAPABILITIES,
  custom: !o.builtIn,
});

/** Built-in objects are the code's: an admin renames or removes only their own. */
function assertOwn(object: CustomObject): void {
  if (object.builtIn)
    throw errors.conflict(
      'OBJECT_BUILT_IN',
      `${object.labels.plural} is a built-in object; add custom fields to it instead`,
    );
}

/** Path segments under /api/v1 that are not record collections; a custom object may not take one. */
const RESERVED_RESOURCES = new Set([
  'auth',
  'objects',
  'custom-fields',
  'imports',
  'search',
  'views',
  'bulk-operations',
  'merges',
  'me',
  'mailbox',
  'notifications',
  'settings',
  'organization',
  'organizations',
  'exchange-rates',
  'forms',
  'trash',
  'export',
]);

/** "Support cases" → "support-cases". */
export const resourceOf = (plural: string): string =>
  plural
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^(\d)/, 'o-$1')
    .slice(0, 60);

export interface DefineObjectInput {
  key: string;
  labels: { singular: string; plural: string };
  resource?: string;
  icon?: string | null;
  /** Its records' name is personal data (by default it is not). */
  personalName?: boolean;
}

/**
 * Checks that neither the key nor the resource is taken by a built-in object, a route of the API
 * or another custom object (409 naming the field).
 */
async function assertFree(ctx: Ctx, tx: Tx, key: string, resource: string): Promise<void> {
  const builtIn = [...ctx.deps.modules.objects.values()];
  const catalog = new Set(ctx.deps.modules.permissions.map((p) => p.resource));
  if (
    builtIn.some((o) => o.key === key) ||
    declared.some((o) => o.key === key) ||
    key === 'user' ||
    key === 'team'
  )
    throw errors.conflict('OBJECT_KEY_TAKEN', `${key} is a built-in object`, { path: 'key' });
  if (
    builtIn.some((o) => o.resource === resource) ||
    declared.some((o) => o.resource === resource) ||
    catalog.has(resource) ||
    RESERVED_RESOURCES.has(resource)
  )
    throw errors.conflict('OBJECT_RESOURCE_TAKEN', `/api/v1/${resource} is taken`, {
      path: 'resource',
    });
  const clash = await db(tx)
    .selectFrom('custom_objects')
    .select(['key', 'resource'])
    .where('organization_id', '=', ctx.organizationId)
    .where((eb) => eb.or([eb('key', '=', key), eb('resource', '=', resource)]))
    .executeTakeFirst();
  if (clash?.key === key)
    throw errors.conflict('OBJECT_KEY_TAKEN', `an object ${key} exists`, { path: 'key' });
  if (clash)
    throw errors.conflict('OBJECT_RESOURCE_TAKEN', `/api/v1/${resource} is taken`, {
      path: 'resource',
    });
}

/** Defines a custom object (its fields are then custom fields of its key). Admin settings only. */
export async function defineCustomObject(
  ctx: Ctx,
  input: DefineObjectInput,
): Promise<CustomObject> {
  authorize(ctx, 'settings:update');
  const resource = input.resource ?? resourceOf(input.labels.plural);
  if (!/^[a-z][a-z0-9-]{1,62}$/.test(resource))
    throw errors.validation([
      {
        path: 'resource',
        message: 'must be lower-case letters, digits and -, starting with a letter',
      },
    ]);
  try {
    return await ctx.tx(async (tx) => {
      await assertFree(ctx, tx, input.key, resource);
      const row = await db(tx)
        .insertInto('custom_objects')
        .values({
          organization_id: ctx.organizationId,
          id: uuidv7(),
          key: input.key,
          resource,
          singular: input.labels.singular,
          plural: input.labels.plural,
          icon: input.icon ?? null,
          personal_name: input.personalName ?? false,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await ctx.audit(tx, {
        action: 'object.defined',
        targetType: 'custom_object',
        targetId: row.id,
        diff: {
          key: input.key,
          resource,
          labels: input.labels,
          ...(input.personalName ? { personalName: true } : {}),
        },
      });
      return present(row);
    });
  } catch (err) {
    // Two admins defining one key at once: the loser hears what a sequential second one would.
    if (isUniqueViolation(err))
      throw errors.conflict('OBJECT_KEY_TAKEN', `an object ${input.key} exists`, { path: 'key' });
    throw err;
  }
}

/** Renames an object or changes its icon; its key and resource stay, as links and URLs use them. */
export async function updateCustomObject(
  ctx: Ctx,
  key: string,
  input: {
    labels?: { singular: string; plural: string };
    icon?: string | null;
    personalName?: boolean;
  },
): Promise<CustomObject> {
  authorize(ctx, 'settings:update');
  return ctx.tx(async (tx) => {
    const current = await findCustomObject(tx, ctx.organizationId, { key });
    assertOwn(current);
    const row = await db(tx)
      .updateTable('custom_objects')
      .set({
        ...(input.labels ? { singular: input.labels.singular, plural: input.labels.plural } : {}),
        ...(input.icon !== undefined ? { icon: input.icon } : {}),
        ...(input.personalName !== undefined ? { personal_name: input.personalName } : {}),
        updated_at: ctx.deps.clock.now(),
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await ctx.audit(tx, {
      action: 'object.updated',
      targetType: 'custom_object',
      targetId: current.id,
      diff: { ...input },
    });
    return present(row);
  });
}

/**
 * Removes an object that holds no records (not even in the trash): 409 otherwise, so nothing a
 * user saved disappears with a definition. Its field definitions go with it.
 */
export async function removeCustomObject(
  ctx: Ctx,
  key: string,
  dropFields: (tx: Tx) => Promise<void>,
): Promise<void> {
  authorize(ctx, 'settings:update');
  await ctx.tx(async (tx) => {
    const current = await findCustomObject(tx, ctx.organizationId, { key });
    assertOwn(current);
    const held = await sql<{ n: number }>`select count(*)::int as n from object_records
      where organization_id = ${ctx.organizationId} and object_id = ${current.id}`.execute(tx);
    const n = held.rows[0]?.n ?? 0;
    if (n > 0)
      throw errors.conflict(
        'OBJECT_HAS_RECORDS',
        `${current.labels.plural} still holds ${n} record(s); delete them and empty the trash first`,
      );
    await dropFields(tx);
    await db(tx)
      .deleteFrom('custom_objects')
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', current.id)
      .execute();
    await ctx.audit(tx, {
      action: 'object.removed',
      targetType: 'custom_object',
      targetId: current.id,
      diff: { key },
    });
  });
}
