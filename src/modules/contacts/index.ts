/**
 * The contacts module: people and the companies they work at, built on the records module's
 * shared lifecycle, lists, imports, bulk actions, exports, merges and GDPR handling.
 */
import type { ModuleDefinition } from '../../platform/module-definition/index.js';
import type { NotificationsContributions } from '../notifications/index.js';
import type { ImportKindDefinition, RecordsContributions } from '../records/index.js';
import { seedDemoRecords } from './demo-seed.js';
import { contactsRoutes } from './http.js';
import { COMPANY_IMPORT } from './import-companies.js';
import { CONTACT_IMPORT } from './import-contacts.js';
import {
  COMPANY_IMPORT_FIELDS,
  COMPANY_SYNONYMS,
  CONTACT_IMPORT_FIELDS,
  CONTACT_SYNONYMS,
} from './import-fields.js';
import { purgeExpiredTrash } from './maintenance.js';
import { CONTACTS_OBJECTS } from './objects.js';
import { CONTACTS_DEFAULT_GRANTS, CONTACTS_PERMISSIONS } from './permissions.js';
import { contactsReferences } from './references.js';
import { COMPANY_SEARCH, CONTACT_SEARCH } from './search.js';

const IMPORT_KINDS: readonly ImportKindDefinition[] = [
  {
    objectType: 'contact',
    kind: CONTACT_IMPORT,
    fields: CONTACT_IMPORT_FIELDS,
    synonyms: CONTACT_SYNONYMS,
  },
  {
    objectType: 'company',
    kind: COMPANY_IMPORT,
    fields: COMPANY_IMPORT_FIELDS,
    synonyms: COMPANY_SYNONYMS,
  },
];

/** Contacts as the module list sees it. */
export const contactsModule: ModuleDefinition & RecordsContributions & NotificationsContributions =
  {
    name: 'contacts',
    objects: CONTACTS_OBJECTS,
    routes: contactsRoutes,
    references: contactsReferences,
    // The trash purge keeps nothing of a user's waiting: a sweep.
    tasks: (deps) => [
      { name: 'contacts.purge-trash', everyMs: 3_600_000, run: () => purgeExpiredTrash(deps) },
    ],
    permissions: CONTACTS_PERMISSIONS,
    defaultGrants: CONTACTS_DEFAULT_GRANTS,
    importKinds: IMPORT_KINDS,
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
export { contactBody, contactCreateBody } from './contact-fields.js';
export { companyBody, companyCreateBody } from './company-fields.js';
export { seedDemoRecords } from './demo-seed.js';
export { purgeExpiredTrash } from './maintenance.js';
export { CONTACT_IMPORT } from './import-contacts.js';
