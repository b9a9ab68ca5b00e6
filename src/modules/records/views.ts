import type { Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { can } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import { findObject } from '../../platform/objects/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import type { RecordsTables, SavedViewTable } from './schema.js';

const db = (tx: Tx) => tx.withTables<RecordsTables>();
type ViewRow = Selectable<SavedViewTable>;

/** A saved list view: which records (filters), in which order, with which columns. */
export interface SavedView {
  id: string;
  objectType: string;
  name: string;
  /** Query parameters as a list takes them: `{ "filter[status]": "LEAD", "q": "acme" }`. */
  filters: Record<string, string>;
  sort: string | null;
  columns: string[];
  /** Shared views are visible to the whole organization; personal ones to their owner. */
  shared: boolean;
  ownerId: string;
  createdAt: string;
  updatedAt: string;
}

export interface SavedViewInput {
  objectType?: string;
  name?: string;
  filters?: Record<string, string>;
  sort?: string | null;
  columns?: string[];
  shared?: boolean;
}

const present = (r: ViewRow): SavedView => ({
  id: r.id,
  objectType: r.object_type,
  name: r.name,
  filters: r.filters,
  sort: r.sort,
  columns: r.columns,
  shared: r.shared,
  ownerId: r.owner_id,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

function requireUser(ctx: Ctx): string {
  if (!ctx.actor.userId) throw errors.forbidden('Saved views belong to users');
  return ctx.actor.userId;
}

/** Personal views of the actor plus every shared view, for one object type or all. */
export async function listViews(ctx: Ctx, objectType?: string): Promise<SavedView[]> {
  const userId = requireUser(ctx);
  return ctx.tx(async (tx) => {
    let q = db(tx)
      .selectFrom('saved_views')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .where((eb) => eb.or([eb('shared', '=', true), eb('owner_id', '=', userId)]));
    if (objectType) q = q.where('object_type', '=', objectType);
    return (await q.orderBy('name').execute()).map(present);
  });
}

export async function createView(
  ctx: Ctx,
  input: Required<Pick<SavedViewInput, 'objectType' | 'name'>> & SavedViewInput,
): Promise<SavedView> {
  const userId = requireUser(ctx);
  if (input.shared && !can(ctx.actor, 'settings:update'))
    throw errors.forbidden('Only admins share views with everyone (settings:update)');
  return ctx.tx(async (tx) => {
    // Any object of the organization has views, an admin's included; the catalog says which exist.
    if (!(await findObject(ctx.deps.modules, tx, ctx.organizationId, input.objectType)))
      throw errors.validation([
        {
          path: 'objectType',
          message: `${input.objectType} is not an object of this organization`,
        },
      ]);
    const row = await db(tx)
      .insertInto('saved_views')
      .values({
        organization_id: ctx.organizationId,
        id: uuidv7(),
        object_type: input.objectType,
        name: input.name,
        filters: JSON.stringify(input.filters ?? {}),
        sort: input.sort ?? null,
        columns: input.columns ?? [],
        shared: input.shared ?? false,
        owner_id: userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await ctx.audit(tx, {
      action: 'view.created',
      targetType: 'view',
      targetId: row.id,
      diff: { name: { from: null, to: row.name } },
    });
    return present(row);
  });
}

async function loadOwnView(ctx: Ctx, tx: Tx, id: string): Promise<ViewRow> {
  const userId = requireUser(ctx);
  const row = await db(tx)
    .selectFrom('saved_views')
    .selectAll()
    .where('organization_id', '=', ctx.organizationId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row || (!row.shared && row.owner_id !== userId)) throw errors.notFound('View');
  if (row.owner_id !== userId && !can(ctx.actor, 'settings:update'))
    throw errors.forbidden('Only the owner or an admin changes a shared view');
  return row;
}

export async function updateView(ctx: Ctx, id: string, input: SavedViewInput): Promise<SavedView> {
  if (input.shared && !can(ctx.actor, 'settings:update'))
    throw errors.forbidden('Only admins share views with everyone (settings:update)');
  return ctx.tx(async (tx) => {
    await loadOwnView(ctx, tx, id);
    const row = await db(tx)
      .updateTable('saved_views')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.filters !== undefined ? { filters: JSON.stringify(input.filters) } : {}),
        ...(input.sort !== undefined ? { sort: input.sort } : {}),
        ...(input.columns !== undefined ? { columns: input.columns } : {}),
        ...(input.shared !== undefined ? { shared: input.shared } : {}),
        updated_at: new Date(),
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await ctx.audit(tx, {
      action: 'view.updated',
      targetType: 'view',
      targetId: id,
      diff: { ...input },
    });
    return present(row);
  });
}

export async function deleteView(ctx: Ctx, id: string): Promise<void> {
  await ctx.tx(async (tx) => {
    await loadOwnView(ctx, tx, id);
    await db(tx)
      .deleteFrom('saved_views')
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .execute();
    await ctx.audit(tx, { action: 'view.deleted', targetType: 'view', targetId: id, diff: null });
  });
}
