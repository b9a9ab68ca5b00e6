import type { Selectable } from 'kysely';
import { createCtx, systemActor, type Clock, type Deps } from '../src/platform/context/index.js';
import { withSystem } from '../src/platform/db/index.js';
import {
  runDueJobsNamed,
  type JobInput,
  type JobTable,
  type JobTables,
} from '../src/platform/jobs/index.js';

// Helpers for tests of background jobs.

/** A clock a test moves by hand. */
export interface ManualClock extends Clock {
  at: Date;
  advance(ms: number): void;
}

/** A clock standing at `start` until moved. */
export function manualClock(start: Date = new Date()): ManualClock {
  const clock: ManualClock = {
    at: start,
    now: () => clock.at,
    advance: (ms) => {
      clock.at = new Date(clock.at.getTime() + ms);
    },
  };
  return clock;
}

/** Enqueues a job as the organization's system actor through ctx.enqueue (so the runner is woken after commit). */
export async function enqueueAs(deps: Deps, job: JobInput): Promise<string> {
  const { organizationId, ...rest } = job;
  const ctx = createCtx(deps, systemActor(organizationId));
  return ctx.tx((tx) => ctx.enqueue(tx, rest));
}

/** The stored row of a job. */
export async function jobRow(deps: Deps, id: string): Promise<Selectable<JobTable>> {
  return withSystem(deps.database.db, (tx) =>
    tx
      .withTables<JobTables>()
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow(),
  );
}

/** Waits until `check` holds, polling every 20 ms. */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A promise with its resolve function, for handlers a test holds open. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Runs due jobs with the app's runner until none is left due now (what a worker would do, synchronously). */
export async function runDueJobs(deps: Deps, rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) if ((await deps.jobs.runDue()) === 0) return;
}

/** Makes every pending job named `name` due now, as if its backoff or delay had passed; answers how many. */
export async function hastenPendingJobs(deps: Deps, name: string): Promise<number> {
  const now = deps.clock.now();
  const r = await withSystem(deps.database.db, (tx) =>
    tx
      .withTables<JobTables>()
      .updateTable('jobs')
      .set({ run_at: now })
      .where('name', '=', name)
      .where('status', '=', 'pending')
      .where('run_at', '>', now)
      .executeTakeFirst(),
  );
  return Number(r.numUpdatedRows);
}

/**
 * Runs the jobs named `name` that are due, bringing their pending retries forward each round,
 * until none is left to run: hours of backoff in a moment. Answers how many attempts ran.
 */
export async function runJobsNamedWithoutBackoff(
  deps: Deps,
  name: string,
  rounds = 50,
): Promise<number> {
  let ran = 0;
  for (let i = 0; i < rounds; i++) {
    await hastenPendingJobs(deps, name);
    const n = await runDueJobsNamed(deps, name);
    if (n === 0) return ran;
    ran += n;
  }
  return ran;
}
