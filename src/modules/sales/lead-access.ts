import { sql, type Expression, type Selectable, type SqlBool } from 'kysely';
import { authorize, type Actor, type OwnedRecord } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { ownerScopeSql } from '../records/index.js';
import type { LeadTable, SalesTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<SalesTables>();
export type LeadRow = Selectable<LeadTable>;

/** What authorization weighs: the owner and, for leads waiting in a team's queue, the team. */
export const guardOf = (r: { owner_id: string | null; team_id: string | null }): OwnedRecord => ({ ownerId: r.owner_id, teamId: r.team_id });

/**
 * The rows `permission` lets the actor see, as SQL: the owner scope records use, and with team
 * scope also the leads of the actor's teams — the same rule `decide()` applies to one lead, so an
 * unassigned lead in a team's queue is in its members' lists as well as readable by id.
 */
export function leadScopeSql(actor: Actor, permission: string): Expression<SqlBool> {
  const byOwner = ownerScopeSql(actor, permission, 'owner_id');
  if (actor.type === 'system' || actor.grants.get(permission) !== 'team' || actor.teamIds.length === 0) return byOwner;
  return sql<SqlBool>`(${byOwner} or team_id in (${sql.join(actor.teamIds.map((id) => sql`${id}::uuid`))}))`;
}

/** Loads a lead the actor may read, or throws 404 (another organization's, missing, or in the trash). */
export async function loadLead(ctx: Ctx, tx: Tx, id: string, options: { forUpdate?: boolean; includeDeleted?: boolean } = {}): Promise<LeadRow> {
  let q = db(tx).selectFrom('leads').selectAll().where('organization_id', '=', ctx.organizationId).where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw errors.notFound('Lead');
  authorize(ctx, 'leads:read', guardOf(row));
  if (row.deleted_at && !options.includeDeleted) throw errors.notFound('Lead');
  return row;
}

/** Checks that a team exists in this organization (the foreign key would, but as a 500). */
export async function assertTeamExists(tx: Tx, organizationId: string, teamId: string, path: string): Promise<void> {
  const row = await db(tx).selectFrom('teams').select('id').where('organization_id', '=', organizationId).where('id', '=', teamId).executeTakeFirst();
  if (!row) throw errors.validation([{ path, message: 'no such team in this organization' }]);
}
