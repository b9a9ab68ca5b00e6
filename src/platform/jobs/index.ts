/**
 * Durable background jobs: rows in `jobs` (enqueued in the caller's transaction), claimed under a
 * renewed lease with SKIP LOCKED, run outside any transaction, retried with exponential backoff
 * and full jitter, and `failed` (the dead-letter list, see /api/v1/jobs) after the last attempt.
 * Cron schedules in `job_schedules` enqueue a job per fire time. Delivery is at-least-once:
 * handlers must be idempotent. Job sources (sources.ts) enqueue a job per unit of work that comes
 * due by itself (reminders, date triggers). With AMQP_URL, RabbitMQ dispatches due jobs to the workers
 * (amqp-queue.ts); the table stays the durable record either way.
 */
export {
  enqueueJob,
  enqueueJobs,
  enqueueUniqueJobs,
  DEFAULT_MAX_ATTEMPTS,
  MAX_MAX_ATTEMPTS,
  type JobInput,
  type EnqueuedJob,
} from './enqueue.js';
export { jobStates, hastenJobs, type JobState } from './owned.js';
export {
  createJobRunner,
  PermanentJobError,
  type JobRun,
  type JobHandler,
  type JobRunner,
  type JobRunnerOptions,
  type JobOutcome,
} from './runner.js';
export { runDueJobsNamed } from './run-named.js';
export { jobSourceTask, runSourceNow, type JobSource } from './sources.js';
export {
  upsertSchedule,
  removeSchedule,
  nextFireTime,
  scheduleProblems,
  type ScheduleInput,
} from './schedules.js';
export { retryDelayMs, DEFAULT_RETRY_BASE_MS, RETRY_CAP_MS } from './backoff.js';
export { SUCCEEDED_RETENTION_DAYS, LEASE_EXPIRED_ERROR, purgeSucceededJobs } from './store.js';
export {
  JOB_STATUSES,
  type JobStatus,
  type JobTable,
  type JobScheduleTable,
  type JobTables,
} from './tables.js';
export { createAmqpJobQueue, type AmqpJobQueueOptions } from './amqp-queue.js';
export { jobTopology, deleteJobTopology, type JobTopology, type DueJob } from './amqp-topology.js';
