import { sql, type Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { authorize, ownerFilter } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { DomainError, errors } from '../../platform/errors/index.js';
import {
  assertTeamExists,
  assertUserExists,
  assertVersion,
  ownerScopeSql,
} from '../records/index.js';
import { teamMemberIds } from '../identity/index.js';
import type { Period } from './forecast.js';
import type { QuotaTable, SalesTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<SalesTables>();

export interface Quota {
  id: string;
  userId: string | null;
  teamId: string | null;
  period: Period;
  periodStart: string;
  amount: number;
  version: number;
}
export interface QuotaInput {
  userId?: string;
  teamId?: string;
  period: Period;
  periodStart: string;
  amount: number;
}

const present = (q: Selectable<QuotaTable>): Quota => ({
  id: q.id,
  userId: q.user_id,
  teamId: q.team_id,
  period: q.period,
  periodStart: q.period_start.toISOString().slice(0, 10),
  amount: Number(q.amount),
  version: q.version,
});

/** Quotas the actor may see: a rep their own, a manager their teams' members', an admin all. */
export async function listQuotas(
  ctx: Ctx,
  filter: { period?: Period; periodStart?: string },
): Promise<Quota[]> {
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

/** A quota's period must be a whole month or quarter: silently moving the 15th to the 1st could overwrite another quota. */
function assertPeriodStart(period: Period, periodStart: string): void {
  const [, month, day] = periodStart.split('-').map(Number);
  const quarterStart = month !== undefined && (month - 1) % 3 === 0;
  if (day === 1 && (period === 'month' || quarterStart)) return;
  const message =
    period === 'month'
      ? 'must be the 1st of a month (periods start on the 1st)'
      : 'must be the 1st of January, April, July or October (quarters start on the 1st)';
  throw errors.ruleViolated('SALES_QUOTA_PERIOD_START', `periodStart ${message}`, [
    { path: 'periodStart', message },
  ]);
}

/** The actor may set the quota of the user, or of every member of the team. */
async function authorizeTarget(
  ctx: Ctx,
  tx: Tx,
  permission: 'quotas:create' | 'quotas:update',
  target: { userId: string | null; teamId: string | null },
): Promise<void> {
  if (target.userId) {
    await assertUserExists(tx, ctx.organizationId, target.userId, 'userId');
    authorize(ctx, permission, { ownerId: target.userId });
  } else if (target.teamId) {
    await assertTeamExists(tx, ctx.organizationId, target.teamId, 'teamId');
    const members = await teamMemberIds(ctx, tx, target.teamId);
    for (const m of members) authorize(ctx, permission, { ownerId: m });
  }
}

/**
 * Creates the quota of a user or a team for one period. A second quota for the same target and
 * period answers 409 with the first one's id: changing it is an explicit PATCH, never a replace.
 */
export async function createQuota(ctx: Ctx, input: QuotaInput): Promise<Quota> {
  if ((input.userId === undefined) === (input.teamId === undefined))
    throw errors.validation([{ path: 'userId', message: 'give exactly one of userId and teamId' }]);
  return ctx.tx(async (tx) => {
    await authorizeTarget(ctx, tx, 'quotas:create', {
      userId: input.userId ?? null,
      teamId: input.teamId ?? null,
    });
    assertPeriodStart(input.period, input.periodStart);
    const existing = await db(tx)
      .selectFrom('quotas')
      .select('id')
      .where('organization_id', '=', ctx.organizationId)
      .where('period', '=', input.period)
      .where('period_start', '=', new Date(`${input.periodStart}T00:00:00Z`))
      .where(input.userId ? 'user_id' : 'team_id', '=', input.userId ?? input.teamId ?? '')
      .executeTakeFirst();
    if (existing) throw quotaExists(existing.id, input.period, input.periodStart);
    const row = await db(tx)
      .insertInto('quotas')
      .values({
        organization_id: ctx.organizationId,
        id: uuidv7(),
        user_id: input.userId ?? null,
        team_id: input.teamId ?? null,
        period: input.period,
        period_start: input.periodStart,
        amount: input.amount,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await ctx.audit(tx, {
      action: 'quota.created',
      targetType: 'quota',
      targetId: row.id,
      diff: {
        amount: { from: null, to: input.amount },
        period: { from: null, to: input.period },
        periodStart: { from: null, to: input.periodStart },
      },
    });
    return present(row);
  });
}

const quotaExists = (id: string, period: Period, periodStart: string) =>
  new DomainError(
    'conflict',
    'SALES_QUOTA_EXISTS',
    `This target already has a ${period} quota from ${periodStart} (${id}); change it with PATCH /api/v1/quotas/${id}`,
    {
      details: [{ path: 'periodStart', message: `already has a quota: ${id}` }],
    },
  );

/** Changes a quota's amount; If-Match guards against lost edits. */
export async function updateQuota(
  ctx: Ctx,
  id: string,
  input: { amount: number },
  expectedVersion?: number,
): Promise<Quota> {
  return ctx.tx(async (tx) => {
    const current = await db(tx)
      .selectFrom('quotas')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw errors.notFound('Quota');
    await authorizeTarget(ctx, tx, 'quotas:update', {
      userId: current.user_id,
      teamId: current.team_id,
    });
    assertVersion(expectedVersion, current.version);
    const row = await db(tx)
      .updateTable('quotas')
      .set({ amount: input.amount, version: current.version + 1, updated_at: new Date() })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await ctx.audit(tx, {
      action: 'quota.updated',
      targetType: 'quota',
      targetId: id,
      diff: { amount: { from: Number(current.amount), to: input.amount } },
    });
    return present(row);
  });
}

/** Deletes a quota. */
export async function deleteQuota(ctx: Ctx, id: string): Promise<void> {
  await ctx.tx(async (tx) => {
    const row = await db(tx)
      .selectFrom('quotas')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw errors.notFound('Quota');
    authorize(ctx, 'quotas:delete', { ownerId: row.user_id });
    await db(tx)
      .deleteFrom('quotas')
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .execute();
    await ctx.audit(tx, { action: 'quota.deleted', targetType: 'quota', targetId: id, diff: null });
  });
}
