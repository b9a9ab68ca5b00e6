import { sql, type RawBuilder } from 'kysely';
import { createHash } from 'node:crypto';
import { authorize, ownerFilter } from '../../platform/authz/index.js';
import { createCtx, systemActor, type Ctx, type Deps } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { teamMemberIds } from '../identity/index.js';
import { ownerScopeSql } from '../records/index.js';
import { baseCurrencyOf, rateSql } from './exchange-rates.js';

export type Period = 'month' | 'quarter';

export interface ForecastQuery {
  period: Period;
  ownerId?: string;
  teamId?: string;
  /** Any day of the period to forecast; today by default. */
  date?: string;
}

/** The four forecast amounts of a set of deals. */
export interface ForecastAmounts {
  closedWon: number;
  /** Closed won plus open deals due in the period at ≥ 70% probability. */
  commit: number;
  /** Closed won plus every open deal due in the period. */
  bestCase: number;
  /** Σ amount × probability of the open deals due in the period. */
  weightedPipeline: number;
}

/** Deals in a currency without an exchange rate, summed in that currency's minor units. */
export type UnconvertedAmounts = ForecastAmounts & { currency: string };

/** One owner's numbers for the period, in the base currency's minor units. */
export interface ForecastLine extends ForecastAmounts {
  ownerId: string | null;
  quota: number | null;
  /** closedWon / quota, when there is a quota (deals without a rate are not in closedWon). */
  attainment: number | null;
  /** Deals left out of the amounts above for want of an exchange rate, per currency. */
  unconverted: UnconvertedAmounts[];
}

export interface AccuracyLine {
  ownerId: string;
  method: 'commit' | 'bestCase' | 'weighted';
  predicted: number;
  actual: number;
  /** (predicted − actual) / actual; null when nothing closed. */
  error: number | null;
}

export interface Forecast {
  period: Period;
  periodStart: string;
  periodEnd: string;
  currency: string;
  owners: ForecastLine[];
  total: ForecastLine;
  /** Currencies without an exchange rate, whose deals are in `unconverted` instead of the amounts. */
  missingRates: string[];
  winRateByStage: Array<{
    stageId: string;
    stageName: string;
    closedDeals: number;
    won: number;
    winRate: number | null;
  }>;
  averageSalesCycleDays: number | null;
  /** The previous period: what its first snapshot predicted against what closed. */
  previousPeriodAccuracy: AccuracyLine[];
}

const COMMIT_PROBABILITY = 70;

async function bounds(
  tx: Tx,
  period: Period,
  date: string,
): Promise<{ start: string; end: string; prevStart: string }> {
  const unit = period === 'month' ? '1 month' : '3 months';
  const r = await sql<{ start: string; end: string; prev: string }>`
    select to_char(date_trunc(${period}, ${date}::date), 'YYYY-MM-DD') as start,
           to_char(date_trunc(${period}, ${date}::date) + ${unit}::interval, 'YYYY-MM-DD') as end,
           to_char(date_trunc(${period}, ${date}::date) - ${unit}::interval, 'YYYY-MM-DD') as prev`.execute(
    tx,
  );
  const row = r.rows[0];
  if (!row) throw new Error('unreachable: date arithmetic returned nothing');
  return { start: row.start, end: row.end, prevStart: row.prev };
}

type OwnerLine = Omit<ForecastLine, 'quota' | 'attainment'>;
const AMOUNT_KEYS = ['closedWon', 'commit', 'bestCase', 'weightedPipeline'] as const;

/**
 * Per owner: closed won, commit, best case and weighted pipeline, amounts converted to the base
 * currency; deals in a currency without a rate come apart per currency, never counted 1:1.
 */
async function linesFor(
  tx: Tx,
  organizationId: string,
  scope: RawBuilder<unknown>,
  start: string,
  end: string,
): Promise<OwnerLine[]> {
  const base = await baseCurrencyOf(tx, organizationId);
  // Aggregate per owner, stage, currency and probability first; only those few groups meet the
  // stages and exchange rates. Converted groups are summed once per owner (one rounding).
  const r = await sql<{
    owner_id: string | null;
    currency: string | null;
    closed_won: string;
    commit_open: string;
    open: string;
    weighted: string;
  }>`
    with g as (
      select d.owner_id, d.stage_id, d.currency, d.probability,
        sum(d.amount) filter (where d.closed_at >= ${start}::date and d.closed_at < ${end}::date) as closed,
        sum(d.amount) filter (where d.expected_close_date >= ${start}::date and d.expected_close_date < ${end}::date) as due
      from deals d
      where d.organization_id = ${organizationId} and d.deleted_at is null and ${scope}
      group by d.owner_id, d.stage_id, d.currency, d.probability
    ), priced as (
      select g.owner_id, case when r.rate is null then g.currency end as currency, s.kind, coalesce(g.probability, s.probability) as p,
        g.closed * coalesce(r.rate, 1) as closed, g.due * coalesce(r.rate, 1) as due
      from g
      join pipeline_stages s on s.organization_id = ${organizationId} and s.id = g.stage_id
      left join exchange_rates x on x.organization_id = ${organizationId} and x.currency = g.currency
      cross join lateral (select ${rateSql('g.currency', base)} as rate) r
    )
    select owner_id, currency,
      coalesce(sum(closed) filter (where kind = 'won'), 0)::bigint as closed_won,
      coalesce(sum(due) filter (where kind = 'open' and p >= ${COMMIT_PROBABILITY}), 0)::bigint as commit_open,
      coalesce(sum(due) filter (where kind = 'open'), 0)::bigint as open,
      coalesce(sum(due * p / 100.0) filter (where kind = 'open'), 0)::bigint as weighted
    from priced group by owner_id, currency order by owner_id, currency nulls first`.execute(tx);
  const lines = new Map<string | null, OwnerLine>();
  for (const x of r.rows) {
    const closedWon = Number(x.closed_won);
    const amounts = {
      closedWon,
      commit: closedWon + Number(x.commit_open),
      bestCase: closedWon + Number(x.open),
      weightedPipeline: Number(x.weighted),
    };
    const line = lines.get(x.owner_id) ?? {
      ownerId: x.owner_id,
      closedWon: 0,
      commit: 0,
      bestCase: 0,
      weightedPipeline: 0,
      unconverted: [],
    };
    if (x.currency === null) Object.assign(line, amounts);
    // A currency whose deals fall outside the period is nothing to report.
    else if (AMOUNT_KEYS.some((k) => amounts[k] !== 0))
      line.unconverted.push({ currency: x.currency, ...amounts });
    lines.set(x.owner_id, line);
  }
  return [...lines.values()];
}

/** The unconverted sums of several lines, merged per currency. */
function mergeUnconverted(lines: readonly OwnerLine[]): UnconvertedAmounts[] {
  const byCurrency = new Map<string, UnconvertedAmounts>();
  for (const u of lines.flatMap((l) => l.unconverted)) {
    const t = byCurrency.get(u.currency) ?? {
      currency: u.currency,
      closedWon: 0,
      commit: 0,
      bestCase: 0,
      weightedPipeline: 0,
    };
    for (const k of AMOUNT_KEYS) t[k] += u[k];
    byCurrency.set(u.currency, t);
  }
  return [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

function scopeSql(ctx: Ctx, owners: string[] | null): RawBuilder<unknown> {
  const parts = [ownerScopeSql(ctx.actor, 'deals:read', 'd.owner_id')];
  if (owners)
    parts.push(
      owners.length
        ? sql`d.owner_id in (${sql.join(owners.map((o) => sql`${o}::uuid`))})`
        : sql`false`,
    );
  return sql`(${sql.join(parts, sql` and `)})`;
}

/**
 * The forecast of one period, limited to the deals the actor may read: a rep's forecast holds
 * only the rep's (and team's, by scope) deals.
 */
export async function forecast(ctx: Ctx, q: ForecastQuery): Promise<Forecast> {
  authorize(ctx, 'deals:read');
  return ctx.tx(async (tx) => {
    const date = q.date ?? ctx.deps.clock.now().toISOString().slice(0, 10);
    const { start, end, prevStart } = await bounds(tx, q.period, date);
    const owners = q.teamId
      ? await teamMemberIds(ctx, tx, q.teamId).catch(() => {
          throw errors.validation([{ path: 'teamId', message: 'no such team' }]);
        })
      : q.ownerId
        ? [q.ownerId]
        : null;
    const scope = scopeSql(ctx, owners);
    const lines = await linesFor(tx, ctx.organizationId, scope, start, end);
    const quotas = await sql<{ user_id: string | null; team_id: string | null; amount: string }>`
      select user_id, team_id, amount from quotas where organization_id = ${ctx.organizationId} and period = ${q.period} and period_start = ${start}::date`.execute(
      tx,
    );
    const userQuota = (id: string | null) => {
      const x = quotas.rows.find((r) => r.user_id !== null && r.user_id === id);
      return x ? Number(x.amount) : null;
    };
    const withQuota = lines.map((l) => {
      const quota = userQuota(l.ownerId);
      return { ...l, quota, attainment: quota ? l.closedWon / quota : null };
    });
    const sum = (k: (typeof AMOUNT_KEYS)[number]) => lines.reduce((a, l) => a + l[k], 0);
    const teamQuota = q.teamId ? quotas.rows.find((r) => r.team_id === q.teamId) : undefined;
    const totalQuota = teamQuota
      ? Number(teamQuota.amount)
      : withQuota.some((l) => l.quota !== null)
        ? withQuota.reduce((a, l) => a + (l.quota ?? 0), 0)
        : null;
    const unconverted = mergeUnconverted(lines);
    const total = {
      ownerId: null,
      closedWon: sum('closedWon'),
      commit: sum('commit'),
      bestCase: sum('bestCase'),
      weightedPipeline: sum('weightedPipeline'),
      quota: totalQuota,
      attainment: totalQuota ? sum('closedWon') / totalQuota : null,
      unconverted,
    };
    const history = await historyStats(ctx, tx, scope, owners);
    return {
      period: q.period,
      periodStart: start,
      periodEnd: end,
      currency: await baseCurrencyOf(tx, ctx.organizationId),
      owners: withQuota,
      total,
      missingRates: unconverted.map((u) => u.currency),
      ...history,
      previousPeriodAccuracy: await accuracy(tx, ctx, scope, q.period, prevStart, start),
    };
  });
}

type HistoryStats = Pick<Forecast, 'winRateByStage' | 'averageSalesCycleDays'>;

/** Bumped whenever a deal changes stage: cached history statistics are then stale. */
export const historyVersionKey = (organizationId: string) =>
  `sales:history-version:${organizationId}`;

/**
 * Win rate per stage and the average sales cycle, from the whole stage history (a million rows
 * in a large organization, ~0.3 s). Cached per organization, scope and history version, so a
 * dashboard reloads them for free until a deal moves.
 */
async function historyStats(
  ctx: Ctx,
  tx: Tx,
  scope: RawBuilder<unknown>,
  owners: string[] | null,
): Promise<HistoryStats> {
  const f = ownerFilter(ctx.actor, 'deals:read');
  const scopeKey = `${f.kind === 'owners' ? [...f.userIds].sort().join(',') : f.kind}|${owners ? [...owners].sort().join(',') : '*'}`;
  const version = (await ctx.deps.cache.get(historyVersionKey(ctx.organizationId))) ?? '0';
  const key = `sales:history:${ctx.organizationId}:${version}:${createHash('sha256').update(scopeKey).digest('hex').slice(0, 24)}`;
  const cached = await ctx.deps.cache.get(key);
  if (cached) return JSON.parse(cached) as HistoryStats;
  const rates = await sql<{ stage_id: string; name: string; closed: string; won: string }>`
    select h.stage_id, s.name, count(distinct h.deal_id) as closed, count(distinct h.deal_id) filter (where fs.kind = 'won') as won
    from deal_stage_history h
    join deals d on d.organization_id = h.organization_id and d.id = h.deal_id
    join pipeline_stages fs on fs.organization_id = d.organization_id and fs.id = d.stage_id
    join pipeline_stages s on s.organization_id = h.organization_id and s.id = h.stage_id
    where h.organization_id = ${ctx.organizationId} and d.deleted_at is null and fs.kind <> 'open' and s.kind = 'open' and ${scope}
    group by h.stage_id, s.name, s.position order by s.position`.execute(tx);
  const cycle = await sql<{ days: string | null }>`
    select avg(extract(epoch from d.closed_at - d.created_at) / 86400) as days
    from deals d join pipeline_stages s on s.organization_id = d.organization_id and s.id = d.stage_id
    where d.organization_id = ${ctx.organizationId} and d.deleted_at is null and s.kind = 'won' and ${scope}`.execute(
    tx,
  );
  const days = cycle.rows[0]?.days;
  const stats: HistoryStats = {
    winRateByStage: rates.rows.map((r) => ({
      stageId: r.stage_id,
      stageName: r.name,
      closedDeals: Number(r.closed),
      won: Number(r.won),
      winRate: Number(r.closed) ? Number(r.won) / Number(r.closed) : null,
    })),
    averageSalesCycleDays:
      days !== null && days !== undefined ? Number(Number(days).toFixed(1)) : null,
  };
  // Short-lived as well: a forecast read between a move's version bump and its commit may cache the old history.
  await ctx.deps.cache.set(key, JSON.stringify(stats), 300);
  return stats;
}

/** The first snapshot of the previous period against what actually closed in it, per owner and method. */
async function accuracy(
  tx: Tx,
  ctx: Ctx,
  scope: RawBuilder<unknown>,
  period: Period,
  start: string,
  end: string,
): Promise<AccuracyLine[]> {
  const snaps = await sql<{
    owner_id: string;
    commit_amount: string;
    best_case: string;
    weighted: string;
    closed_won: string;
  }>`
    select distinct on (owner_id) owner_id, commit_amount, best_case, weighted, closed_won from forecast_snapshots d
    where organization_id = ${ctx.organizationId} and period = ${period} and period_start = ${start}::date and ${scope}
    order by owner_id, taken_on`.execute(tx);
  if (snaps.rows.length === 0) return [];
  const actual = new Map(
    (await linesFor(tx, ctx.organizationId, scope, start, end)).map((l) => [
      l.ownerId,
      l.closedWon,
    ]),
  );
  return snaps.rows.flatMap((s) => {
    const real = actual.get(s.owner_id) ?? 0;
    const predicted = {
      commit: Number(s.commit_amount),
      bestCase: Number(s.best_case),
      weighted: Number(s.closed_won) + Number(s.weighted),
    };
    return (['commit', 'bestCase', 'weighted'] as const).map((method) => ({
      ownerId: s.owner_id,
      method,
      predicted: predicted[method],
      actual: real,
      error: real ? Number(((predicted[method] - real) / real).toFixed(4)) : null,
    }));
  });
}

/**
 * Records the organization's forecast of the month and quarter around `day` (YYYY-MM-DD) per
 * owner, as the numbers stand now, dated `day`; a snapshot already taken that day stays
 * (idempotent). Answers how many snapshots it wrote. Runs as the organization's system actor.
 */
export async function snapshotForecast(
  deps: Deps,
  organizationId: string,
  day: string,
): Promise<number> {
  const ctx = createCtx(deps, systemActor(organizationId));
  return ctx.tx(async (tx) => {
    let written = 0;
    for (const period of ['month', 'quarter'] as const) {
      const { start, end } = await bounds(tx, period, day);
      for (const l of await linesFor(tx, organizationId, sql`true`, start, end)) {
        if (!l.ownerId) continue;
        const r =
          await sql`insert into forecast_snapshots (organization_id, period, period_start, owner_id, taken_on, closed_won, commit_amount, best_case, weighted)
          values (${organizationId}, ${period}, ${start}::date, ${l.ownerId}, ${day}::date, ${l.closedWon}, ${l.commit}, ${l.bestCase}, ${l.weightedPipeline})
          on conflict do nothing`.execute(tx);
        written += Number(r.numAffectedRows ?? 0);
      }
    }
    return written;
  });
}
