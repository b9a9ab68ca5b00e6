import type { Expression, Selectable, SqlBool } from 'kysely';
import type { Actor, OwnedRecord } from '../../platform/authz/index.js';
import { ownerOrTeamScopeSql } from '../records/index.js';
import type { LeadTable } from './schema.js';

export type LeadRow = Selectable<LeadTable>;

/** What authorization weighs: the owner and, for leads waiting in a team's queue, the team. */
export const guardOf = (r: { owner_id: string | null; team_id: string | null }): OwnedRecord => ({
  ownerId: r.owner_id,
  teamId: r.team_id,
});

/**
 * The rows `permission` lets the actor see: the owner scope, and with team scope also the leads
 * of the actor's teams, so an unassigned lead in a team's queue is in its members' lists.
 */
export const leadScopeSql = (actor: Actor, permission: string): Expression<SqlBool> =>
  ownerOrTeamScopeSql(actor, permission);

/** Checks that a team exists in this organization (the foreign key would, but as a 500). */
export { assertTeamExists } from '../records/index.js';
