import { decide } from '../../platform/authz/index.js';
import type { Tx } from '../../platform/db/index.js';
import type { ReferenceChecker, ReferenceCtx } from '../../platform/references/index.js';
import type { SupportTables } from './schema.js';

/** Tickets the actor may read (their assignee's or, with team scope, their team's queue), not in the trash. */
async function tickets(
  ctx: ReferenceCtx,
  tx: Tx,
  ids: readonly string[],
): Promise<ReadonlySet<string>> {
  const rows = await tx
    .withTables<SupportTables>()
    .selectFrom('tickets')
    .select(['id', 'owner_id', 'team_id'])
    .where('organization_id', '=', ctx.organizationId)
    .where('id', 'in', ids)
    .where('deleted_at', 'is', null)
    .execute();
  return new Set(
    rows
      .filter(
        (r) =>
          decide(ctx.actor, 'tickets:read', { ownerId: r.owner_id, teamId: r.team_id }).allowed,
      )
      .map((r) => r.id),
  );
}

/** The kinds of record the support module lets other records link to. */
export const supportReferences: readonly ReferenceChecker[] = [
  { kind: 'ticket', label: 'ticket', lookup: tickets },
];
