import { errors } from '../../platform/errors/index.js';
import type { JobStatus } from '../../platform/jobs/index.js';

/** Only a failed or discarded job can be run again; others are still on their way. */
export const jobNotRetryable = (status: JobStatus) =>
  errors.conflict(
    'JOBS_NOT_RETRYABLE',
    `The job is ${status}; only failed or discarded jobs can be retried`,
    { status },
  );

/** Only a failed job can be discarded. */
export const jobNotDiscardable = (status: JobStatus) =>
  errors.conflict(
    'JOBS_NOT_DISCARDABLE',
    `The job is ${status}; only failed jobs can be discarded`,
    { status },
  );
