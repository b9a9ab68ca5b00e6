import { idParams, listOf, pageOfAll, pageQuery, route } from '../../platform/http/index.js';
import { activityRoutes, searchRoutes } from './http-activities.js';
import { exportRouteOf } from './declared-export.js';
import { RECORDS_OBJECTS } from './objects.js';
import { bulkRoutes } from './http-bulk.js';
import { importRoutes } from './http-imports.js';
import { customMergeRoute, mergeRoutes } from './http-merge.js';
import { objectKey } from './custom-field-types.js';
import {
  createCustomField,
  deleteCustomField,
  listCustomFields,
  updateCustomField,
} from './custom-fields.js';
import { customFieldCreateBody, customFieldSchema, customFieldUpdateBody } from './http-schemas.js';

const customFields = [
  route({
    method: 'GET',
    path: '/api/v1/custom-fields',
    permission: 'authenticated',
    summary: 'List custom field definitions',
    tags: ['custom-fields'],
    query: pageQuery.extend({ objectType: objectKey.optional() }),
    response: { status: 200, schema: listOf(customFieldSchema) },
    handler: async ({ ctx, query }) =>
      pageOfAll(await listCustomFields(ctx, query.objectType), query),
  }),
  route({
    method: 'POST',
    path: '/api/v1/custom-fields',
    permission: 'settings:update',
    summary: 'Define a custom field',
    tags: ['custom-fields'],
    body: customFieldCreateBody,
    response: { status: 201, schema: customFieldSchema },
    handler: ({ ctx, body }) => createCustomField(ctx, body),
  }),
  route({
    method: 'PATCH',
    path: '/api/v1/custom-fields/:id',
    permission: 'settings:update',
    summary: "Change a custom field's label, options, required flag or position, or archive it",
    tags: ['custom-fields'],
    params: idParams,
    body: customFieldUpdateBody,
    response: { status: 200, schema: customFieldSchema },
    handler: ({ ctx, params, body }) => updateCustomField(ctx, params.id, body),
  }),
  route({
    method: 'DELETE',
    path: '/api/v1/custom-fields/:id',
    permission: 'settings:update',
    summary: 'Delete a custom field definition',
    tags: ['custom-fields'],
    params: idParams,
    response: { status: 204 },
    handler: ({ ctx, params }) => deleteCustomField(ctx, params.id),
  }),
];

/** Every route of the records module. */
export const recordsRoutes = [
  ...RECORDS_OBJECTS.filter((o) => o.capabilities.export).map(exportRouteOf),
  ...bulkRoutes,
  ...importRoutes,
  ...mergeRoutes,
  customMergeRoute,
  ...customFields,
  ...activityRoutes,
  ...searchRoutes,
];
