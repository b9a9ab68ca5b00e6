import { authorize, can } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { routingForbidden } from './errors.js';
import type { SalesTables } from './schema.js';

/**
 * Web forms and assignment rules decide where every new lead goes, so admins (who may change
 * settings) and team managers configure them; reps and marketers do not. Being a manager is data
 * (team membership), so no new permission is needed in existing organizations' roles.
 */
export async function authorizeRouting(ctx: Ctx, tx: Tx): Promise<void> {
  authorize(ctx, 'leads:update');
  if (ctx.actor.type === 'system' || can(ctx.actor, 'settings:update')) return;
  const userId = ctx.actor.userId;
  const managed = userId
    ? await tx
        .withTables<SalesTables>()
        .selectFrom('team_members')
        .select('team_id')
        .where('organization_id', '=', ctx.organizationId)
        .where('user_id', '=', userId)
        .where('is_manager', '=', true)
        .executeTakeFirst()
    : undefined;
  if (!managed) throw routingForbidden();
}
