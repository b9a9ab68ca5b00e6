import type { Deps } from '../../platform/context/index.js';
import { withSystem } from '../../platform/db/index.js';
import {
  enqueueUniqueJobs,
  runSourceNow,
  type EnqueuedJob,
  type JobHandler,
  type JobSource,
} from '../../platform/jobs/index.js';
import { snapshotForecast } from './forecast.js';

// Each organization's daily forecast snapshot (what forecast accuracy compares against) is one
// durable job per organization and day, keyed by the day: the hourly pass of every worker finds
// the day's job already there, and a failed snapshot waits on the failed-jobs page to be retried.

/** The job that records one organization's forecast snapshot of one day. */
export const FORECAST_SNAPSHOT_JOB = 'sales.forecast-snapshot';

/** Organizations enqueued per statement. */
const BATCH = 1_000;

/** Enqueues the snapshot of `now`'s day (UTC) for every organization that has none yet. */
async function enqueueForecastSnapshots(deps: Deps, now: Date): Promise<EnqueuedJob[]> {
  const day = now.toISOString().slice(0, 10);
  const enqueued: EnqueuedJob[] = [];
  let after = '';
  for (;;) {
    const batch = await withSystem(deps.database.db, async (tx) => {
      const orgs = await tx
        .selectFrom('organizations')
        .select('id')
        .where('id', '>', after || '00000000-0000-0000-0000-000000000000')
        .orderBy('id')
        .limit(BATCH)
        .execute();
      const jobs = orgs.map((org) => ({
        organizationId: org.id,
        name: FORECAST_SNAPSHOT_JOB,
        payload: { day },
        key: day,
      }));
      const next = orgs.length === BATCH ? (orgs.at(-1)?.id ?? null) : null;
      return { next, jobs: await enqueueUniqueJobs(tx, jobs) };
    });
    enqueued.push(...batch.jobs);
    if (batch.next === null) return enqueued;
    after = batch.next;
  }
}

/** Finds the organizations without today's snapshot (every hour on each worker). */
export const forecastSnapshotSource: JobSource = {
  job: FORECAST_SNAPSHOT_JOB,
  everyMs: 3_600_000,
  enqueueDue: enqueueForecastSnapshots,
};

/**
 * Records the organization's snapshot dated the day it was enqueued for: a retry on a later day
 * fills that day in late (with the numbers of the retry) rather than leaving it out.
 */
export const forecastSnapshotJob: JobHandler = {
  name: FORECAST_SNAPSHOT_JOB,
  handle: async (job, deps) => {
    await snapshotForecast(deps, job.organizationId, String(job.payload.day));
  },
};

/**
 * Enqueues the snapshots of `deps.clock`'s day and runs their jobs in this process; answers how
 * many jobs ran (none when the day's were enqueued before). For scripts and tests.
 */
export const snapshotForecasts = (deps: Deps): Promise<number> =>
  runSourceNow(deps, forecastSnapshotSource);
