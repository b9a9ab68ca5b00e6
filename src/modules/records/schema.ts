import type { ColumnType, Generated } from 'kysely';
import type { GeneratedTimestamp, Json, Timestamp } from '../../platform/db/index.js';

type Version = ColumnType<number, number | undefined, number>;
/** A column with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;
/** A jsonb column with a database default. */
type DefaultedJson<T> = ColumnType<T, T | string | undefined, T | string>;

export interface ActivityTable {
  organization_id: string;
  id: string;
  type: 'call' | 'email' | 'meeting' | 'note' | 'task';
  subject: string;
  body: string | null;
  status: Defaulted<'open' | 'done' | 'canceled'>;
  due_at: Timestamp | null;
  done_at: Timestamp | null;
  remind_at: Timestamp | null;
  /** The job that sends the reminder for this remind_at (migrations/0025); null until it is due. */
  reminder_job_id: string | null;
  reminded_at: Timestamp | null;
  owner_id: string | null;
  assignee_id: string | null;
  version: Version;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  deleted_at: Timestamp | null;
}

/** One link of an activity to a record of any type (`object_type` is the type's key). */
export interface ActivityLinkTable {
  organization_id: string;
  activity_id: string;
  object_type: string;
  record_id: string;
  created_at: GeneratedTimestamp;
}

export interface CustomFieldTable {
  organization_id: string;
  id: string;
  object_type: string;
  key: string;
  label: string;
  type: string;
  options: Json<unknown>;
  required: Defaulted<boolean>;
  position: Generated<number>;
  /** Personal data (migration 0029): a custom object's GDPR export and erasure cover it. */
  personal: Defaulted<boolean>;
  archived_at: Date | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface SavedViewTable {
  organization_id: string;
  id: string;
  object_type: string;
  name: string;
  filters: DefaultedJson<Record<string, string>>;
  sort: string | null;
  columns: Defaulted<string[]>;
  visibility: Defaulted<'private' | 'team' | 'everyone'>;
  team_id: string | null;
  owner_id: string;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface MergeTable {
  organization_id: string;
  id: string;
  object_type: string;
  survivor_id: string;
  source_ids: string[];
  survivor_before: Json<Record<string, unknown>>;
  survivor_after: Json<Record<string, unknown>>;
  /** Ids of related rows repointed from each source: `{ "<sourceId>": { "activities": [...], ... } }`. */
  moved: Json<Record<string, Record<string, string[]>>>;
  actor_id: string | null;
  created_at: GeneratedTimestamp;
  undone_at: Timestamp | null;
}

export interface BulkOperationTable {
  organization_id: string;
  id: string;
  /** The key of the object acted on (`contact`, `deal`, a custom object's key). */
  object_type: string;
  action: string;
  params: Json<Record<string, unknown>>;
  status: Defaulted<'queued' | 'running' | 'done' | 'failed'>;
  total: number;
  processed: Defaulted<number>;
  succeeded: Defaulted<number>;
  skipped: Defaulted<number>;
  errors: DefaultedJson<Array<{ id: string; message: string; code?: string }>>;
  cursor: string | null;
  created_by: string;
  created_at: GeneratedTimestamp;
  finished_at: Timestamp | null;
  /** Why it stopped, when its job failed for good. */
  error: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ImportTable {
  organization_id: string;
  id: string;
  object_type: string;
  file_name: string;
  file_path: string;
  format: 'csv' | 'xlsx';
  mapping: Json<Record<string, string>>;
  dedupe: 'skip' | 'update' | 'create';
  dry_run: Defaulted<boolean>;
  status: Defaulted<'queued' | 'running' | 'done' | 'failed' | 'rolled_back'>;
  total: number | null;
  processed: Defaulted<number>;
  created: Defaulted<number>;
  updated: Defaulted<number>;
  skipped: Defaulted<number>;
  failed: Defaulted<number>;
  errors: DefaultedJson<Array<{ row: number; column: string | null; message: string }>>;
  created_by: string;
  created_at: GeneratedTimestamp;
  finished_at: Timestamp | null;
  rolled_back_at: Timestamp | null;
  /** Why it stopped, when its job failed for good. */
  error: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ImportRecordTable {
  organization_id: string;
  import_id: string;
  record_id: string;
  action: 'created' | 'updated';
  before: Json<Record<string, unknown> | null>;
}

/** The tables of the records module, for `tx.withTables<RecordsTables>()`. */
export type RecordsTables = {
  activities: ActivityTable;
  activity_links: ActivityLinkTable;
  custom_fields: CustomFieldTable;
  saved_views: SavedViewTable;
  merges: MergeTable;
  bulk_operations: BulkOperationTable;
  imports: ImportTable;
  import_records: ImportRecordTable;
};
