import type { Expression, Selectable, SqlBool } from 'kysely';
import { authorize, type Actor, type OwnedRecord } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { ownerOrTeamScopeSql } from '../records/index.js';
import type { LeadTable, SalesTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<SalesTables>();
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

/** Loads a lead the actor may read, or throws 404 (another organization's, missing, or in the trash). */
export async function loadLead(
  ctx: Ctx,
  tx: Tx,
  id: string,
  options: { forUpdate?: boolean; includeDeleted?: boolean } = {},
): Promise<LeadRow> {
  let q = db(tx)
    .selectFrom('leads')
    .selectAll()
    .where('organization_id', '=', ctx.organizationId)
    .where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw errors.notFound('Lead');
  authorize(ctx, 'leads:read', guardOf(row));
  if (row.deleted_at && !options.includeDeleted) throw errors.notFound('Lead');
  return row;
}

/** Checks that a team exists in this organization (the foreign key would, but as a 500). */
export { assertTeamExists } from '../records/index.js';
