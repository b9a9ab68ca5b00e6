import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { loadDeal } from './deals.js';
import type { Stage } from './pipelines.js';
import type { SalesTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<SalesTables>();

/** A stage as a stay names it. */
export interface StageRef {
  id: string;
  name: string;
  kind: Stage['kind'];
}

/** One stay of a deal in a stage, from `deal_stage_history`. */
export interface StageStay {
  id: string;
  stage: StageRef;
  /** The stage it came from; null for the stage the deal was created in. */
  fromStage: StageRef | null;
  enteredAt: string;
  /** Null while the deal is still in this stage. */
  leftAt: string | null;
  /** Milliseconds spent in the stage, up to now for the current stay. */
  durationMs: number;
  /** The user who moved the deal here; null when the system (an import, a workflow) did. */
  changedBy: string | null;
}

/**
 * A deal's stays in its stages, newest first — written by every move (see `enterStage`), read here
 * for the deal page. The deal is read first, so a missing, foreign or hidden one answers 404.
 */
export async function dealStageHistory(ctx: Ctx, dealId: string): Promise<StageStay[]> {
  return ctx.tx(async (tx) => {
    await loadDeal(ctx, tx, dealId);
    const rows = await db(tx)
      .selectFrom('deal_stage_history as h')
      .innerJoin('pipeline_stages as s', (j) =>
        j.onRef('s.organization_id', '=', 'h.organization_id').onRef('s.id', '=', 'h.stage_id'),
      )
      .leftJoin('pipeline_stages as f', (j) =>
        j
          .onRef('f.organization_id', '=', 'h.organization_id')
          .onRef('f.id', '=', 'h.from_stage_id'),
      )
      .select([
        'h.id',
        'h.entered_at',
        'h.left_at',
        'h.changed_by',
        's.id as stage_id',
        's.name as stage_name',
        's.kind as stage_kind',
        'f.id as from_id',
        'f.name as from_name',
        'f.kind as from_kind',
      ])
      .where('h.organization_id', '=', ctx.organizationId)
      .where('h.deal_id', '=', dealId)
      .orderBy('h.entered_at', 'desc')
      .orderBy('h.id', 'desc')
      .execute();
    const now = ctx.deps.clock.now().getTime();
    return rows.map((r) => ({
      id: r.id,
      stage: { id: r.stage_id, name: r.stage_name, kind: r.stage_kind },
      // A stage deleted from the pipeline since leaves its stays without a name to show.
      fromStage:
        r.from_id && r.from_name && r.from_kind
          ? { id: r.from_id, name: r.from_name, kind: r.from_kind }
          : null,
      enteredAt: r.entered_at.toISOString(),
      leftAt: r.left_at?.toISOString() ?? null,
      durationMs: Math.max(0, (r.left_at?.getTime() ?? now) - r.entered_at.getTime()),
      changedBy: r.changed_by,
    }));
  });
}
