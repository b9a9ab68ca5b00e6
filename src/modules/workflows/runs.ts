import type { Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { onCommit, type Tx } from '../../platform/db/index.js';
import { enqueueJob, type JobRunner } from '../../platform/jobs/index.js';
import { emit } from '../../platform/outbox/index.js';
import type { RealtimeBus } from '../../platform/realtime/index.js';
import { notify } from '../notifications/index.js';
import type { Definition, Step } from './definition.js';
import { WORKFLOW_EVENTS } from './events.js';
import type { WorkflowRunTable, WorkflowTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<WorkflowTables>();
export type RunRow = Selectable<WorkflowRunTable>;

/** The job that runs a run's next step. */
export const ADVANCE_JOB = 'workflow.advance';
/** A chain of runs causing runs stops at this depth (a workflow changing its own trigger record). */
export const MAX_DEPTH = 5;
/** At most this many runs of one workflow for one record per minute. */
export const MAX_RUNS_PER_RECORD_PER_MINUTE = 20;

/** The job runner a run's steps go to: a step due now runs in this process right after the commit when it can. */
export type StepJobs = Pick<JobRunner, 'enqueueHere' | 'wake'>;

/** Enqueues the job for step `seq` of a run; the key makes a second enqueue of the same step a no-op. */
export async function enqueueStep(
  tx: Tx,
  env: RunEnv,
  runId: string,
  seq: number,
  step: Step | undefined,
  runAt?: Date,
): Promise<void> {
  const job = {
    organizationId: env.organizationId,
    name: ADVANCE_JOB,
    payload: { runId, seq },
    key: `${runId}:${seq}`,
    maxAttempts: step?.retry?.maxAttempts ?? 3,
  };
  if (!env.jobs) return void (await enqueueJob(tx, { ...job, ...(runAt ? { runAt } : {}) }));
  if (!runAt) return void (await env.jobs.enqueueHere(tx, job));
  onCommit(tx, env.jobs.wake);
  await enqueueJob(tx, { ...job, runAt });
}

/** What starts a run. */
export interface RunStart {
  workflow: { id: string; name: string; ownerId: string | null };
  version: number;
  definition: Definition;
  triggerType: string;
  eventId?: string | null;
  record?: { type: string; id: string } | null;
  /** The data templates and conditions read (the trigger record, changes, the webhook body…). */
  data: Record<string, unknown>;
  depth: number;
  /** One run per workflow and key (event id, schedule fire time, date, request id). */
  dedupeKey: string;
  startedBy?: string | null;
}

/** Who takes a started run to its first step: the job queue, or the caller (which performs it inline). */
export type FirstStep = 'enqueue' | 'caller';

/** The process parts a run start needs besides the transaction. */
export interface RunEnv {
  organizationId: string;
  realtime: RealtimeBus;
  now: Date;
  /** Where the run's steps are enqueued; null: as plain pending jobs, for whichever runner polls. */
  jobs: StepJobs | null;
}

/** Why a guard refuses a new run, or null when it may start. */
async function guardReason(tx: Tx, env: RunEnv, start: RunStart): Promise<string | null> {
  if (start.depth >= MAX_DEPTH) {
    return `Loop guard: this run was caused by a chain of ${start.depth} workflow runs (the limit is ${MAX_DEPTH}); a workflow is probably changing the records that trigger it`;
  }
  if (!start.record) return null;
  const since = new Date(env.now.getTime() - 60_000);
  const recent = await db(tx)
    .selectFrom('workflow_runs')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('organization_id', '=', env.organizationId)
    .where('workflow_id', '=', start.workflow.id)
    .where('record_id', '=', start.record.id)
    .where('started_at', '>', since)
    .executeTakeFirstOrThrow();
  if (Number(recent.n) >= MAX_RUNS_PER_RECORD_PER_MINUTE) {
    return `Loop guard: this workflow already ran ${recent.n} times for this record in the last minute (the limit is ${MAX_RUNS_PER_RECORD_PER_MINUTE})`;
  }
  return null;
}

/** Tells the workflow's owner about a run that failed or was stopped, in the app and as an event. */
export async function reportRunProblem(
  tx: Tx,
  env: RunEnv,
  run: {
    id: string;
    workflowId: string;
    workflowName: string;
    ownerId: string | null;
    stepId: string | null;
  },
  kind: 'failed' | 'stopped',
  message: string,
): Promise<void> {
  const payload = {
    workflowId: run.workflowId,
    workflowName: run.workflowName,
    runId: run.id,
    stepId: run.stepId,
    error: message,
    ownerId: run.ownerId,
  };
  await emit(tx, {
    organizationId: env.organizationId,
    type: kind === 'failed' ? WORKFLOW_EVENTS.runFailed : WORKFLOW_EVENTS.runStopped,
    aggregateType: 'workflow_run',
    aggregateId: run.id,
    payload,
  });
  if (!run.ownerId) return;
  await notify(env.realtime, tx, env.organizationId, {
    userId: run.ownerId,
    type: kind === 'failed' ? 'workflow.failed' : 'workflow.stopped',
    title:
      kind === 'failed'
        ? `Workflow "${run.workflowName}" failed`
        : `Workflow "${run.workflowName}" was stopped`,
    body: message.slice(0, 500),
    link: `/workflows/${run.workflowId}/runs/${run.id}`,
  });
}

/**
 * Starts a run in the caller's transaction: the run row and the job of its first step commit
 * with the change that triggered it, or not at all. A second start with the same dedupe key is a
 * no-op (answers null), so a redelivered event never starts a second run. A run the loop guard
 * refuses is kept as `stopped` with its reason, and the owner is told.
 */
export async function startRun(
  tx: Tx,
  env: RunEnv,
  start: RunStart,
  first: FirstStep = 'enqueue',
): Promise<RunRow | null> {
  const stopReason = await guardReason(tx, env, start);
  const id = uuidv7();
  const row = await db(tx)
    .insertInto('workflow_runs')
    .values({
      organization_id: env.organizationId,
      id,
      workflow_id: start.workflow.id,
      version: start.version,
      status: stopReason ? 'stopped' : start.definition.start ? 'running' : 'succeeded',
      trigger_type: start.triggerType,
      event_id: start.eventId ?? null,
      record_type: start.record?.type ?? null,
      record_id: start.record?.id ?? null,
      data: JSON.stringify(start.data),
      depth: start.depth,
      current_step: stopReason ? null : start.definition.start,
      step_seq: 0,
      error: null,
      stop_reason: stopReason,
      dedupe_key: start.dedupeKey,
      started_by: start.startedBy ?? null,
      finished_at: stopReason || !start.definition.start ? env.now : null,
    })
    .onConflict((oc) => oc.columns(['organization_id', 'workflow_id', 'dedupe_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) return null;
  if (stopReason) {
    await reportRunProblem(
      tx,
      env,
      {
        id,
        workflowId: start.workflow.id,
        workflowName: start.workflow.name,
        ownerId: start.workflow.ownerId,
        stepId: null,
      },
      'stopped',
      stopReason,
    );
    return row;
  }
  if (start.definition.start && first === 'enqueue')
    await enqueueStep(
      tx,
      env,
      id,
      0,
      start.definition.steps.find((s) => s.id === start.definition.start),
    );
  return row;
}
