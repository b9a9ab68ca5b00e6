import type { ColumnType } from 'kysely';
import type { GeneratedTimestamp, Json, Timestamp } from '../db/index.js';

/** A column with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

/** pending → running → succeeded | pending (retry) | failed; failed → discarded or pending (admin). */
export type JobStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'discarded';

/** Every status, in the order the admin page shows them. */
export const JOB_STATUSES: readonly JobStatus[] = [
  'failed',
  'pending',
  'running',
  'succeeded',
  'discarded',
];

/** A row of `jobs` (migrations/0015_jobs.sql documents the columns). */
export interface JobTable {
  organization_id: string;
  id: string;
  name: string;
  payload: Json<Record<string, unknown>>;
  key: string | null;
  status: Defaulted<JobStatus>;
  attempts: Defaulted<number>;
  max_attempts: Defaulted<number>;
  run_at: GeneratedTimestamp;
  lease_id: string | null;
  leased_until: Timestamp | null;
  last_error: string | null;
  /** When the broker confirmed this turn's dispatch message (RabbitMQ only); a claim clears it. */
  dispatched_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: GeneratedTimestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

/** A row of `job_schedules`. */
export interface JobScheduleTable {
  organization_id: string;
  key: string;
  cron: string;
  timezone: string;
  job_name: string;
  payload: Json<Record<string, unknown>>;
  next_run_at: Timestamp | null;
  enabled: Defaulted<boolean>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

/** The job tables, for `tx.withTables<JobTables>()`. */
export type JobTables = {
  jobs: JobTable;
  job_schedules: JobScheduleTable;
};
