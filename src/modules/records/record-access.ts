import { sql, type Expression, type SqlBool } from 'kysely';
import {
  authorize,
  decide,
  ownerFilter,
  type Actor,
  type OwnedRecord,
} from '../../platform/authz/index.js';
import { systemActor, type Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { DomainError, errors } from '../../platform/errors/index.js';
import { assertReferences } from '../../platform/references/index.js';

/** Days a deleted record stays restorable before the purge job removes it. */

/** The owner condition a list applies for `permission` (own/team/all), as SQL on `owner_id`. */
export function ownerScopeSql(
  actor: Actor,
  permission: string,
  column = 'owner_id',
): Expression<SqlBool> {
  const f = ownerFilter(actor, permission);
  if (f.kind === 'all') return sql<SqlBool>`true`;
  if (f.kind === 'none' || f.userIds.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`${sql.ref(column)} in (${sql.join(f.userIds.map((id) => sql`${id}::uuid`))})`;
}

/**
 * The rows `permission` lets the actor see, for records that wait in a team's queue (leads,
 * tickets): the owner scope, and with team scope also the records of the actor's teams — the
 * rule `decide()` applies to one record with a `teamId`, so an unassigned record in a team's
 * queue is in its members' lists as well as readable by id.
 */
export function ownerOrTeamScopeSql(
  actor: Actor,
  permission: string,
  ownerColumn = 'owner_id',
  teamColumn = 'team_id',
): Expression<SqlBool> {
  const byOwner = ownerScopeSql(actor, permission, ownerColumn);
  if (
    actor.type === 'system' ||
    actor.grants.get(permission) !== 'team' ||
    actor.teamIds.length === 0
  )
    return byOwner;
  return sql<SqlBool>`(${byOwner} or ${sql.ref(teamColumn)} in (${sql.join(actor.teamIds.map((id) => sql`${id}::uuid`))}))`;
}

/** Creating a record owned by someone outside the actor's scope is a 403 (there is nothing to hide). */
export function authorizeCreate(ctx: Ctx, permission: string, ownerId: string | null): void {
  const d = decide(ctx.actor, permission, { ownerId });
  if (!d.allowed)
    throw new DomainError(
      'forbidden',
      'FORBIDDEN',
      `You may not create records owned by that user (${permission}: ${d.reason})`,
      { details: { permission } },
    );
}

const isGuardList = (g: OwnedRecord | readonly OwnedRecord[]): g is readonly OwnedRecord[] =>
  Array.isArray(g);

/**
 * Like `authorize`, for a record several people stand behind (an activity's owner and assignee):
 * any of them within the actor's scope grants `permission`. Otherwise 403 when the actor may read
 * the record through one of them, else 404 — `authorize`'s rule, so one guard answers the same.
 */
export function authorizeAnyOf(
  ctx: { actor: Actor },
  permission: string,
  guards: OwnedRecord | readonly OwnedRecord[],
): void {
  const list = isGuardList(guards) ? guards : [guards];
  if (list.some((g) => decide(ctx.actor, permission, g).allowed)) return;
  const read = `${permission.split(':')[0] ?? ''}:read`;
  const readable = list.find((g) => decide(ctx.actor, read, g).allowed);
  authorize(ctx, permission, readable ?? list[0] ?? { ownerId: null });
}

/** Throws 412 when the client's `If-Match` version is stale. */
export function assertVersion(expected: number | undefined, actual: number): void {
  if (expected !== undefined && expected !== actual) throw errors.staleVersion();
}

/** Checks that a user id belongs to this organization (422 naming `path` otherwise); a shorthand of assertReferences. */
export async function assertUserExists(
  tx: Tx,
  organizationId: string,
  userId: string,
  path: string,
): Promise<void> {
  // Users are a directory, visible to every actor of the organization: the system actor decides the same.
  await assertReferences({ organizationId, actor: systemActor(organizationId) }, tx, [
    { field: path, kind: 'user', id: userId },
  ]);
}

/** Checks that a team exists in this organization (422 naming `path` otherwise); a shorthand of assertReferences. */
export async function assertTeamExists(
  tx: Tx,
  organizationId: string,
  teamId: string,
  path: string,
): Promise<void> {
  await assertReferences({ organizationId, actor: systemActor(organizationId) }, tx, [
    { field: path, kind: 'team', id: teamId },
  ]);
}

/** One parser of `If-Match` for every route; records' routes reach it from here. */
export { parseIfMatch } from '../../platform/http/index.js';
