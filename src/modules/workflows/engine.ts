import { createCtx, systemActor, type Deps } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import type { JobHandler, JobRun } from '../../platform/jobs/index.js';
import type { Definition, Step } from './definition.js';
import { callWebhook, isPermanent, PermanentStepError, type Performed } from './perform.js';
import type { PlannedStep } from './plan.js';
import { ADVANCE_JOB, reportRunProblem, type RunEnv, type RunRow } from './runs.js';
import type { WorkflowTables } from './schema.js';
import { logStep, performStep, prepareStep, proceed, stepScope } from './step-run.js';

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

/**
 * Runs the step a job names, once, and the steps after it that are due now (`proceed`). The
 * step's effect, its log row, the run's move, the next step's job and this job's success commit
 * together, under a lock on the run; a job that finds the run already past its step (a duplicate,
 * or a retry after a crash after the commit) does nothing. A webhook call cannot wait inside a
 * transaction: it is planned, called with an idempotency key, and then recorded in a second
 * transaction under the same checks.
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

  /** Plans the locked step and, unless it calls out, performs it and what follows in `tx`. */
  async function perform(
    tx: Tx,
    locked: Loaded & { step: Step | undefined },
    external: Performed | null,
  ): Promise<'done' | 'call_out'> {
    const { run, step } = locked;
    attempted = { step, plan: null };
    if (!step)
      throw new PermanentStepError(
        `the step "${run.current_step ?? ''}" is not in version ${run.version}`,
      );
    const prepared = await prepareStep(base, locked, step, startedAt);
    attempted = { step, plan: prepared.plan };
    if (step.type === 'call_webhook' && !external) return 'call_out';
    const moved = await performStep(base, tx, locked, step, prepared, {
      number: job.attempt,
      startedAt,
      external,
    });
    await proceed(base, tx, env, moved, locked);
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
      await logStep(tx, fresh.run, {
        step,
        attempt: job.attempt,
        status: final ? 'failed' : 'retrying',
        startedAt: known.startedAt ?? now,
        now,
        io: { input: known.plan?.input, error: message },
      });
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
