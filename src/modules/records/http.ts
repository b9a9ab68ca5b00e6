import { z } from 'zod';
import { idParams, listOf, route } from '../../platform/http/index.js';
import { activityRoutes, exportRoutes, searchRoutes } from './http-activities.js';
import { bulkRoutes } from './http-bulk.js';
import { importRoutes } from './http-imports.js';
import { mergeRoutes } from './http-merge.js';
import { createCompany, deleteCompany, getCompany, listCompanies, restoreCompany, updateCompany } from './companies.js';
import { createContact, deleteContact, getContact, listContacts, restoreContact, updateContact } from './contacts.js';
import { OBJECT_TYPES } from './custom-field-types.js';
import { createCustomField, deleteCustomField, listCustomFields, updateCustomField } from './custom-fields.js';
import {
  companyBody, companyCreateBody, companyList, companySchema, contactBody, contactCreateBody, contactList, contactSchema, customFieldCreateBody, customFieldSchema,
  customFieldUpdateBody, listQuery,
} from './http-schemas.js';
import { parseIfMatch } from './record-access.js';

const contacts = [
  route({
    method: 'GET', path: '/api/v1/contacts', permission: 'contacts:read', summary: 'List contacts', tags: ['contacts'],
    query: listQuery, response: { status: 200, schema: contactList },
    handler: ({ ctx, req }) => listContacts(ctx, req.query as Record<string, unknown>),
  }),
  route({
    method: 'POST', path: '/api/v1/contacts', permission: 'contacts:create', summary: 'Create a contact', tags: ['contacts'],
    body: contactCreateBody, response: { status: 201, schema: contactSchema },
    handler: ({ ctx, body }) => createContact(ctx, body),
  }),
  route({
    method: 'GET', path: '/api/v1/contacts/:id', permission: 'contacts:read', summary: 'Read a contact', tags: ['contacts'],
    params: idParams, response: { status: 200, schema: contactSchema },
    handler: ({ ctx, params }) => getContact(ctx, params.id),
  }),
  route({
    method: 'PATCH', path: '/api/v1/contacts/:id', permission: 'contacts:update', summary: 'Update a contact (If-Match: version)', tags: ['contacts'],
    params: idParams, body: contactBody, response: { status: 200, schema: contactSchema },
    handler: ({ ctx, params, body, req }) => updateContact(ctx, params.id, body, parseIfMatch(req.headers['if-match'])),
  }),
  route({
    method: 'DELETE', path: '/api/v1/contacts/:id', permission: 'contacts:delete', summary: 'Move a contact to the trash', tags: ['contacts'],
    params: idParams, response: { status: 204 },
    handler: ({ ctx, params }) => deleteContact(ctx, params.id),
  }),
  route({
    method: 'POST', path: '/api/v1/contacts/:id/restore', permission: 'contacts:delete', summary: 'Restore a contact from the trash', tags: ['contacts'],
    params: idParams, response: { status: 200, schema: contactSchema },
    handler: ({ ctx, params }) => restoreContact(ctx, params.id),
  }),
];

const companies = [
  route({
    method: 'GET', path: '/api/v1/companies', permission: 'companies:read', summary: 'List companies', tags: ['companies'],
    query: listQuery, response: { status: 200, schema: companyList },
    handler: ({ ctx, req }) => listCompanies(ctx, req.query as Record<string, unknown>),
  }),
  route({
    method: 'POST', path: '/api/v1/companies', permission: 'companies:create', summary: 'Create a company', tags: ['companies'],
    body: companyCreateBody, response: { status: 201, schema: companySchema },
    handler: ({ ctx, body }) => createCompany(ctx, body),
  }),
  route({
    method: 'GET', path: '/api/v1/companies/:id', permission: 'companies:read', summary: 'Read a company', tags: ['companies'],
    params: idParams, response: { status: 200, schema: companySchema },
    handler: ({ ctx, params }) => getCompany(ctx, params.id),
  }),
  route({
    method: 'PATCH', path: '/api/v1/companies/:id', permission: 'companies:update', summary: 'Update a company (If-Match: version)', tags: ['companies'],
    params: idParams, body: companyBody, response: { status: 200, schema: companySchema },
    handler: ({ ctx, params, body, req }) => updateCompany(ctx, params.id, body, parseIfMatch(req.headers['if-match'])),
  }),
  route({
    method: 'DELETE', path: '/api/v1/companies/:id', permission: 'companies:delete', summary: 'Move a company to the trash', tags: ['companies'],
    params: idParams, response: { status: 204 },
    handler: ({ ctx, params }) => deleteCompany(ctx, params.id),
  }),
  route({
    method: 'POST', path: '/api/v1/companies/:id/restore', permission: 'companies:delete', summary: 'Restore a company from the trash', tags: ['companies'],
    params: idParams, response: { status: 200, schema: companySchema },
    handler: ({ ctx, params }) => restoreCompany(ctx, params.id),
  }),
];

const customFields = [
  route({
    method: 'GET', path: '/api/v1/custom-fields', permission: 'authenticated', summary: 'List custom field definitions', tags: ['custom-fields'],
    query: z.object({ objectType: z.enum(OBJECT_TYPES).optional() }), response: { status: 200, schema: listOf(customFieldSchema) },
    handler: async ({ ctx, query }) => ({ data: await listCustomFields(ctx, query.objectType), meta: { nextCursor: null } }),
  }),
  route({
    method: 'POST', path: '/api/v1/custom-fields', permission: 'settings:update', summary: 'Define a custom field', tags: ['custom-fields'],
    body: customFieldCreateBody, response: { status: 201, schema: customFieldSchema },
    handler: ({ ctx, body }) => createCustomField(ctx, body),
  }),
  route({
    method: 'PATCH', path: '/api/v1/custom-fields/:id', permission: 'settings:update', summary: 'Change a custom field\'s label, options, required flag or position', tags: ['custom-fields'],
    params: idParams, body: customFieldUpdateBody, response: { status: 200, schema: customFieldSchema },
    handler: ({ ctx, params, body }) => updateCustomField(ctx, params.id, body),
  }),
  route({
    method: 'DELETE', path: '/api/v1/custom-fields/:id', permission: 'settings:update', summary: 'Delete a custom field definition', tags: ['custom-fields'],
    params: idParams, response: { status: 204 },
    handler: ({ ctx, params }) => deleteCustomField(ctx, params.id),
  }),
];

/** Every route of the records module. */
export const recordsRoutes = [...exportRoutes, ...bulkRoutes, ...importRoutes, ...mergeRoutes, ...contacts, ...companies, ...customFields, ...activityRoutes, ...searchRoutes];
