import type { Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../platform/context/index.js';
import { findObject } from '../../platform/objects/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import type { RecordsTables, SavedViewTable } from './schema.js';
import {
  assertMayShare,
  canChangeView,
  canSeeView,
  isViewAdmin,
  requestedVisibility,
  type ViewVisibility,
} from './view-access.js';

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
  /** Who sees it: its owner, the members of `teamId`, or the whole organization. */
  visibility: ViewVisibility;
  /** The team a team view is shared with; null otherwise (or once that team is deleted). */
  teamId: string | null;
  /** Older spelling of `visibility === 'everyone'`, kept for clients that read it. */
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
  visibility?: ViewVisibility;
  teamId?: string | null;
  /** Older spelling: true shares with everyone, false makes the view private. */
  shared?: boolean;
}

const present = (r: ViewRow): SavedView => ({
  id: r.id,
  objectType: r.object_type,
  name: r.name,
  filters: r.filters,
  sort: r.sort,
  columns: r.columns,
  visibility: r.visibility,
  teamId: r.team_id,
  shared: r.visibility === 'everyone',
  ownerId: r.owner_id,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

function requireUser(ctx: Ctx): string {
  if (!ctx.actor.userId) throw errors.forbidden('Saved views belong to users');
  return ctx.actor.userId;
}

/** The actor's own views, their teams' and everyone's, for one object type or all. */
export async function listViews(ctx: Ctx, objectType?: string): Promise<SavedView[]> {
  const userId = requireUser(ctx);
  const teamIds = ctx.actor.teamIds;
  return ctx.tx(async (tx) => {
    let q = db(tx)
      .selectFrom('saved_views')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .where((eb) =>
        eb.or([
          eb('owner_id', '=', userId),
          eb('visibility', '=', 'everyone'),
          ...(teamIds.length
            ? [eb.and([eb('visibility', '=', 'team'), eb('team_id', 'in', teamIds)])]
            : []),
        ]),
      );
    if (objectType) q = q.where('object_type', '=', objectType);
    return (await q.orderBy('name').execute()).map(present);
  });
}

export async function createView(
  ctx: Ctx,
  input: Required<Pick<SavedViewInput, 'objectType' | 'name'>> & SavedViewInput,
): Promise<SavedView> {
  const userId = requireUser(ctx);
  const sharing = requestedVisibility(input) ?? { visibility: 'private', teamId: null };
  return ctx.tx(async (tx) => {
    // Any object of the organization has views, an admin's included; the catalog says which exist.
    if (!(await findObject(ctx.deps.modules, tx, ctx.organizationId, input.objectType)))
      throw errors.validation([
        {
          path: 'objectType',
          message: `${input.objectType} is not an object of this organization`,
        },
      ]);
    await assertMayShare(ctx, tx, input.objectType, sharing.visibility, sharing.teamId);
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
        visibility: sharing.visibility,
        team_id: sharing.teamId,
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

/** A view the actor may change: 404 when they cannot see it, 403 when they only see it. */
async function loadChangeableView(ctx: Ctx, tx: Tx, id: string): Promise<ViewRow> {
  requireUser(ctx);
  const row = await db(tx)
    .selectFrom('saved_views')
    .selectAll()
    .where('organization_id', '=', ctx.organizationId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  // Admins manage every shared view, so they reach other teams' views by id too.
  const reachable =
    row && (canSeeView(ctx, row) || (isViewAdmin(ctx) && row.visibility !== 'private'));
  if (!row || !reachable) throw errors.notFound('View');
  if (!(await canChangeView(ctx, tx, row)))
    throw errors.forbidden("Only the view's owner, its team's editors or an admin change it");
  return row;
}

export async function updateView(ctx: Ctx, id: string, input: SavedViewInput): Promise<SavedView> {
  return ctx.tx(async (tx) => {
    const current = await loadChangeableView(ctx, tx, id);
    const sharing = requestedVisibility(input, {
      visibility: current.visibility,
      teamId: current.team_id,
    });
    if (sharing) {
      // Team members edit what a team view shows; whom it is shared with is its owner's call.
      if (current.owner_id !== ctx.actor.userId && !isViewAdmin(ctx))
        throw errors.forbidden("Only the view's owner or an admin changes whom it is shared with");
      await assertMayShare(ctx, tx, current.object_type, sharing.visibility, sharing.teamId);
    }
    const row = await db(tx)
      .updateTable('saved_views')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.filters !== undefined ? { filters: JSON.stringify(input.filters) } : {}),
        ...(input.sort !== undefined ? { sort: input.sort } : {}),
        ...(input.columns !== undefined ? { columns: input.columns } : {}),
        ...(sharing ? { visibility: sharing.visibility, team_id: sharing.teamId } : {}),
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
    await loadChangeableView(ctx, tx, id);
    await db(tx)
      .deleteFrom('saved_views')
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .execute();
    await ctx.audit(tx, { action: 'view.deleted', targetType: 'view', targetId: id, diff: null });
  });
}
