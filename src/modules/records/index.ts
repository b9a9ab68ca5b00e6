/**
 * The records module: what every object's records share — the lifecycle, lists, custom fields,
 * views, search, imports, bulk actions, exports, merges, trash and GDPR traces — and the
 * activities that link to records of any object.
 */
import type { ModuleDefinition } from '../../platform/module-definition/index.js';
import type { NotificationsContributions } from '../notifications/index.js';
import type { RecordsContributions } from './contributions.js';
import { recordsRoutes } from './http.js';
import { recordsJobs } from './jobs.js';
import { RECORDS_DEFAULT_GRANTS, RECORDS_PERMISSIONS } from './permissions.js';
import { taskReminderJob, taskReminderSource } from './task-reminders.js';
import { RECORDS_OBJECTS } from './objects.js';

/** Records as the module list sees it. */
export const recordsModule: ModuleDefinition & RecordsContributions & NotificationsContributions = {
  name: 'records',
  objects: RECORDS_OBJECTS,
  routes: recordsRoutes,
  // Imports, bulk operations and task reminders are durable jobs.
  jobs: [...recordsJobs, taskReminderJob],
  jobSources: [taskReminderSource],
  permissions: RECORDS_PERMISSIONS,
  defaultGrants: RECORDS_DEFAULT_GRANTS,
};

export {
  createCustomField,
  dropCustomFieldsOf,
  loadCustomFields,
  validatedCustomFields,
  type CreateCustomFieldInput,
} from './custom-fields.js';
export { searchSql, listFieldsWithCustom } from './record-list.js';
export { recordLifecycle } from './record-lifecycle.js';
export type {
  LifecycleHooks,
  LoadOptions,
  RecordLifecycle,
  RecordListPage,
} from './record-lifecycle-spec.js';
export { recordChanged, type RecordChange } from './record-changes.js';
export type { ExportFile, ExportFormat } from './export.js';
export { columnsOfFields, partOf, type ExportedField } from './export-columns.js';
export {
  exportDeclaredObject,
  exportObject,
  exportRouteOf,
  type ExportTarget,
} from './declared-export.js';
export {
  bulkOperationSchema,
  bulkRequestBody,
  bulkRoutesOf,
  startBulkRequest,
  type BulkRequest,
} from './http-bulk.js';
export {
  customListField,
  objectKey,
  validateCustomValues,
  type CustomFieldDef,
  type CustomFieldType,
  type ObjectType,
} from './custom-field-types.js';
export { normalizeDomain, normalizePhone, companyDomainOfEmail } from './normalize.js';
export { purgeTrashedRecords } from './maintenance.js';
export {
  emitDueTaskReminders,
  taskReminderJob,
  taskReminderSource,
  TASK_REMINDER_JOB,
} from './task-reminders.js';
export { processBulkOperations, processImports, recordsJobs } from './jobs.js';
export {
  installRecordsContributions,
  type ImportKindDefinition,
  type RecordsContributions,
} from './contributions.js';
export {
  columnOf,
  customCellValue,
  emptyOutcome,
  insertCreates,
  ownerGuards,
  planRows,
  rememberUpdate,
  rowErrors,
  validationDetails,
  type BatchOutcome,
  type ImportJob,
  type ImportKind,
  type RowError,
} from './import-batch.js';
export type { ImportRow } from './import-rows.js';
export { recordRoutes } from './record-routes.js';
export { listRecords, type RecordListSpec, type RecordPage } from './record-list.js';
export { customFieldCreateBody, exportQuery, listQuery } from './http-schemas.js';
export {
  ownerScopeSql,
  ownerOrTeamScopeSql,
  authorizeCreate,
  assertVersion,
  assertUserExists,
  assertTeamExists,
  parseIfMatch,
} from './record-access.js';
export { topHits, type SearchHit, type SearchProvider, type SearchQuery } from './search.js';
export {
  prepareTextQuery,
  matchesSql,
  matchesExactlySql,
  rankText,
  type TextQuery,
} from './text-search.js';
export { activityCreateBody, activityUpdateBody, timelineEntrySchema } from './http-schemas.js';
export { recordTimeline, type TimelineOptions, type TimelinePage } from './timeline.js';
export { canLinkActivities } from './activity-link-check.js';
export {
  createActivity,
  getActivity,
  updateActivity,
  tasksDueBetween,
  type Activity,
} from './activities.js';
export { insertSeedActivities, type SeedActivity } from './activity-seed.js';
export {
  activityIdsOfRecords,
  moveLinks,
  relinkActivities,
  unlinkRecords,
  type RecordRef,
  type RelinkTarget,
} from './activity-links.js';
export { mergePayloadOf, mergeRecords, undoMerge, type MergeEventPayload } from './merge.js';
export { personalDataSources, type PersonalDataSource } from './personal-sources.js';
export { mergeRoutesOf } from './http-merge.js';
export {
  blankPersonalFields,
  collectRecordTraces,
  eraseRecordTraces,
  type ErasedTraces,
  type RecordTraces,
} from './personal-traces.js';
export { isUniqueViolation } from './import-batch.js';
export { address, money, nullableText, phoneNumber, text } from './field-types.js';
