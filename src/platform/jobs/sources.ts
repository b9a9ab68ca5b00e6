import type { Deps } from '../context/index.js';
import type { PeriodicTask } from '../schedule/index.js';
import type { EnqueuedJob } from './enqueue.js';

/**
 * Work that comes due by itself — a task's reminder time passes, a deal nears its close date, a
 * new day starts — has no request to enqueue its job. A job source finds such units of work on an
 * interval and enqueues one durable job per unit; the job does the work, so each unit gets the
 * platform's lease, retries with backoff, dead letter with its reason, the failed-jobs page and
 * takeover after a dead worker, like any other job.
 *
 * Every worker runs every source, so a source must enqueue a unit once however many passes see it
 * at the same time: with a dedupe key (enqueueUniqueJobs), or by claiming the unit's row with SKIP
 * LOCKED and recording its job on it in the enqueueing transaction. Once a unit has its job, later
 * passes leave it alone, so a unit whose job failed for good waits on the failed-jobs page instead
 * of being queued again. A pass that fails enqueues nothing and the next pass finds the same units.
 *
 * Cron schedules (`job_schedules`) fit work that fires at fixed times with a fixed payload per
 * organization; a source fits work whose units and times are in the data.
 */
export interface JobSource {
  /** The handler name of the jobs it enqueues, e.g. `records.task-reminder`. */
  job: string;
  /** How often each worker looks for due work. */
  everyMs: number;
  /** Enqueues a job for every unit due by `now` that has none yet; answers the jobs it enqueued. */
  enqueueDue(deps: Deps, now: Date): Promise<EnqueuedJob[]>;
}

/** The worker's periodic pass of a source: enqueue what is due and wake the runner if it found any. */
export function jobSourceTask(source: JobSource, deps: Deps): PeriodicTask {
  return {
    name: `${source.job} (source)`,
    everyMs: source.everyMs,
    run: async () => {
      const enqueued = await source.enqueueDue(deps, deps.clock.now());
      if (enqueued.length > 0) deps.jobs.wake();
      return enqueued.length;
    },
  };
}

/**
 * Runs a source's pass as of `now` and then, in this process, one attempt of each job the pass
 * enqueued; answers how many ran. For scripts and tests that drive the work synchronously (with
 * `now` in the future to make it due); workers leave it to the periodic pass and the job runner.
 */
export async function runSourceNow(
  deps: Deps,
  source: JobSource,
  now: Date = deps.clock.now(),
): Promise<number> {
  let ran = 0;
  for (const job of await source.enqueueDue(deps, now))
    if (await deps.jobs.runOne(job.id, job.organizationId)) ran++;
  return ran;
}
