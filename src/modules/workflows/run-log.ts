import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { decodeCursor, encodeCursor } from '../../platform/http/index.js';
import { z } from 'zod';
import type { RunRow } from './runs.js';
import type { RunStatus, StepStatus, WorkflowTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<WorkflowTables>();

/** A run as the API presents it. */
export interface WorkflowRun {
  id: string;
  workflowId: string;
  version: number;
  status: RunStatus;
  triggerType: string;
  recordType: string | null;
  recordId: string | null;
  depth: number;
  currentStep: string | null;
  error: string | null;
  stopReason: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/** One attempt of one step, as the run history shows it. */
export interface RunStepLog {
  seq: number;
  stepId: string;
  stepType: string;
  status: StepStatus;
  attempt: number;
  input: unknown;
  output: unknown;
  error: string | null;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}

export const presentRun = (r: RunRow): WorkflowRun => ({
  id: r.id,
  workflowId: r.workflow_id,
  version: r.version,
  status: r.status,
  triggerType: r.trigger_type,
  recordType: r.record_type,
  recordId: r.record_id,
  depth: r.depth,
  currentStep: r.current_step,
  error: r.error,
  stopReason: r.stop_reason,
  startedAt: r.started_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
});

/** Filters of the run list. */
export interface RunQuery {
  workflowId?: string;
  status?: RunStatus;
  recordId?: string;
  limit: number;
  cursor?: string | undefined;
  /** Also count the runs that match (meta.total). */
  count?: boolean;
}

/** Lists runs, newest first, paged by id. */
export async function listRuns(
  ctx: Ctx,
  q: RunQuery,
): Promise<{ data: WorkflowRun[]; meta: { nextCursor: string | null; total?: number } }> {
  authorize(ctx, 'workflows:read');
  const after = decodeCursor(q.cursor, z.object({ id: z.uuid() }));
  if (q.cursor && !after) throw errors.validation([{ path: 'cursor', message: 'is malformed' }]);
  return ctx.tx(async (tx) => {
    let query = db(tx)
      .selectFrom('workflow_runs')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId);
    if (q.workflowId) query = query.where('workflow_id', '=', q.workflowId);
    if (q.status) query = query.where('status', '=', q.status);
    if (q.recordId) query = query.where('record_id', '=', q.recordId);
    const total = q.count
      ? Number(
          (
            await query
              .clearSelect()
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        )
      : undefined;
    if (after) query = query.where('id', '<', after.id);
    const rows = await query
      .orderBy('id', 'desc')
      .limit(q.limit + 1)
      .execute();
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > q.limit && last ? encodeCursor({ id: last.id }) : null;
    return {
      data: page.map(presentRun),
      meta: { nextCursor, ...(total !== undefined ? { total } : {}) },
    };
  });
}

/** One run with every step attempt in order. */
export async function getRun(ctx: Ctx, id: string): Promise<WorkflowRun & { steps: RunStepLog[] }> {
  authorize(ctx, 'workflows:read');
  return ctx.tx(async (tx) => {
    const run = await db(tx)
      .selectFrom('workflow_runs')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!run) throw errors.notFound('Workflow run');
    const steps = await db(tx)
      .selectFrom('workflow_run_steps')
      .selectAll()
      .where('organization_id', '=', ctx.organizationId)
      .where('run_id', '=', id)
      .orderBy('seq')
      .orderBy('attempt')
      .execute();
    return {
      ...presentRun(run),
      steps: steps.map((s) => ({
        seq: s.seq,
        stepId: s.step_id,
        stepType: s.step_type,
        status: s.status,
        attempt: s.attempt,
        input: s.input,
        output: s.output,
        error: s.error,
        startedAt: s.started_at.toISOString(),
        finishedAt: s.finished_at.toISOString(),
        durationMs: s.finished_at.getTime() - s.started_at.getTime(),
      })),
    };
  });
}
