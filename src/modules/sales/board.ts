import { sql, type Selectable } from 'kysely';
import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import { errors } from '../../platform/errors/index.js';
import { ownerScopeSql } from '../records/index.js';
import { presentDeals, type Deal } from './deals.js';
import { loadPipeline, type Stage } from './pipelines.js';
import type { DealTable } from './schema.js';

export interface BoardQuery {
  ownerId?: string;
  closeFrom?: string;
  closeTo?: string;
  /** Deals per stage (1–100, default 25). */
  limit: number;
  /** Page one stage only, after `cursor`. */
  stageId?: string;
  cursor?: string;
}

export interface BoardColumn {
  stage: Stage;
  count: number;
  /** Σ amount in the organization's base currency (minor units). */
  total: number;
  /** Σ amount × probability, base currency. */
  weighted: number;
  deals: Deal[];
  nextCursor: string | null;
}

export interface Board {
  pipelineId: string;
  currency: string;
  stages: BoardColumn[];
  /** Currencies with no exchange rate: counted at 1:1 until an admin sets one. */
  missingRates: string[];
}

const encodeCursor = (updatedAt: Date, id: string) => Buffer.from(`${updatedAt.toISOString()}|${id}`).toString('base64url');
function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!at || !id || Number.isNaN(Date.parse(at))) throw errors.validation([{ path: 'cursor', message: 'is not a board cursor' }]);
  return { at, id };
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
    if (q.stageId && !pipeline.stages.some((s) => s.id === q.stageId)) throw errors.validation([{ path: 'stageId', message: 'is not a stage of this pipeline' }]);
    const where = sql.join([
      sql`d.organization_id = ${ctx.organizationId}`, sql`d.pipeline_id = ${pipelineId}`, sql`d.deleted_at is null`,
      ownerScopeSql(ctx.actor, 'deals:read', 'd.owner_id'),
      ...(q.ownerId ? [sql`d.owner_id = ${q.ownerId}`] : []),
      ...(q.closeFrom ? [sql`d.expected_close_date >= ${q.closeFrom}`] : []),
      ...(q.closeTo ? [sql`d.expected_close_date <= ${q.closeTo}`] : []),
    ], sql` and `);
    const base = await sql<{ base_currency: string }>`select base_currency from organizations where id = ${ctx.organizationId}`.execute(tx);
    // Aggregate the deals first (one pass, no joins), then price the few groups: joining stages
    // and rates row by row made this four times slower at 100k deals.
    const totals = await sql<{ stage_id: string; count: string; total: string; weighted: string; missing: string[] }>`
      select g.stage_id, sum(g.n) as count,
             coalesce(sum(g.amount * coalesce(x.rate, 1)), 0)::bigint as total,
             coalesce(sum(g.amount * coalesce(x.rate, 1) * coalesce(g.probability, s.probability) / 100.0), 0)::bigint as weighted,
             array_remove(array_agg(distinct case when x.rate is null and g.currency <> ${base.rows[0]?.base_currency ?? 'USD'} then g.currency end), null) as missing
      from (
        select d.stage_id, d.currency, d.probability, count(*) as n, sum(d.amount) as amount
        from deals d where ${where}
        group by d.stage_id, d.currency, d.probability
      ) g
      join pipeline_stages s on s.organization_id = ${ctx.organizationId} and s.id = g.stage_id
      left join exchange_rates x on x.organization_id = ${ctx.organizationId} and x.currency = g.currency
      group by g.stage_id`.execute(tx);
    const after = q.cursor ? decodeCursor(q.cursor) : null;
    // One index range per stage (deals_board), never a sort of the whole pipeline.
    const stageIds = pipeline.stages.filter((s) => !q.stageId || s.id === q.stageId).map((s) => s.id);
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
    const stages = pipeline.stages.filter((s) => !q.stageId || s.id === q.stageId).map((stage) => {
      const t = totals.rows.find((r) => r.stage_id === stage.id);
      const page = byStage.get(stage.id) ?? [];
      const last = page.length > q.limit ? page[q.limit - 1] : undefined;
      return {
        stage, count: Number(t?.count ?? 0), total: Number(t?.total ?? 0), weighted: Number(t?.weighted ?? 0),
        deals: page.slice(0, q.limit).map((p) => p.deal), nextCursor: last ? encodeCursor(last.row.updated_at, last.row.id) : null,
      };
    });
    return { pipelineId, currency: base.rows[0]?.base_currency ?? 'USD', stages, missingRates: [...new Set(totals.rows.flatMap((r) => r.missing))] };
  });
}
