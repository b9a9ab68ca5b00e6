import { idParams, listOf, pageQuery, route } from '../../platform/http/index.js';
import {
  bulkRoutesOf,
  exportRouteOf,
  mergeRoutesOf,
  recordRoutes,
  timelineEntrySchema,
} from '../records/index.js';
import {
  createCompany,
  deleteCompany,
  getCompany,
  listCompanies,
  restoreCompany,
  updateCompany,
} from './companies.js';
import { companyBody, companyCreateBody, companySchema } from './company-fields.js';
import { contactBody, contactCreateBody, contactSchema } from './contact-fields.js';
import {
  createContact,
  deleteContact,
  getContact,
  listContactsAsJson,
  restoreContact,
  updateContact,
} from './contacts.js';
import { duplicateAndGdprRoutes } from './http-people.js';
import { CONTACTS_OBJECTS } from './objects.js';
import { companyTimeline, contactTimeline } from './timeline.js';

const contacts = recordRoutes({
  resource: 'contacts',
  singular: 'contact',
  schema: contactSchema,
  createBody: contactCreateBody,
  updateBody: contactBody,
  list: listContactsAsJson,
  create: createContact,
  get: getContact,
  update: updateContact,
  remove: deleteContact,
  restore: restoreContact,
});

const companies = recordRoutes({
  resource: 'companies',
  singular: 'company',
  schema: companySchema,
  createBody: companyCreateBody,
  updateBody: companyBody,
  list: listCompanies,
  create: createCompany,
  get: getCompany,
  update: updateCompany,
  remove: deleteCompany,
  restore: restoreCompany,
});

const timelines = [
  route({
    method: 'GET',
    path: '/api/v1/contacts/:id/timeline',
    permission: 'contacts:read',
    summary: "A contact's activities and changes, newest first",
    tags: ['contacts'],
    params: idParams,
    query: pageQuery,
    response: { status: 200, schema: listOf(timelineEntrySchema) },
    handler: ({ ctx, params, query }) => contactTimeline(ctx, params.id, query),
  }),
  route({
    method: 'GET',
    path: '/api/v1/companies/:id/timeline',
    permission: 'companies:read',
    summary: "A company's (and its contacts') activities and changes",
    tags: ['companies'],
    params: idParams,
    query: pageQuery,
    response: { status: 200, schema: listOf(timelineEntrySchema) },
    handler: ({ ctx, params, query }) => companyTimeline(ctx, params.id, query),
  }),
];

/** Every route of the contacts module. */
export const contactsRoutes = [
  ...CONTACTS_OBJECTS.filter((o) => o.capabilities.export).map(exportRouteOf),
  ...bulkRoutesOf(CONTACTS_OBJECTS),
  ...mergeRoutesOf(CONTACTS_OBJECTS),
  ...duplicateAndGdprRoutes,
  ...contacts,
  ...companies,
  ...timelines,
];
