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
  companyBody, companyCreateBody, companySchema, contactBody, contactCreateBody, contactSchema, customFieldCreateBody, customFieldSchema,
  customFieldUpdateBody, listQuery,
} from './http-schemas.js';
import { parseIfMatch } from './record-access.js';
import type { Ctx } from '../../platform/context/index.js';

/** The services and schemas behind one record type's REST resource. */
interface RecordResource<T, C, U> {
  resource: 'contacts' | 'companies';
  singular: string;
  schema: z.ZodType;
  createBody: z.ZodType<C>;
  updateBody: z.ZodType<U>;
  list: (ctx: Ctx, query: Record<string, unknown>) => Promise<unknown>;
  create: (ctx: Ctx, input: C) => Promise<T>;
  get: (ctx: Ctx, id: string) => Promise<T>;
  update: (ctx: Ctx, id: string, input: U, version?: number) => Promise<T>;
  remove: (ctx: Ctx, id: string) => Promise<void>;
  restore: (ctx: Ctx, id: string) => Promise<T>;
}

/** The six routes every record resource has (API.md): list, create, read, update, delete, restore. */
function recordRoutes<T, C, U>(r: RecordResource<T, C, U>) {
  const { resource, singular } = r;
  const base = `/api/v1/${resource}`;
  return [
    route({
      method: 'GET', path: base, permission: `${resource}:read`, summary: `List ${resource}`, tags: [resource],
      query: listQuery, response: { status: 200, schema: listOf(r.schema) },
      handler: ({ ctx, req }) => r.list(ctx, req.query as Record<string, unknown>),
    }),
    route({
      method: 'POST', path: base, permission: `${resource}:create`, summary: `Create a ${singular}`, tags: [resource],
      body: r.createBody, response: { status: 201, schema: r.schema },
      handler: ({ ctx, body }) => r.create(ctx, body),
    }),
    route({
      method: 'GET', path: `${base}/:id`, permission: `${resource}:read`, summary: `Read a ${singular}`, tags: [resource],
      params: idParams, response: { status: 200, schema: r.schema },
      handler: ({ ctx, params }) => r.get(ctx, params.id),
    }),
    route({
      method: 'PATCH', path: `${base}/:id`, permission: `${resource}:update`, summary: `Update a ${singular} (If-Match: version)`, tags: [resource],
      params: idParams, body: r.updateBody, response: { status: 200, schema: r.schema },
      handler: ({ ctx, params, body, req }) => r.update(ctx, params.id, body, parseIfMatch(req.headers['if-match'])),
    }),
    route({
      method: 'DELETE', path: `${base}/:id`, permission: `${resource}:delete`, summary: `Move a ${singular} to the trash`, tags: [resource],
      params: idParams, response: { status: 204 },
      handler: ({ ctx, params }) => r.remove(ctx, params.id),
    }),
    route({
      method: 'POST', path: `${base}/:id/restore`, permission: `${resource}:delete`, summary: `Restore a ${singular} from the trash`, tags: [resource],
      params: idParams, response: { status: 200, schema: r.schema },
      handler: ({ ctx, params }) => r.restore(ctx, params.id),
    }),
  ];
}

const contacts = recordRoutes({
  resource: 'contacts', singular: 'contact', schema: contactSchema, createBody: contactCreateBody, updateBody: contactBody,
  list: listContacts, create: createContact, get: getContact, update: updateContact, remove: deleteContact, restore: restoreContact,
});

const companies = recordRoutes({
  resource: 'companies', singular: 'company', schema: companySchema, createBody: companyCreateBody, updateBody: companyBody,
  list: listCompanies, create: createCompany, get: getCompany, update: updateCompany, remove: deleteCompany, restore: restoreCompany,
});

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
