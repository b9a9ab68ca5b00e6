import { decide } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import {
  assertReferences,
  referenceKinds,
  unknownReferenceMessage,
  unknownReferences,
  type Reference,
  type ReferenceCtx,
} from '../../platform/references/index.js';
import type { CustomFieldDef } from '../records/index.js';
import { CUSTOM_RECORDS, loadCustomObjects, type CustomObject } from './custom-objects.js';
import type { ObjectsTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<ObjectsTables>();

/** The ids a relation value holds, each with the path a problem is named by. */
function idsOf(def: CustomFieldDef, value: unknown): Array<{ field: string; id: string }> {
  if (typeof value === 'string') return [{ field: def.key, id: value }];
  if (Array.isArray(value))
    return value.flatMap((id, i) =>
      typeof id === 'string' ? [{ field: `${def.key}.${i}`, id }] : [],
    );
  return [];
}

/**
 * Checks every link a record's values make (and its owner): a built-in target through its
 * module's reference checker, a custom object's through its records — same organization, not in
 * the trash, readable by the actor. One 422 names every bad field.
 */
export async function assertRelations(
  ctx: Ctx,
  tx: Tx,
  defs: readonly CustomFieldDef[],
  values: Record<string, unknown>,
  ownerId: string | null | undefined,
): Promise<void> {
  const builtIn = new Set(referenceKinds());
  const references: Reference[] = [{ field: 'ownerId', kind: 'user', id: ownerId }];
  const custom = new Map<string, Array<{ field: string; id: string }>>();
  for (const def of defs) {
    const target = def.options?.objectType;
    if (def.type !== 'relation' || !target || values[def.key] === undefined) continue;
    for (const ref of idsOf(def, values[def.key])) {
      if (builtIn.has(target)) references.push({ ...ref, kind: target });
      else custom.set(target, [...(custom.get(target) ?? []), ref]);
    }
  }
  await assertReferences(ctx, tx, references);
  if (custom.size === 0) return;
  const objects = new Map((await loadCustomObjects(tx, ctx.organizationId)).map((o) => [o.key, o]));
  const problems: Array<{ path: string; message: string }> = [];
  for (const [key, refs] of custom) {
    const object = objects.get(key);
    const visible = object
      ? await visibleRecordIds(
          ctx,
          tx,
          object,
          refs.map((r) => r.id),
        )
      : new Set<string>();
    for (const ref of refs)
      if (!visible.has(ref.id))
        problems.push({
          path: ref.field,
          message: unknownReferenceMessage(object?.labels.singular.toLowerCase() ?? key),
        });
  }
  if (problems.length) throw unknownReferences(problems);
}

/** Which of `ids` are live records of the object that the actor may read (owner scope). */
export async function visibleRecordIds(
  ctx: ReferenceCtx,
  tx: Tx,
  object: CustomObject,
  ids: readonly string[],
): Promise<ReadonlySet<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db(tx)
    .selectFrom('object_records')
    .select(['id', 'owner_id'])
    .where('organization_id', '=', ctx.organizationId)
    .where('object_id', '=', object.id)
    .where('id', 'in', [...new Set(ids)])
    .where('deleted_at', 'is', null)
    .where('merged_into', 'is', null)
    .execute();
  return new Set(
    rows
      .filter((r) => decide(ctx.actor, `${CUSTOM_RECORDS}:read`, { ownerId: r.owner_id }).allowed)
      .map((r) => r.id),
  );
}
