import { createCtx, systemActor, type Deps } from '../../platform/context/index.js';
import { withSystem, type Tx } from '../../platform/db/index.js';
import { isDomainError } from '../../platform/errors/index.js';
import {
  enqueueUniqueJobs,
  PermanentJobError,
  runSourceNow,
  type EnqueuedJob,
  type JobHandler,
  type JobRun,
  type JobSource,
} from '../../platform/jobs/index.js';
import { dealsClosingBetween } from '../sales/index.js';
import { tasksDueBetween } from '../records/index.js';
import { evaluateConditions } from './conditions.js';
import { startRun } from './runs.js';
import type { WorkflowTables } from './schema.js';
import { loadVersion, loadWorkflow } from './workflows.js';

const db = (tx: Tx) => tx.withTables<WorkflowTables>();
const DAY_MS = 86_400_000;
const dateOnly = (d: Date) => d.toISOString().slice(0, 10);

/** The records whose date, moved by the offset, falls in (from, to], with the date that fires. */
async function dueRecords(
  deps: Deps,
  organizationId: string,
  object: 'deal' | 'activity',
  offsetDays: number,
  from: Date,
  to: Date,
): Promise<Array<{ record: Record<string, unknown> & { id: string }; date: string }>> {
  const ctx = createCtx(deps, systemActor(organizationId));
  const lo = new Date(from.getTime() - offsetDays * DAY_MS);
  const hi = new Date(to.getTime() - offsetDays * DAY_MS);
  const inWindow = (t: number) => t > lo.getTime() && t <= hi.getTime();
  if (object === 'deal') {
    // A close date fires at 00:00 UTC of its day (plus the offset).
    const deals = await dealsClosingBetween(
      ctx,
      dateOnly(new Date(lo.getTime() - DAY_MS)),
      dateOnly(new Date(hi.getTime() + DAY_MS)),
    );
    return deals.flatMap((d) =>
      d.expectedCloseDate && inWindow(Date.parse(`${d.expectedCloseDate}T00:00:00Z`))
        ? [{ record: { ...d }, date: d.expectedCloseDate }]
        : [],
    );
  }
  const tasks = await tasksDueBetween(ctx, lo, new Date(hi.getTime() + 1));
  return tasks.flatMap((t) =>
    t.dueAt && inWindow(Date.parse(t.dueAt)) ? [{ record: { ...t }, date: t.dueAt }] : [],
  );
}

/** The job that starts one relative-date run: one workflow, one record, one date. */
export const DATE_TRIGGER_JOB = 'workflow.date-trigger';

interface DueWorkflow {
  organization_id: string;
  id: string;
  published_version: number | null;
  date_swept_at: Date | null;
}

/**
 * Enqueues a job for each record whose date entered one workflow's window (its last pass, `now`]
 * and meets its conditions, and moves the window on in the same transaction. The job key
 * (workflow, record, date) makes passes that overlap — two workers, or a pass after a cursor set
 * back — enqueue each once; a failed pass leaves the cursor, and the next covers its window again.
 */
async function enqueueWorkflowDates(deps: Deps, w: DueWorkflow, now: Date): Promise<EnqueuedJob[]> {
  const version = w.published_version;
  if (version === null) return [];
  const ctx = createCtx(deps, systemActor(w.organization_id));
  const def = await ctx.tx((tx) => loadVersion(tx, w.organization_id, w.id, version));
  if (def.trigger.type !== 'date_relative') return [];
  const trigger = def.trigger;
  const from = w.date_swept_at ?? now;
  const records =
    from < now
      ? await dueRecords(deps, w.organization_id, trigger.object, trigger.offsetDays, from, now)
      : [];
  const jobs = records
    .filter(({ record }) => evaluateConditions(def.conditions, { record }))
    .map(({ record, date }) => ({
      organizationId: w.organization_id,
      name: DATE_TRIGGER_JOB,
      key: `${w.id}:${record.id}:${date}`,
      payload: { workflowId: w.id, version, object: trigger.object, record, date },
    }));
  return ctx.tx(async (tx) => {
    const enqueued = await enqueueUniqueJobs(tx, jobs);
    // Never back: a slower pass that read an older cursor must not reopen a covered window.
    await db(tx)
      .updateTable('workflows')
      .set({ date_swept_at: now })
      .where('organization_id', '=', w.organization_id)
      .where('id', '=', w.id)
      .where((eb) => eb.or([eb('date_swept_at', 'is', null), eb('date_swept_at', '<', now)]))
      .execute();
    return enqueued;
  });
}

/**
 * Looks for the due dates of every enabled relative-date workflow ("3 days before a deal's
 * expected close date"). A workflow whose look fails is logged and looked at again next pass; the
 * others go on.
 */
async function enqueueDateTriggers(deps: Deps, now: Date): Promise<EnqueuedJob[]> {
  const due = await withSystem(deps.database.db, (tx) =>
    db(tx)
      .selectFrom('workflows')
      .select(['organization_id', 'id', 'published_version', 'date_swept_at'])
      .where('enabled', '=', true)
      .where('deleted_at', 'is', null)
      .where('trigger_key', 'like', 'date:%')
      .execute(),
  );
  const enqueued: EnqueuedJob[] = [];
  for (const w of due) {
    try {
      enqueued.push(...(await enqueueWorkflowDates(deps, w, now)));
    } catch (err) {
      deps.log.error(
        { err, workflowId: w.id, organizationId: w.organization_id },
        'could not look for the due dates of a workflow; the next pass looks again',
      );
    }
  }
  return enqueued;
}

/** Finds the records whose trigger date came (every minute on each worker). */
export const dateTriggerSource: JobSource = {
  job: DATE_TRIGGER_JOB,
  everyMs: 60_000,
  enqueueDue: enqueueDateTriggers,
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a date-trigger job carries: the version whose trigger matched, and the record as it was then. */
function payloadOf(job: JobRun) {
  const { record, ...p } = job.payload;
  // Only a row written around the source gets here: retrying cannot mend it.
  if (!isRecord(record) || typeof record.id !== 'string')
    throw new PermanentJobError('The job names no record to start the run on');
  return {
    workflowId: String(p.workflowId),
    version: Number(p.version),
    object: p.object === 'deal' ? ('deal' as const) : ('activity' as const),
    record: { ...record, id: record.id },
    date: String(p.date),
  };
}

/**
 * Starts the run of one (workflow, record, date), on the version whose trigger matched, unless the
 * workflow was disabled or deleted since. The run's dedupe key makes it one run per record and
 * date, however often the job runs; the job's success commits with the run.
 */
async function startDateRun(job: JobRun, deps: Deps): Promise<void> {
  const p = payloadOf(job);
  const ctx = createCtx(deps, systemActor(job.organizationId));
  await ctx.tx(async (tx) => {
    const w = await loadWorkflow(ctx, tx, p.workflowId).catch((e: unknown) => {
      if (isDomainError(e) && e.code === 'NOT_FOUND') return null;
      throw e;
    });
    if (w?.enabled) {
      const definition = await loadVersion(tx, job.organizationId, w.id, p.version);
      await startRun(
        tx,
        {
          organizationId: job.organizationId,
          realtime: deps.realtime,
          now: deps.clock.now(),
          jobs: deps.jobs,
        },
        {
          workflow: { id: w.id, name: w.name, ownerId: w.owner_id },
          version: p.version,
          definition,
          triggerType: 'date_relative',
          record: { type: p.object, id: p.record.id },
          data: { record: p.record, [p.object]: p.record, workflow: { id: w.id, name: w.name } },
          depth: 0,
          dedupeKey: `date:${p.record.id}:${p.date}`,
        },
      );
    }
    await job.complete(tx);
  });
}

/** Starts the run of a relative-date trigger for one record and date. */
export const dateTriggerJob: JobHandler = { name: DATE_TRIGGER_JOB, handle: startDateRun };

/**
 * Enqueues the relative-date runs due now and runs their jobs in this process; answers how many
 * jobs ran. For scripts and tests: workers leave it to the source's pass and the job runner.
 */
export const fireDateTriggers = (deps: Deps): Promise<number> =>
  runSourceNow(deps, dateTriggerSource);
