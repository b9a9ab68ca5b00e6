export {
  openEmbedded,
  openEmbeddedInMemory,
  openPostgres,
  type Database,
  type DatabaseKind,
  type EmbeddedOptions,
  type EmbeddedThread,
} from './open.js';
export { migrate, MIGRATIONS_DIR, type MigrationResult } from './migrate.js';
export { withTenant, withSystem, withoutTenant, onCommit, APP_ROLE, type Tx } from './tenant.js';
export { tryAdvisoryLock } from './locks.js';
export { deferWrite, inSavepoint } from './deferred.js';
export { oncePerTransaction } from './tx-memo.js';
export { isUniqueViolation } from './errors.js';
export type { PlatformTables, Timestamp, GeneratedTimestamp, Json } from './tables.js';
export { sql } from 'kysely';
export type { Kysely, Selectable, Insertable, Updateable } from 'kysely';
export { isoTimestampSql } from './json-sql.js';
