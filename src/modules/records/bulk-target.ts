import { z } from 'zod';
import type { Ctx } from '../../platform/context/index.js';
import { errors } from '../../platform/errors/index.js';
import {
  bulkOfDefinition,
  type BulkDescription,
  type ObjectLifecycle,
} from '../../platform/objects/index.js';

/**
 * An object as bulk actions see it, resolved from the object registry by key — a module's
 * declaration or an organization's object defined as data — so bulk keeps no list of types.
 */
export interface BulkTarget {
  /** The object's key, kept on the operation (`deal`, a custom object's key). */
  key: string;
  /** Its plural label, for messages. */
  plural: string;
  /** The permission resource guarding its records (`deals`, `custom-records`). */
  permission: string;
  /** Its records through its module's services: their rules, audit and events apply per record. */
  lifecycle: ObjectLifecycle;
  /** Its list, through which a selection by filter is walked (scope, filters and `q` as the list's). */
  list: NonNullable<ObjectLifecycle['list']>;
  /** The body of its PATCH, which each record's change is parsed with before its update runs. */
  updateBody: z.ZodType;
  /** What a bulk action may do to it. */
  bulk: BulkDescription;
}

/** The object by key, or 404 when it is unknown to the organization or takes no bulk actions. */
export async function bulkTargetOf(ctx: Ctx, key: string): Promise<BulkTarget> {
  const def = ctx.deps.modules.objects.get(key);
  if (def) {
    const bulk = bulkOfDefinition(def);
    const lifecycle = def.lifecycle;
    const list = lifecycle?.list;
    if (!bulk || !lifecycle || !list) throw errors.notFound('Object');
    const { resource, updateBody } = def;
    return {
      key,
      plural: def.labels.plural,
      permission: resource,
      lifecycle,
      list,
      updateBody,
      bulk,
    };
  }
  const source = ctx.deps.modules.objectSource;
  if (!source) throw errors.notFound('Object');
  const described = await ctx.tx((tx) => source.describe(tx, ctx.organizationId, key));
  if (!described?.bulk) throw errors.notFound('Object');
  const lifecycle = source.lifecycle(key);
  const list = lifecycle.list;
  if (!list) throw errors.notFound('Object');
  return {
    key,
    plural: described.labels.plural,
    permission: described.permission,
    lifecycle,
    list,
    updateBody: source.recordBody,
    bulk: described.bulk,
  };
}

/** The action's field and tags checked against the object, once before any record is touched. */
export function assertBulkAction(
  target: BulkTarget,
  action: { action: string; field?: string },
): void {
  if (action.action === 'update' && !target.bulk.fields.includes(action.field ?? ''))
    throw errors.validation([
      {
        path: 'field',
        message: `${target.plural} have no field "${action.field ?? ''}" that can be set in bulk (${target.bulk.fields.join(', ')})`,
      },
    ]);
  if ((action.action === 'add_tag' || action.action === 'remove_tag') && !target.bulk.tags)
    throw errors.validation([{ path: 'action', message: `${target.plural} have no tags` }]);
}

const tagged = z.object({ tags: z.array(z.string()) });

/** A record's tags as its API shape has them (none when it has none). */
export const tagsOf = (record: unknown): string[] => tagged.safeParse(record).data?.tags ?? [];

/** A change parsed like the object's PATCH body, every problem named by its field. */
export function parseChange(target: BulkTarget, input: Record<string, unknown>): unknown {
  const parsed = target.updateBody.safeParse(input);
  if (parsed.success) return parsed.data;
  throw errors.validation(
    parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  );
}
