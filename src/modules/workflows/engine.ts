import { v7 as uuidv7 } from 'uuid';
import { createCtx, systemActor, type Ctx, type Deps } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import type { JobHandler, JobRun } from '../../platform/jobs/index.js';
import { emit } from '../../platform/outbox/index.js';
import type { Definition, Step } from './definition.js';
import { WORKFLOW_EVENTS } from './events.js';
import { withLinkedRecords } from './objects.js';
import {
  callWebhook,
  isPermanent,
  performInTx,
  PermanentStepError,
  type Performed,
  type StepRun,
} from './perform.js';
import { planStep, type PlannedStep, type RunData } from './plan.js';
import { ADVANCE_JOB, enqueueStep, reportRunProblem, type RunEnv, type RunRow } from './runs.js';
import type { StepStatus, WorkflowTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<WorkflowTables>();

interface Loaded {
  run: RunRow;
  definition: Definition;
  workflow: { name: string; ownerId: string | null; signingSecretEnc: string };
}

/** The run, locked, with its version's definition and its workflow's settings. */
async function load(tx: Tx, organizationId: string, runId: string): Promise<Loaded | null> {
  const run = await db(tx)
    .selectFrom('workflow_runs')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', runId)
    .forUpdate()
    .executeTakeFirst();
  if (!run) return null;
  const meta = await db(tx)
    .selectFrom('workflows as w')
    .innerJoin('workflow_versions as v', (j) =>
      j.onRef('v.organization_id', '=', 'w.organization_id').onRef('v.workflow_id', '=', 'w.id'),
    )
    .select(['w.name', 'w.owner_id', 'w.signing_secret_enc', 'v.definition'])
    .where('w.organization_id', '=', organizationId)
    .where('w.id', '=', run.workflow_id)
    .where('v.version', '=', run.version)
    .executeTakeFirstOrThrow();
  return {
    run,
    definition: meta.definition,
    workflow: {
      name: meta.name,
      ownerId: meta.owner_id,
      signingSecretEnc: meta.signing_secret_enc,
    },
  };
}

const isFinished = (run: RunRow) =>
  run.status === 'succeeded' || run.status === 'failed' || run.status === 'stopped';

/** Merges a step's data into the run's; step outputs accumulate under `steps`. */
function merge(data: RunData, patch: RunData | undefined): RunData {
  if (!patch) return data;
  const steps = {
    ...((data.steps as RunData | undefined) ?? {}),
    ...((patch.steps as RunData | undefined) ?? {}),
  };
  return { ...data, ...patch, steps };
}

async function logStep(
  tx: Tx,
  run: RunRow,
  step: Step,
  attempt: number,
  status: StepStatus,
  startedAt: Date,
  now: Date,
  io: { input?: unknown; output?: unknown; error?: string },
): Promise<void> {
  await db(tx)
    .insertInto('workflow_run_steps')
    .values({
      organization_id: run.organization_id,
      id: uuidv7(),
      run_id: run.id,
      seq: run.step_seq,
      step_id: step.id,
      step_type: step.type,
      status,
      attempt,
      input: io.input === undefined ? null : JSON.stringify(io.input),
      output: io.output === undefined ? null : JSON.stringify(io.output),
      error: io.error ?? null,
      started_at: startedAt,
      finished_at: now,
    })
    .onConflict((oc) => oc.columns(['organization_id', 'run_id', 'seq', 'attempt']).doNothing())
    .execute();
}

/** Moves the run past a completed step: to the next one (now or after a wait) or to its end. */
async function advance(
  tx: Tx,
  env: RunEnv,
  run: RunRow,
  definition: Definition,
  plan: PlannedStep,
  data: RunData,
  now: Date,
): Promise<void> {
  const next = plan.next ? definition.steps.find((s) => s.id === plan.next) : undefined;
  const scope = db(tx)
    .updateTable('workflow_runs')
    .where('organization_id', '=', run.organization_id)
    .where('id', '=', run.id);
  if (!next) {
    await scope
      .set({
        status: 'succeeded',
        current_step: null,
        step_seq: run.step_seq + 1,
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
    return;
  }
  await scope
    .set({
      status: plan.waitUntil ? 'waiting' : 'running',
      current_step: next.id,
      step_seq: run.step_seq + 1,
      data: JSON.stringify(data),
      updated_at: now,
    })
    .execute();
  await enqueueStep(tx, env, run.id, run.step_seq + 1, next, plan.waitUntil);
}

/**
 * A waiting run resumes: its wait step's log row, `waiting` while the run slept, becomes
 * `succeeded`, finished now (so its duration is the wait), and the run is running again.
 */
async function endWait(tx: Tx, run: RunRow, now: Date): Promise<RunRow> {
  await db(tx)
    .updateTable('workflow_run_steps')
    .set({ status: 'succeeded', finished_at: now })
    .where('organization_id', '=', run.organization_id)
    .where('run_id', '=', run.id)
    .where('seq', '=', run.step_seq - 1)
    .where('status', '=', 'waiting')
    .execute();
  await db(tx)
    .updateTable('workflow_runs')
    .set({ status: 'running', updated_at: now })
    .where('organization_id', '=', run.organization_id)
    .where('id', '=', run.id)
    .execute();
  return { ...run, status: 'running' };
}

/** The run a job is about, locked, with the step it is at; null when the job has nothing left to do. */
async function lockStep(
  tx: Tx,
  job: Pick<JobRun, 'organizationId'>,
  runId: string,
  seq: number,
  now: Date,
): Promise<(Loaded & { step: Step | undefined }) | null> {
  const loaded = await load(tx, job.organizationId, runId);
  if (!loaded || isFinished(loaded.run) || loaded.run.step_seq !== seq) return null;
  // Ended here, whatever the next step does: it may fail, and the wait still happened.
  const run = loaded.run.status === 'waiting' ? await endWait(tx, loaded.run, now) : loaded.run;
  return { ...loaded, run, step: loaded.definition.steps.find((s) => s.id === run.current_step) };
}

/** What a step's effects run as: the ctx carrying the run's causation, and the run as actions see it. */
function stepScope(base: Ctx, run: RunRow, seq: number): { ctx: Ctx; stepRun: StepRun } {
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

/**
 * Runs the step a job names, once. The step's effect, its log row, the run's move to the next
 * step, the next step's job and this job's success commit together, under a lock on the run; a
 * job that finds the run already past its step (a duplicate, or a retry after a crash after the
 * commit) does nothing. Most steps are one transaction from the lock to the commit. A webhook
 * call cannot wait inside a transaction: it is planned, called with an idempotency key, and then
 * recorded in a second transaction under the same checks.
 */
export async function advanceRun(deps: Deps, job: JobRun): Promise<void> {
  const runId = String(job.payload.runId);
  const seq = Number(job.payload.seq);
  const base = createCtx(deps, systemActor(job.organizationId));
  const startedAt = deps.clock.now();
  const env: RunEnv = {
    organizationId: job.organizationId,
    realtime: deps.realtime,
    now: startedAt,
    jobs: deps.jobs,
  };
  let attempted: { step: Step | undefined; plan: PlannedStep | null } = {
    step: undefined,
    plan: null,
  };

  /** Plans the locked step and, unless it calls out, performs and records it in `tx`. */
  async function perform(
    tx: Tx,
    locked: Loaded & { step: Step | undefined },
    external: Performed | null,
  ): Promise<'done' | 'call_out'> {
    const { run, definition, workflow, step } = locked;
    attempted = { step, plan: null };
    if (!step)
      throw new PermanentStepError(
        `the step "${run.current_step ?? ''}" is not in version ${run.version}`,
      );
    const { ctx, stepRun } = stepScope(base, run, seq);
    const data = run.data.prepared
      ? run.data
      : await withLinkedRecords(ctx, stepRun.object, run.data);
    const plan = planStep(step, data, stepRun.object, startedAt, workflow.ownerId);
    attempted = { step, plan };
    if (plan.problems.length)
      throw new PermanentStepError(plan.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
    if (step.type === 'call_webhook' && !external) return 'call_out';
    const done = external ?? (await performInTx(ctx, tx, stepRun, step, plan));
    const now = deps.clock.now();
    // A wait with nothing after it ends the run at once: there is nothing to wait for.
    const waits = plan.waitUntil !== undefined && plan.next !== null;
    await logStep(tx, run, step, job.attempt, waits ? 'waiting' : 'succeeded', startedAt, now, {
      input: plan.input,
      output: done.output,
    });
    await advance(tx, env, run, definition, plan, merge(data, done.data), now);
    // The job's success commits with the step: a crash after this commit leaves nothing to redo.
    await job.complete(tx);
    return 'done';
  }

  try {
    const first = await base.tx(async (tx) => {
      const locked = await lockStep(tx, job, runId, seq, deps.clock.now());
      return locked ? { locked, outcome: await perform(tx, locked, null) } : null;
    });
    if (first?.outcome !== 'call_out') return;
    const { plan } = attempted;
    if (!plan) return;
    const { ctx, stepRun } = stepScope(base, first.locked.run, seq);
    const external = await callWebhook(ctx, stepRun, first.locked.workflow.signingSecretEnc, plan);
    await base.tx(async (tx) => {
      const locked = await lockStep(tx, job, runId, seq, deps.clock.now());
      if (locked) await perform(tx, locked, external);
    });
  } catch (e) {
    const message = e instanceof Error ? e.message.slice(0, 1000) : 'unexpected error';
    const final = isPermanent(e) || job.attempt >= job.maxAttempts;
    await recordFailure(deps, job, message, final, { ...attempted, startedAt }, (tx) =>
      job.complete(tx),
    );
    if (!final) throw e;
  }
}

/**
 * Logs a failed attempt of the step a job names; when it was the last, fails the run and tells
 * its owner. `complete` marks the job done with the failure (the handler then returns normally).
 */
async function recordFailure(
  deps: Deps,
  job: Omit<JobRun, 'complete'>,
  message: string,
  final: boolean,
  known: { step: Step | undefined; plan: PlannedStep | null; startedAt: Date | null },
  complete: ((tx: Tx) => Promise<void>) | null,
): Promise<void> {
  const runId = String(job.payload.runId);
  const base = createCtx(deps, systemActor(job.organizationId));
  const now = deps.clock.now();
  const env: RunEnv = {
    organizationId: job.organizationId,
    realtime: deps.realtime,
    now,
    jobs: deps.jobs,
  };
  await base.tx(async (tx) => {
    const fresh = await lockStep(tx, job, runId, Number(job.payload.seq), now);
    if (!fresh) return;
    const step = known.step ?? fresh.step;
    if (step)
      await logStep(
        tx,
        fresh.run,
        step,
        job.attempt,
        final ? 'failed' : 'retrying',
        known.startedAt ?? now,
        now,
        { input: known.plan?.input, error: message },
      );
    if (!final) return;
    await db(tx)
      .updateTable('workflow_runs')
      .set({ status: 'failed', error: message, finished_at: now, updated_at: now })
      .where('organization_id', '=', job.organizationId)
      .where('id', '=', runId)
      .execute();
    const { run, workflow } = fresh;
    await reportRunProblem(
      tx,
      env,
      {
        id: runId,
        workflowId: run.workflow_id,
        workflowName: workflow.name,
        ownerId: workflow.ownerId,
        stepId: step?.id ?? null,
      },
      'failed',
      `Step "${step?.name ?? step?.id ?? '?'}" failed: ${message}`,
    );
    await complete?.(tx);
  });
}

/** The job handler that moves runs forward. */
export const advanceHandler: JobHandler = {
  name: ADVANCE_JOB,
  handle: (job, deps) => advanceRun(deps, job),
  // The worker died during the step's last attempt: the run fails like after any last failure.
  abandoned: (job, error, deps) =>
    recordFailure(deps, job, error, true, { step: undefined, plan: null, startedAt: null }, null),
};
