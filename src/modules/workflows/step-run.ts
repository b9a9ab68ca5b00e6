import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../platform/context/index.js';
import { inSavepoint, type Tx } from '../../platform/db/index.js';
import { emit } from '../../platform/outbox/index.js';
import type { Definition, Step } from './definition.js';
import { WORKFLOW_EVENTS } from './events.js';
import { withLinkedRecords } from './objects.js';
import { performInTx, PermanentStepError, type Performed, type StepRun } from './perform.js';
import { planStep, type PlannedStep, type RunData } from './plan.js';
import { enqueueStep, type RunEnv, type RunRow } from './runs.js';
import type { StepStatus, WorkflowTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<WorkflowTables>();

/** A run with what its steps need: its version's definition and its workflow's name and owner. */
export interface RunState {
  run: RunRow;
  definition: Definition;
  workflow: { name: string; ownerId: string | null };
}

/** Where a run stands after a step: ended, waiting until a time, or ready for its next step now. */
export type Moved =
  | { kind: 'ended' }
  | { kind: 'waits'; run: RunRow; step: Step | undefined; until: Date }
  | { kind: 'ready'; run: RunRow; step: Step | undefined };

/**
 * Most steps a run takes inline in one transaction: it bounds how long one transaction holds its
 * locks, and a branch that loops back still yields to the job queue between laps.
 */
export const INLINE_STEP_BUDGET = 20;

/** What a step's effects run as: the ctx carrying the run's causation, and the run as actions see it. */
export function stepScope(base: Ctx, run: RunRow, seq: number): { ctx: Ctx; stepRun: StepRun } {
  // Effects of the run's actions carry its depth, so runs they trigger in turn count one deeper.
  const ctx = base.withCausation({
    workflowId: run.workflow_id,
    runId: run.id,
    depth: run.depth + 1,
  });
  const object = run.record_type ?? null;
  return {
    ctx,
    stepRun: { id: run.id, workflowId: run.workflow_id, seq, object, recordId: run.record_id },
  };
}

/** Merges a step's data into the run's; step outputs accumulate under `steps`. */
function merge(data: RunData, patch: RunData | undefined): RunData {
  if (!patch) return data;
  const steps = {
    ...((data.steps as RunData | undefined) ?? {}),
    ...((patch.steps as RunData | undefined) ?? {}),
  };
  return { ...data, ...patch, steps };
}

/** One attempt of one step, as the run log keeps it. */
interface StepAttempt {
  step: Step;
  attempt: number;
  status: StepStatus;
  startedAt: Date;
  now: Date;
  io: { input?: unknown; output?: unknown; error?: string };
}

export async function logStep(tx: Tx, run: RunRow, a: StepAttempt): Promise<void> {
  await db(tx)
    .insertInto('workflow_run_steps')
    .values({
      organization_id: run.organization_id,
      id: uuidv7(),
      run_id: run.id,
      seq: run.step_seq,
      step_id: a.step.id,
      step_type: a.step.type,
      status: a.status,
      attempt: a.attempt,
      input: a.io.input === undefined ? null : JSON.stringify(a.io.input),
      output: a.io.output === undefined ? null : JSON.stringify(a.io.output),
      error: a.io.error ?? null,
      started_at: a.startedAt,
      finished_at: a.now,
    })
    .onConflict((oc) => oc.columns(['organization_id', 'run_id', 'seq', 'attempt']).doNothing())
    .execute();
}

/** Moves the run past a completed step in one write: to the next one (now or after a wait) or to its end. */
async function advance(
  tx: Tx,
  state: RunState,
  plan: PlannedStep,
  data: RunData,
  now: Date,
): Promise<Moved> {
  const { run, definition } = state;
  const next = plan.next ? definition.steps.find((s) => s.id === plan.next) : undefined;
  const scope = db(tx)
    .updateTable('workflow_runs')
    .where('organization_id', '=', run.organization_id)
    .where('id', '=', run.id);
  const stepSeq = run.step_seq + 1;
  if (!next) {
    await scope
      .set({
        status: 'succeeded',
        current_step: null,
        step_seq: stepSeq,
        data: JSON.stringify(data),
        finished_at: now,
        updated_at: now,
      })
      .execute();
    await emit(tx, {
      organizationId: run.organization_id,
      type: WORKFLOW_EVENTS.runSucceeded,
      aggregateType: 'workflow_run',
      aggregateId: run.id,
      payload: { workflowId: run.workflow_id, runId: run.id },
    });
    return { kind: 'ended' };
  }
  const status = plan.waitUntil ? 'waiting' : 'running';
  await scope
    .set({
      status,
      current_step: next.id,
      step_seq: stepSeq,
      data: JSON.stringify(data),
      updated_at: now,
    })
    .execute();
  const moved: RunRow = { ...run, status, current_step: next.id, step_seq: stepSeq, data };
  return plan.waitUntil
    ? { kind: 'waits', run: moved, step: next, until: plan.waitUntil }
    : { kind: 'ready', run: moved, step: next };
}

/** A step as the engine is about to perform it: its plan over the run's data, and that data. */
export interface Prepared {
  plan: PlannedStep;
  data: RunData;
}

/** Plans the run's current step; a plan with problems fails the step for good. */
export async function prepareStep(
  base: Ctx,
  state: RunState,
  step: Step,
  startedAt: Date,
): Promise<Prepared> {
  const { run } = state;
  const { ctx, stepRun } = stepScope(base, run, run.step_seq);
  const data = run.data.prepared
    ? run.data
    : await withLinkedRecords(ctx, stepRun.object, run.data);
  const plan = planStep(step, data, stepRun.object, startedAt, state.workflow.ownerId);
  if (plan.problems.length)
    throw new PermanentStepError(plan.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return { plan, data };
}

/**
 * Performs a prepared step in `tx` — its effect (or the result of the outside call made before),
 * its log row and the run's move — so all of it commits, or none of it.
 */
export async function performStep(
  base: Ctx,
  tx: Tx,
  state: RunState,
  step: Step,
  prepared: Prepared,
  attempt: { number: number; startedAt: Date; external: Performed | null },
): Promise<Moved> {
  const { run } = state;
  const { plan, data } = prepared;
  const { ctx, stepRun } = stepScope(base, run, run.step_seq);
  const done = attempt.external ?? (await performInTx(ctx, tx, stepRun, step, plan));
  const now = base.deps.clock.now();
  // A wait with nothing after it ends the run at once: there is nothing to wait for.
  const waits = plan.waitUntil !== undefined && plan.next !== null;
  await logStep(tx, run, {
    step,
    attempt: attempt.number,
    status: waits ? 'waiting' : 'succeeded',
    startedAt: attempt.startedAt,
    now,
    io: { input: plan.input, output: done.output },
  });
  return advance(tx, state, plan, merge(data, done.data), now);
}

/** Whether a ready step can be performed inline: it is known and makes no outside call. */
const inline = (moved: Moved): moved is Extract<Moved, { kind: 'ready' }> & { step: Step } =>
  moved.kind === 'ready' && moved.step !== undefined && moved.step.type !== 'call_webhook';

/** Performs ready steps one after the other, up to the budget; answers where the run stopped. */
async function performReady(
  base: Ctx,
  tx: Tx,
  from: Moved,
  state: Omit<RunState, 'run'>,
): Promise<Moved> {
  let moved = from;
  for (let budget = INLINE_STEP_BUDGET; budget > 0 && inline(moved); budget--) {
    const current: RunState = { ...state, run: moved.run };
    const startedAt = base.deps.clock.now();
    const prepared = await prepareStep(base, current, moved.step, startedAt);
    moved = await performStep(base, tx, current, moved.step, prepared, {
      number: 1,
      startedAt,
      external: null,
    });
  }
  return moved;
}

/**
 * Takes a run on from where it stands, in `tx`. Steps due now that need no outside call (a
 * webhook cannot wait inside a transaction) are performed here, one after the other, in one
 * savepoint: when one fails, they are all undone and the first goes to the job queue, which takes
 * the run on from there, retrying and logging every attempt as before. So a run's database steps
 * cost no job, no claim and no transaction of their own, and a run costs one subtransaction
 * however many steps it takes (PostgreSQL slows down past 64 in one transaction). A wait, a
 * webhook, or the end of the budget enqueues the next step's job.
 */
export async function proceed(
  base: Ctx,
  tx: Tx,
  env: RunEnv,
  from: Moved,
  state: Omit<RunState, 'run'>,
): Promise<void> {
  let moved = from;
  if (inline(from)) {
    const attempt = await inSavepoint(tx, () => performReady(base, tx, from, state));
    if (!attempt.ok) return enqueueStep(tx, env, from.run.id, from.run.step_seq, from.step);
    moved = attempt.value;
  }
  if (moved.kind === 'ready')
    await enqueueStep(tx, env, moved.run.id, moved.run.step_seq, moved.step);
  else if (moved.kind === 'waits')
    await enqueueStep(tx, env, moved.run.id, moved.run.step_seq, moved.step, moved.until);
}
