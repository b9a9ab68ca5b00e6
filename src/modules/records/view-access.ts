import { can } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { findObject } from '../../platform/objects/index.js';
import { assertReferences } from '../../platform/references/index.js';

/**
 * Who sees and who changes a saved view (issue 13). A view is private (its owner's), shared with one
 * team, or shared with everyone in the organization:
 *
 * - anyone saves private views;
 * - a team view is saved by a member of that team who may update the view's object, or by an admin;
 * - an everyone view is saved by an admin (`settings:update`), as shared views always were.
 *
 * Team membership is the actor's, as identity resolved it at sign-in (`actor.teamIds`), so this
 * module never reads identity's tables.
 */
export type ViewVisibility = 'private' | 'team' | 'everyone';

/** Admins manage every shared view. */
export const isViewAdmin = (ctx: Ctx) => can(ctx.actor, 'settings:update');

/** Whether the actor works with the team's views: a member who may update the view's object. */
async function isTeamEditor(
  ctx: Ctx,
  tx: Tx,
  objectType: string,
  teamId: string | null,
): Promise<boolean> {
  if (!teamId || !ctx.actor.teamIds.includes(teamId)) return false;
  const object = await findObject(ctx.deps.modules, tx, ctx.organizationId, objectType);
  return object !== undefined && can(ctx.actor, `${object.permission}:update`);
}

/** Refuses (403) a visibility the actor may not give a view of `objectType`; 422 for an unknown team. */
export async function assertMayShare(
  ctx: Ctx,
  tx: Tx,
  objectType: string,
  visibility: ViewVisibility,
  teamId: string | null,
): Promise<void> {
  if (visibility === 'everyone' && !isViewAdmin(ctx))
    throw errors.forbidden('Only admins share views with everyone (settings:update)');
  if (visibility !== 'team') return;
  if (isViewAdmin(ctx)) {
    await assertReferences(ctx, tx, [{ field: 'teamId', kind: 'team', id: teamId }]);
    return;
  }
  if (!(await isTeamEditor(ctx, tx, objectType, teamId)))
    throw errors.forbidden(
      "Only the team's members who may update these records (or admins) share views with it",
    );
}

/** The stored row's parts the rules look at. */
export interface ViewAccessRow {
  owner_id: string;
  object_type: string;
  visibility: ViewVisibility;
  team_id: string | null;
}

/** Whether the actor sees the view: their own, their teams', everyone's. */
export function canSeeView(ctx: Ctx, row: ViewAccessRow): boolean {
  return (
    row.owner_id === ctx.actor.userId ||
    row.visibility === 'everyone' ||
    (row.visibility === 'team' && row.team_id !== null && ctx.actor.teamIds.includes(row.team_id))
  );
}

/**
 * Whether the actor may edit the view's name, filters, sort and columns or delete it: its owner,
 * an admin, or — for a team view — the team's members who may update its records.
 */
export async function canChangeView(ctx: Ctx, tx: Tx, row: ViewAccessRow): Promise<boolean> {
  if (row.owner_id === ctx.actor.userId || isViewAdmin(ctx)) return true;
  return row.visibility === 'team' && isTeamEditor(ctx, tx, row.object_type, row.team_id);
}

/**
 * The visibility and team a body asks for. `shared` is the older spelling (true = everyone, false
 * = private) and keeps working alone; given with `visibility`, the two must agree. Null when the
 * body asks for no change.
 */
export function requestedVisibility(
  input: { visibility?: ViewVisibility; teamId?: string | null; shared?: boolean },
  current?: { visibility: ViewVisibility; teamId: string | null },
): { visibility: ViewVisibility; teamId: string | null } | null {
  const fromShared =
    input.shared === undefined ? undefined : input.shared ? 'everyone' : ('private' as const);
  if (input.visibility && fromShared && (input.visibility === 'everyone') !== input.shared)
    throw errors.validation([
      { path: 'shared', message: `contradicts visibility ${input.visibility}` },
    ]);
  const visibility = input.visibility ?? fromShared;
  if (visibility === undefined) {
    if (input.teamId === undefined) return null;
    if (current?.visibility !== 'team')
      throw errors.validation([{ path: 'teamId', message: 'only a team view names a team' }]);
  }
  const next = visibility ?? 'team';
  if (next !== 'team') {
    if (input.teamId)
      throw errors.validation([{ path: 'teamId', message: 'only a team view names a team' }]);
    return { visibility: next, teamId: null };
  }
  const teamId = input.teamId ?? (current?.visibility === 'team' ? current.teamId : null) ?? null;
  if (!teamId)
    throw errors.validation([{ path: 'teamId', message: 'is required for a team view' }]);
  return { visibility: 'team', teamId };
}
