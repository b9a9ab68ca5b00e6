import { createCtx, systemActor, type Ctx, type Deps } from '../../platform/context/index.js';
import { isDomainError } from '../../platform/errors/index.js';
import {
  PermanentJobError,
  runDueJobsNamed,
  type JobHandler,
  type JobRun,
} from '../../platform/jobs/index.js';
import { actorForUser } from '../identity/index.js';
import { BULK_JOB, bulkCreator, failBulk, runBulkStep } from './bulk.js';
import { WorkTakenOver } from './errors.js';
import { failImport, IMPORT_JOB, importCreator, runImport } from './imports.js';

// The records module's background work as durable jobs (platform/jobs): the job holds the lease,
// counts the attempts and backs off; the import and bulk-operation rows keep the progress people
// see, and learn why when their job fails for good.

/** The work's own row and what a job does with it. */
interface Work {
  /** Who started the work (the job acts as them); null when nothing is left to run. */
  creator(ctx: Ctx): Promise<string | null>;
  run(ctx: Ctx): Promise<void>;
  /** Records on the work's row why it stopped for good. */
  fail(ctx: Ctx, reason: string): Promise<void>;
}

const systemCtx = (deps: Deps, job: Pick<JobRun, 'organizationId'>): Ctx =>
  createCtx(deps, systemActor(job.organizationId));
const importOf = (job: Pick<JobRun, 'payload'>): string => String(job.payload.importId);
const operationOf = (job: Pick<JobRun, 'payload'>): string => String(job.payload.operationId);

/** The reason kept on the work's row: what a person can act on, not a stack. */
function reasonOf(err: unknown): string {
  const text = isDomainError(err) ? err.message : err instanceof Error ? err.message : String(err);
  return (text || 'the background job failed without a message')
    .replaceAll('\u0000', '')
    .slice(0, 1000);
}

/**
 * Runs the work as the user who started it, with their permissions as they are now. When this
 * attempt is the job's last (or can never succeed), the work's row is marked failed before the
 * job is: the person watching the progress sees why, and the job lands on the failed-jobs page.
 */
async function runAsCreator(job: JobRun, deps: Deps, work: Work): Promise<void> {
  const system = systemCtx(deps, job);
  try {
    const userId = await work.creator(system);
    if (userId === null) return;
    const actor = await actorForUser(deps, job.organizationId, userId, null);
    if (!actor)
      throw new PermanentJobError(
        'The user who started it is no longer active in this organization',
      );
    await work.run(createCtx(deps, actor));
  } catch (e) {
    // Another worker carries the work on; its row is not this attempt's to fail.
    const final =
      !(e instanceof WorkTakenOver) &&
      (e instanceof PermanentJobError || job.attempt >= job.maxAttempts);
    if (final) await work.fail(system, reasonOf(e));
    throw e;
  }
}

/** Runs an import, resuming after its last committed batch when retried or taken over. */
export const importJob: JobHandler = {
  name: IMPORT_JOB,
  handle: (job, deps) =>
    runAsCreator(job, deps, {
      creator: (ctx) => importCreator(ctx, importOf(job)),
      run: (ctx) => runImport(ctx, importOf(job)),
      fail: (ctx, reason) => failImport(ctx, importOf(job), reason),
    }),
  // The worker died during the last attempt: the import fails with that reason.
  abandoned: (job, error, deps) => failImport(systemCtx(deps, job), importOf(job), error),
};

/** Runs one batch of a bulk operation and enqueues the next. */
export const bulkJob: JobHandler = {
  name: BULK_JOB,
  handle: (job, deps) =>
    runAsCreator(job, deps, {
      creator: (ctx) => bulkCreator(ctx, operationOf(job)),
      run: (ctx) =>
        runBulkStep(ctx, operationOf(job), Number(job.payload.processed), (tx) => job.complete(tx)),
      fail: (ctx, reason) => failBulk(ctx, operationOf(job), reason),
    }),
  abandoned: (job, error, deps) => failBulk(systemCtx(deps, job), operationOf(job), error),
};

/** The records module's job handlers. */
export const recordsJobs: readonly JobHandler[] = [importJob, bulkJob];

/** Runs the due import jobs now, one attempt each (each runs its import to the end); for scripts and tests. */
export const processImports = (deps: Deps): Promise<number> => runDueJobsNamed(deps, IMPORT_JOB);

/** Runs the due bulk-operation jobs now: one batch of each open operation; for scripts and tests. */
export const processBulkOperations = (deps: Deps): Promise<number> =>
  runDueJobsNamed(deps, BULK_JOB);
