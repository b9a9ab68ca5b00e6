import { sql, type Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { authorize, ownerFilter } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { assertTeamExists, assertUserExists, ownerScopeSql } from '../records/index.js';
import { teamMemberIds } from '../identity/index.js';
import type { Period } from './forecast.js';
import type { QuotaTable, SalesTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<SalesTables>();

export interface Quota { id: string; userId: string | null; teamId: string | null; period: Period; periodStart: string; amount: number; version: number }
export interface QuotaInput { userId?: string; teamId?: string; period: Period; periodStart: string; amount: number }

const present = (q: Selectable<QuotaTable>): Quota => ({
  id: q.id, userId: q.user_id, teamId: q.team_id, period: q.period, periodStart: q.period_start.toISOString().slice(0, 10), amount: Number(q.amount), version: q.version,
});

/** Quotas the actor may see: a rep their own, a manager their teams' members', an admin all. */
export async function listQuotas(ctx: Ctx, filter: { period?: Period; periodStart?: string }): Promise<Quota[]> {
  authorize(ctx, 'quotas:read');
  return ctx.tx(async (tx) => {
    const rows = await sql<Selectable<QuotaTable>>`
      select * from quotas where organization_id = ${ctx.organizationId}
        and ((user_id is not null and ${ownerScopeSql(ctx.actor, 'quotas:read', 'user_id')})
          or (team_id is not null and ${ownerFilter(ctx.actor, 'quotas:read').kind === 'all' ? sql`true` : ctx.actor.teamIds.length ? sql`team_id in (${sql.join(ctx.actor.teamIds.map((t) => sql`${t}::uuid`))})` : sql`false`}))
        ${filter.period ? sql`and period = ${filter.period}` : sql``}
        ${filter.periodStart ? sql`and period_start = ${filter.periodStart}::date` : sql``}
      order by period_start desc, period`.execute(tx);
    return rows.rows.map(present);
  });
}

/** Sets the quota of a user or a team for one period (a second call for the same target replaces it). */
export async function setQuota(ctx: Ctx, input: QuotaInput): Promise<Quota> {
  if ((input.userId === undefined) === (input.teamId === undefined)) throw errors.validation([{ path: 'userId', message: 'give exactly one of userId and teamId' }]);
  return ctx.tx(async (tx) => {
    if (input.userId) {
      await assertUserExists(tx, ctx.organizationId, input.userId, 'userId');
      authorize(ctx, 'quotas:create', { ownerId: input.userId });
    } else if (input.teamId) {
      await assertTeamExists(tx, ctx.organizationId, input.teamId, 'teamId');
      const members = await teamMemberIds(ctx, tx, input.teamId);
      for (const m of members) authorize(ctx, 'quotas:create', { ownerId: m });
    }
    const start = await sql<{ s: string }>`select to_char(date_trunc(${input.period}, ${input.periodStart}::date), 'YYYY-MM-DD') as s`.execute(tx);
    const periodStart = start.rows[0]?.s ?? input.periodStart;
    const existing = await db(tx).selectFrom('quotas').selectAll().where('organization_id', '=', ctx.organizationId).where('period', '=', input.period).where('period_start', '=', new Date(`${periodStart}T00:00:00Z`))
      .where(input.userId ? 'user_id' : 'team_id', '=', input.userId ?? input.teamId ?? '').forUpdate().executeTakeFirst();
    const row = existing
      ? await db(tx).updateTable('quotas').set({ amount: input.amount, version: existing.version + 1, updated_at: new Date() }).where('organization_id', '=', ctx.organizationId).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow()
      : await db(tx).insertInto('quotas').values({ organization_id: ctx.organizationId, id: uuidv7(), user_id: input.userId ?? null, team_id: input.teamId ?? null, period: input.period, period_start: periodStart, amount: input.amount }).returningAll().executeTakeFirstOrThrow();
    await ctx.audit(tx, { action: 'quota.set', targetType: 'quota', targetId: row.id, diff: { amount: { from: existing ? Number(existing.amount) : null, to: input.amount } } });
    return present(row);
  });
}

export async function deleteQuota(ctx: Ctx, id: string): Promise<void> {
  await ctx.tx(async (tx) => {
    const row = await db(tx).selectFrom('quotas').selectAll().where('organization_id', '=', ctx.organizationId).where('id', '=', id).executeTakeFirst();
    if (!row) throw errors.notFound('Quota');
    authorize(ctx, 'quotas:delete', { ownerId: row.user_id });
    await db(tx).deleteFrom('quotas').where('organization_id', '=', ctx.organizationId).where('id', '=', id).execute();
    await ctx.audit(tx, { action: 'quota.deleted', targetType: 'quota', targetId: id, diff: null });
  });
}
