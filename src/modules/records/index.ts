/** The records module: contacts, companies, custom fields. */
export { recordsRoutes } from './http.js';
export { createContact, getContact, updateContact, deleteContact, listContacts, type Contact, type ContactInput } from './contacts.js';
export { createCompany, getCompany, updateCompany, deleteCompany, listCompanies, type Company, type CompanyInput } from './companies.js';
export { loadCustomFields, validatedCustomFields } from './custom-fields.js';
export { customListField, validateCustomValues, type CustomFieldDef, type ObjectType } from './custom-field-types.js';
export { normalizeDomain, normalizePhone, companyDomainOfEmail } from './normalize.js';
export { seedDemoRecords } from './demo-seed.js';
export { purgeExpiredTrash, emitDueTaskReminders } from './maintenance.js';
export { processBulkOperations } from './bulk.js';
export { processImports } from './imports.js';
export { recordRoutes } from './record-routes.js';
export { listRecords, type RecordListSpec, type RecordPage } from './record-list.js';
export { listQuery } from './http-schemas.js';
export { ownerScopeSql, authorizeCreate, assertVersion, assertUserExists, assertCompanyVisible, parseIfMatch, TRASH_DAYS } from './record-access.js';
export { registerSearchProvider, type SearchHit } from './search.js';
export { prepareTextQuery, matchesSql, matchesExactlySql, rankText, type TextQuery } from './text-search.js';
