import type { Expression, Selectable, SqlBool } from 'kysely';
import { decide, type Actor, type OwnedRecord } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import { ownerOrTeamScopeSql } from '../records/index.js';
import { ticketOutOfScope } from './errors.js';
import type { TicketTable } from './schema.js';

export type TicketRow = Selectable<TicketTable>;

/** What authorization weighs: the assignee and, for tickets waiting in a team's queue, the team. */
export const guardOf = (r: { owner_id: string | null; team_id: string | null }): OwnedRecord => ({
  ownerId: r.owner_id,
  teamId: r.team_id,
});

/** The tickets `permission` lets the actor see, as SQL: assigned to them (or their team's members), or in their teams' queues. */
export const ticketScopeSql = (actor: Actor, permission: string): Expression<SqlBool> =>
  ownerOrTeamScopeSql(actor, permission);

/**
 * A ticket may be created with (or moved to) an assignee and team only when the actor's scope of
 * `permission` covers them — otherwise an agent could hand work to a stranger, or create a ticket
 * they themselves can no longer see.
 */
export function authorizePlacement(ctx: Ctx, permission: string, placement: OwnedRecord): void {
  const d = decide(ctx.actor, permission, placement);
  if (!d.allowed) throw ticketOutOfScope(permission, d.reason);
}
