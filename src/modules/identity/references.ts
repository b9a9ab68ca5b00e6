import type { Tx } from '../../platform/db/index.js';
import type { ReferenceChecker, ReferenceCtx } from '../../platform/references/index.js';
import type { IdentityTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<IdentityTables>();

/** Users and teams are the organization's directory: any of its ids may be linked (who may own what is authorization's call). */
const users = async (ctx: ReferenceCtx, tx: Tx, ids: readonly string[]) => {
  const rows = await db(tx)
    .selectFrom('users')
    .select('id')
    .where('organization_id', '=', ctx.organizationId)
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.id));
};

const teams = async (ctx: ReferenceCtx, tx: Tx, ids: readonly string[]) => {
  const rows = await db(tx)
    .selectFrom('teams')
    .select('id')
    .where('organization_id', '=', ctx.organizationId)
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.id));
};

/** The kinds of record the identity module lets other records link to. */
export const identityReferences: readonly ReferenceChecker[] = [
  { kind: 'user', label: 'user', lookup: users },
  { kind: 'team', label: 'team', lookup: teams },
];
