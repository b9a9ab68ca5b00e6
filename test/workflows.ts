import { sql } from 'kysely';
import type { TestApp } from './harness.js';
import { withSystem } from '../src/platform/db/index.js';

/**
 * Runs events and jobs until nothing is left to do now: event consumers start runs, the job
 * runner moves them step by step. `dueNow` also pulls retries and waits forward in time.
 */
export async function settle(
  t: TestApp,
  options: { dueNow?: boolean; rounds?: number } = {},
): Promise<void> {
  for (let i = 0; i < (options.rounds ?? 50); i++) {
    if (options.dueNow) {
      await withSystem(t.deps.database.db, (tx) =>
        sql`update jobs set run_at = now() where status = 'pending' and run_at > now()`.execute(tx),
      );
    }
    let events = 0;
    for (let j = 0; j < 10; j++) {
      const n = await t.deps.outbox.drain();
      events += n;
      if (n === 0) break;
    }
    const jobs = await t.deps.jobs.runDue();
    if (events === 0 && jobs === 0) return;
  }
}

/** A definition object for tests (the API applies defaults). */
export const definition = (d: Record<string, unknown>) => ({ conditions: null, layout: {}, ...d });
