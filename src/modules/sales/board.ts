import { sql, type RawBuilder, type Selectable } from 'kysely';
import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { matchesSql, ownerScopeSql, prepareTextQuery } from '../records/index.js';
import { presentDeals, type Deal } from './deals.js';
import { baseCurrencyOf, rateSql } from './exchange-rates.js';
import { loadPipeline, type Stage } from './pipelines.js';
import type { DealTable } from './schema.js';

export interface BoardQuery {
  ownerId?: string;
  closeFrom?: string;
  closeTo?: string;
  /** Words the deals' names (and other indexed text) must match, typos allowed, as in `GET /deals?q=`. */
  q?: string;
  /** Deals per stage (1–100, default 25). */
  limit: number;
  /** Page one stage only, after `cursor`. */
  stageId?: string;
  cursor?: string;
}

/** A stage's deals in one currency without an exchange rate, in that currency's minor units. */
export interface UnconvertedColumn {
  currency: string;
  count: number;
  total: number;
  weighted: number;
}

export interface BoardColumn {
  stage: Stage;
  /** Every deal of the stage, converted or not. */
  count: number;
  /** Σ amount in the organization's base currency (minor units), over the deals that have a rate. */
  total: number;
  /** Σ amount × probability, base currency, over the deals that have a rate. */
  weighted: number;
  /** The deals left out of `total` and `weighted` for want of a rate, per currency. */
  unconverted: UnconvertedColumn[];
  deals: Deal[];
  nextCursor: string | null;
}

/** The deals of every stage of one kind, summed (base currency, the converted deals only). */
export type KindTotals = Pick<BoardColumn, 'count' | 'total' | 'weighted'>;

export interface Board {
  pipelineId: string;
  currency: string;
  stages: BoardColumn[];
  /**
   * Open, won and lost deals of the whole pipeline (every stage, whatever `stageId` pages): "open
   * deals" must never count a closed one, so the split is the server's, not each client's.
   */
  summary: Record<Stage['kind'], KindTotals>;
  /** Currencies with no exchange rate: left out of the totals (see each column's `unconverted`) until an admin sets one. */
  missingRates: string[];
}

const encodeCursor = (updatedAt: Date, id: string) =>
  Buffer.from(`${updatedAt.toISOString()}|${id}`).toString('base64url');
function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)))
    throw errors.validation([{ path: 'cursor', message: 'is not a board cursor' }]);
  return { at, id };
}

type StageTotals = Pick<BoardColumn, 'count' | 'total' | 'weighted' | 'unconverted'>;

/**
 * Per stage: the count of every deal, the converted total and weighted total of those with a rate,
 * and per currency the sums of those without one (never counted 1:1 into the base).
 */
async function stageTotals(
  ctx: Ctx,
  tx: Tx,
  where: RawBuilder<unknown>,
  base: string,
): Promise<Map<string, StageTotals>> {
  // Aggregate the deals first (one pass, no joins), then price the few groups: joining stages
  // and rates row by row made this four times slower at 100k deals.
  const r = await sql<{
    stage_id: string;
    currency: string | null;
    count: string;
    total: string;
    weighted: string;
  }>`
    select p.stage_id, case when p.rate is null then p.currency end as currency, sum(p.n) as count,
           coalesce(sum(p.amount * coalesce(p.rate, 1)), 0)::bigint as total,
           coalesce(sum(p.amount * coalesce(p.rate, 1) * p.probability / 100.0), 0)::bigint as weighted
    from (
      select g.stage_id, g.currency, g.n, g.amount, coalesce(g.probability, s.probability) as probability, ${rateSql('g.currency', base)} as rate
      from (
        select d.stage_id, d.currency, d.probability, count(*) as n, sum(d.amount) as amount
        from deals d where ${where}
        group by d.stage_id, d.currency, d.probability
      ) g
      join pipeline_stages s on s.organization_id = ${ctx.organizationId} and s.id = g.stage_id
      left join exchange_rates x on x.organization_id = ${ctx.organizationId} and x.currency = g.currency
    ) p
    group by p.stage_id, 2 order by p.stage_id, 2`.execute(tx);
  const out = new Map<string, StageTotals>();
  for (const row of r.rows) {
    const t = out.get(row.stage_id) ?? { count: 0, total: 0, weighted: 0, unconverted: [] };
    const sums = {
      count: Number(row.count),
      total: Number(row.total),
      weighted: Number(row.weighted),
    };
    if (row.currency === null) Object.assign(t, { total: sums.total, weighted: sums.weighted });
    else t.unconverted.push({ currency: row.currency, ...sums });
    t.count += sums.count;
    out.set(row.stage_id, t);
  }
  return out;
}

/** The stage totals added up per kind of stage. */
function summarize(
  stages: readonly Stage[],
  totals: ReadonlyMap<string, StageTotals>,
): Board['summary'] {
  const zero = (): KindTotals => ({ count: 0, total: 0, weighted: 0 });
  const out = { open: zero(), won: zero(), lost: zero() };
  for (const stage of stages) {
    const t = totals.get(stage.id);
    if (!t) continue;
    const sum = out[stage.kind];
    sum.count += t.count;
    sum.total += t.total;
    sum.weighted += t.weighted;
  }
  return out;
}

/**
 * The kanban: per stage, its count, total and weighted total over every deal the actor may read
 * (one aggregate query), and the first page of deals, most recently touched first (one windowed
 * query for all stages).
 */
export async function pipelineBoard(ctx: Ctx, pipelineId: string, q: BoardQuery): Promise<Board> {
  authorize(ctx, 'deals:read');
  return ctx.tx(async (tx) => {
    const pipeline = await loadPipeline(ctx, tx, pipelineId);
    if (q.stageId && !pipeline.stages.some((s) => s.id === q.stageId))
      throw errors.validation([{ path: 'stageId', message: 'is not a stage of this pipeline' }]);
    // A query without a searchable word ("--") filters nothing, as on every list.
    const text = q.q ? await prepareTextQuery(tx, ctx.organizationId, q.q) : null;
    const where = sql.join(
      [
        sql`d.organization_id = ${ctx.organizationId}`,
        sql`d.pipeline_id = ${pipelineId}`,
        sql`d.deleted_at is null`,
        ownerScopeSql(ctx.actor, 'deals:read', 'd.owner_id'),
        ...(q.ownerId ? [sql`d.owner_id = ${q.ownerId}`] : []),
        ...(q.closeFrom ? [sql`d.expected_close_date >= ${q.closeFrom}`] : []),
        ...(q.closeTo ? [sql`d.expected_close_date <= ${q.closeTo}`] : []),
        ...(text ? [matchesSql('cerebro_words_deals', text, { idColumn: 'd.id' })] : []),
      ],
      sql` and `,
    );
    const base = await baseCurrencyOf(tx, ctx.organizationId);
    const totals = await stageTotals(ctx, tx, where, base);
    const after = q.cursor ? decodeCursor(q.cursor) : null;
    // One index range per stage (deals_board), never a sort of the whole pipeline.
    const stageIds = pipeline.stages
      .filter((s) => !q.stageId || s.id === q.stageId)
      .map((s) => s.id);
    const rows = await sql<Selectable<DealTable>>`
      select d.* from unnest(${stageIds}::uuid[]) with ordinality as st(id, ord)
      cross join lateral (
        select d.* from deals d
        where ${where} and d.stage_id = st.id
          ${after ? sql`and (d.updated_at, d.id) < (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
        order by d.updated_at desc, d.id desc
        limit ${q.limit + 1}
      ) d
      order by st.ord, d.updated_at desc, d.id desc`.execute(tx);
    const deals = await presentDeals(ctx, tx, rows.rows);
    const byStage = new Map<string, Array<{ deal: Deal; row: Selectable<DealTable> }>>();
    rows.rows.forEach((row, i) => {
      const deal = deals[i];
      if (deal) byStage.set(row.stage_id, [...(byStage.get(row.stage_id) ?? []), { deal, row }]);
    });
    const stages = pipeline.stages
      .filter((s) => !q.stageId || s.id === q.stageId)
      .map((stage) => {
        const t = totals.get(stage.id) ?? { count: 0, total: 0, weighted: 0, unconverted: [] };
        const page = byStage.get(stage.id) ?? [];
        const last = page.length > q.limit ? page[q.limit - 1] : undefined;
        return {
          stage,
          ...t,
          deals: page.slice(0, q.limit).map((p) => p.deal),
          nextCursor: last ? encodeCursor(last.row.updated_at, last.row.id) : null,
        };
      });
    const missingRates = [
      ...new Set([...totals.values()].flatMap((t) => t.unconverted.map((u) => u.currency))),
    ].sort();
    return {
      pipelineId,
      currency: base,
      stages,
      summary: summarize(pipeline.stages, totals),
      missingRates,
    };
  });
}
