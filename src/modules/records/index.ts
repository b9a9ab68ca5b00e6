/** The records module: contacts, companies, custom fields. */
import type { ModuleDefinition } from '../../platform/module-definition/index.js';
import type { NotificationsContributions } from '../notifications/index.js';
import type { RecordsContributions } from './contributions.js';
import { seedDemoRecords } from './demo-seed.js';
import { recordsRoutes } from './http.js';
import { recordsJobs } from './jobs.js';
import { purgeExpiredTrash } from './maintenance.js';
import { RECORDS_DEFAULT_GRANTS, RECORDS_PERMISSIONS } from './permissions.js';
import { recordsReferences } from './references.js';
import { COMPANY_SEARCH, CONTACT_SEARCH } from './search.js';
import { taskReminderJob, taskReminderSource } from './task-reminders.js';
import { RECORDS_OBJECTS } from './objects.js';

/** Records as the module list sees it. */
export const recordsModule: ModuleDefinition & RecordsContributions & NotificationsContributions = {
  name: 'records',
  objects: RECORDS_OBJECTS,
  routes: recordsRoutes,
  references: recordsReferences,
  // Imports, bulk operations and task reminders are durable jobs; the trash purge keeps nothing of a user's waiting.
  jobs: [...recordsJobs, taskReminderJob],
  jobSources: [taskReminderSource],
  tasks: (deps) => [
    { name: 'records.purge-trash', everyMs: 3_600_000, run: () => purgeExpiredTrash(deps) },
  ],
  permissions: RECORDS_PERMISSIONS,
  defaultGrants: RECORDS_DEFAULT_GRANTS,
  searchProviders: [CONTACT_SEARCH, COMPANY_SEARCH],
  demoSeed: async (deps, organizationId, adminId) => {
    await seedDemoRecords(deps, organizationId, adminId);
  },
};

export {
  createContact,
  getContact,
  updateContact,
  deleteContact,
  listContacts,
  type Contact,
  type ContactInput,
} from './contacts.js';
export {
  createCompany,
  getCompany,
  updateCompany,
  deleteCompany,
  listCompanies,
  type Company,
  type CompanyInput,
} from './companies.js';
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
export { columnsOfFields, type ExportedField } from './export-columns.js';
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
export { seedDemoRecords } from './demo-seed.js';
export { purgeExpiredTrash, purgeTrashedRecords } from './maintenance.js';
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
export type { SearchHit, SearchProvider } from './search.js';
export {
  prepareTextQuery,
  matchesSql,
  matchesExactlySql,
  rankText,
  type TextQuery,
} from './text-search.js';
export { contactBody, contactCreateBody } from './contact-fields.js';
export { activityCreateBody, activityUpdateBody, timelineEntrySchema } from './http-schemas.js';
export { companyBody, companyCreateBody } from './company-fields.js';
export { recordTimeline, type TimelinePage } from './timeline.js';
export { canLinkActivities } from './activity-link-check.js';
export {
  createActivity,
  getActivity,
  updateActivity,
  tasksDueBetween,
  type Activity,
} from './activities.js';
export {
  relinkActivities,
  unlinkRecords,
  type RecordRef,
  type RelinkTarget,
} from './activity-links.js';
export { mergePayloadOf, type MergeEventPayload } from './merge.js';
export { mergeRoutesOf } from './http-merge.js';
export type { PersonalDataSource } from './gdpr.js';
export {
  blankPersonalFields,
  collectRecordTraces,
  eraseRecordTraces,
  type ErasedTraces,
  type RecordTraces,
} from './personal-traces.js';
export { isUniqueViolation } from './import-batch.js';
