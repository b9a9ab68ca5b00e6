import type { ColumnType } from 'kysely';
import type { GeneratedTimestamp, Timestamp } from '../../platform/db/index.js';

/** A column with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;
/** A jsonb column with a database default. */
type DefaultedJson<T> = ColumnType<T, T | string | undefined, T | string>;

/** An admin's record type (migration 0023). */
export interface CustomObjectTable {
  organization_id: string;
  id: string;
  key: string;
  resource: string;
  singular: string;
  plural: string;
  icon: string | null;
  /** Its records' name is personal data (migration 0031). */
  personal_name: Defaulted<boolean>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

/** One record of a custom object; the admin's fields are keys of `data`. */
export interface ObjectRecordTable {
  organization_id: string;
  id: string;
  object_id: string;
  name: string;
  owner_id: string | null;
  data: DefaultedJson<Record<string, unknown>>;
  search_text: Defaulted<string>;
  version: Defaulted<number>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  deleted_at: Timestamp | null;
  /** The survivor this record was merged into (migration 0030); merged records answer RECORD_MERGED. */
  merged_into: Defaulted<string | null>;
}

export type ObjectsTables = {
  custom_objects: CustomObjectTable;
  object_records: ObjectRecordTable;
};
