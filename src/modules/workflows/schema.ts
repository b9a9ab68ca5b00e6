import type { ColumnType } from 'kysely';
import type { GeneratedTimestamp, Json, Timestamp } from '../../platform/db/index.js';
import type { Definition } from './definition.js';

/** A column with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export type RunStatus = 'running' | 'waiting' | 'succeeded' | 'failed' | 'stopped';
export type StepStatus = 'succeeded' | 'failed' | 'retrying' | 'waiting';

/** migrations/0016_workflows.sql documents the columns. */
export interface WorkflowTable {
  organization_id: string;
  id: string;
  name: string;
  description: string | null;
  enabled: Defaulted<boolean>;
  draft: Json<Definition>;
  published_version: number | null;
  trigger_key: string | null;
  inbound_secret_enc: string | null;
  signing_secret_enc: string;
  owner_id: string | null;
  created_by: string | null;
  date_swept_at: Timestamp | null;
  version: Defaulted<number>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  deleted_at: Timestamp | null;
}

export interface WorkflowVersionTable {
  organization_id: string;
  workflow_id: string;
  version: number;
  definition: Json<Definition>;
  published_at: GeneratedTimestamp;
  published_by: string | null;
}

export interface WorkflowRunTable {
  organization_id: string;
  id: string;
  workflow_id: string;
  version: number;
  status: RunStatus;
  trigger_type: string;
  event_id: string | null;
  record_type: string | null;
  record_id: string | null;
  data: Json<Record<string, unknown>>;
  depth: Defaulted<number>;
  current_step: string | null;
  step_seq: Defaulted<number>;
  error: string | null;
  stop_reason: string | null;
  dedupe_key: string | null;
  started_by: string | null;
  started_at: GeneratedTimestamp;
  finished_at: Timestamp | null;
  updated_at: GeneratedTimestamp;
}

export interface WorkflowRunStepTable {
  organization_id: string;
  id: string;
  run_id: string;
  seq: number;
  step_id: string;
  step_type: string;
  status: StepStatus;
  attempt: number;
  input: Json<unknown> | null;
  output: Json<unknown> | null;
  error: string | null;
  started_at: Timestamp;
  finished_at: Timestamp;
}

export interface WorkflowCursorTable {
  organization_id: string;
  workflow_id: string;
  step_id: string;
  position: Defaulted<number>;
}

/** The tables of the workflows module, for `tx.withTables<WorkflowTables>()`. */
export type WorkflowTables = {
  workflows: WorkflowTable;
  workflow_versions: WorkflowVersionTable;
  workflow_runs: WorkflowRunTable;
  workflow_run_steps: WorkflowRunStepTable;
  workflow_cursors: WorkflowCursorTable;
};
