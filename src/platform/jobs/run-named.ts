import type { Deps } from '../context/index.js';
import { withSystem } from '../db/index.js';
import type { JobTables } from './tables.js';

/**
 * Runs now, in this process, one attempt of each due job named `name` (pending and due, or
 * running under a lapsed lease) and answers how many ran. For scripts and tests that drive one
 * kind of background work synchronously; workers leave every job to the runner's loop.
 */
export async function runDueJobsNamed(deps: Deps, name: string, limit = 100): Promise<number> {
  const now = deps.clock.now();
  const due = await withSystem(deps.database.db, (tx) =>
    tx
      .withTables<JobTables>()
      .selectFrom('jobs')
      .select(['organization_id', 'id'])
      .where('name', '=', name)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', now)]),
          eb.and([eb('status', '=', 'running'), eb('leased_until', '<=', now)]),
        ]),
      )
      .orderBy('run_at')
      .limit(limit)
      .execute(),
  );
  let ran = 0;
  for (const job of due) if (await deps.jobs.runOne(job.id, job.organization_id)) ran++;
  return ran;
}
