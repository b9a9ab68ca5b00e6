import { sql, type SqlBool } from 'kysely';
import { decide, type OwnedRecord } from '../../platform/authz/index.js';
import type { Tx } from '../../platform/db/index.js';
import type { ReferenceChecker, ReferenceCtx } from '../../platform/references/index.js';
import type { SalesTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<SalesTables>();

/** Keeps the ids of rows the actor may read under `permission` (own / team / all). */
const readable = (
  ctx: ReferenceCtx,
  permission: string,
  rows: ReadonlyArray<{ id: string } & OwnedRecord>,
) => new Set(rows.filter((r) => decide(ctx.actor, permission, r).allowed).map((r) => r.id));

/** Deals the actor may read, not in the trash. */
async function deals(
  ctx: ReferenceCtx,
  tx: Tx,
  ids: readonly string[],
): Promise<ReadonlySet<string>> {
  const rows = await db(tx)
    .selectFrom('deals')
    .select(['id', 'owner_id as ownerId'])
    .where('organization_id', '=', ctx.organizationId)
    .where('id', 'in', ids)
    .where('deleted_at', 'is', null)
    .where(sql<SqlBool>`merged_into is null`)
    .execute();
  return readable(ctx, 'deals:read', rows);
}

/** Leads the actor may read (their owner's or, with team scope, their team's queue), not in the trash. */
async function leads(
  ctx: ReferenceCtx,
  tx: Tx,
  ids: readonly string[],
): Promise<ReadonlySet<string>> {
  const rows = await db(tx)
    .selectFrom('leads')
    .select(['id', 'owner_id as ownerId', 'team_id as teamId'])
    .where('organization_id', '=', ctx.organizationId)
    .where('id', 'in', ids)
    .where('deleted_at', 'is', null)
    .where(sql<SqlBool>`merged_into is null`)
    .execute();
  return readable(ctx, 'leads:read', rows);
}

/** The kinds of record the sales module lets other records link to. */
export const salesReferences: readonly ReferenceChecker[] = [
  { kind: 'deal', label: 'deal', lookup: deals },
  { kind: 'lead', label: 'lead', lookup: leads },
];
