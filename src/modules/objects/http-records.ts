import { z } from 'zod';
import type { Ctx } from '../../platform/context/index.js';
import { listOf, pageQuery, route } from '../../platform/http/index.js';
import {
  exportObject,
  bulkOperationSchema,
  bulkRequestBody,
  exportQuery,
  listQuery,
  startBulkRequest,
  parseIfMatch,
  recordTimeline,
  timelineEntrySchema,
} from '../records/index.js';
import { CUSTOM_RECORDS, findCustomObject, type CustomObject } from './custom-objects.js';
import { recordBody } from './http-schemas.js';
import { exportTargetOf } from './describe.js';
import { eraseObjectRecord, objectRecordPersonalData } from './object-gdpr.js';
import {
  createObjectRecord,
  deleteObjectRecord,
  getObjectRecord,
  listObjectRecords,
  restoreObjectRecord,
  updateObjectRecord,
} from './object-records.js';

/**
 * The REST resource of every custom object, as API.md spells any resource: `/api/v1/{resource}`.
 * Built-in resources are static routes, which the router always prefers, so these only answer
 * for paths no module serves; a resource the organization has not defined answers 404.
 */
const resourceParam = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,62}$/, 'must be the REST resource of a custom object');
const collection = z.object({ resource: resourceParam });
const member = z.object({ resource: resourceParam, id: z.uuid() });

const recordSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    ownerId: z.uuid().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    deletedAt: z.string().nullable(),
  })
  .catchall(z.unknown())
  .meta({
    id: 'CustomObjectRecord',
    description: "A record of a custom object: its name and owner, then the object's fields",
  });

const objectOf = (ctx: Ctx, resource: string): Promise<CustomObject> =>
  ctx.tx((tx) => findCustomObject(tx, ctx.organizationId, { resource }));

const TAGS = ['custom objects'];

export const objectRecordRoutes = [
  route({
    method: 'POST',
    path: '/api/v1/:resource/bulk',
    permission: `${CUSTOM_RECORDS}:read`,
    summary:
      "Update, assign, tag or delete many of a custom object's records (by ids or by filter); large sets run in the background",
    tags: TAGS,
    params: collection,
    body: bulkRequestBody(null),
    response: {
      status: 200,
      schema: bulkOperationSchema,
      description: '200 when finished inline, 202 when queued',
    },
    handler: async ({ ctx, params, body, reply }) => {
      const object = await objectOf(ctx, params.resource);
      const { operation, inline } = await startBulkRequest(ctx, object.key, body);
      if (!inline) void reply.status(202);
      return operation;
    },
  }),
  route({
    method: 'GET',
    path: '/api/v1/:resource/export',
    permission: `${CUSTOM_RECORDS}:export`,
    summary: "Export a custom object's records as CSV or XLSX (same filters as the list)",
    tags: TAGS,
    params: collection,
    query: exportQuery,
    response: { status: 200, description: 'A CSV or XLSX file' },
    handler: async ({ ctx, params, query, req, reply }) => {
      const file = await exportObject(
        ctx,
        await exportTargetOf(ctx, params.resource),
        query.format,
        req.query as Record<string, unknown>,
      );
      void reply
        .header('Content-Type', file.contentType)
        .header('Content-Disposition', `attachment; filename="${file.filename}"`);
      return file.body;
    },
  }),
  route({
    method: 'GET',
    path: '/api/v1/:resource',
    permission: `${CUSTOM_RECORDS}:read`,
    summary: "List a custom object's records",
    tags: TAGS,
    params: collection,
    query: listQuery,
    response: { status: 200, schema: listOf(recordSchema) },
    handler: async ({ ctx, params, req }) =>
      listObjectRecords(ctx, { resource: params.resource }, req.query as Record<string, unknown>),
  }),
  route({
    method: 'POST',
    path: '/api/v1/:resource',
    permission: `${CUSTOM_RECORDS}:create`,
    summary: 'Create a record of a custom object',
    tags: TAGS,
    idempotency: 'atomic',
    params: collection,
    body: recordBody,
    response: { status: 201, schema: recordSchema },
    handler: async ({ ctx, params, body }) =>
      createObjectRecord(ctx, { resource: params.resource }, body),
  }),
  route({
    method: 'GET',
    path: '/api/v1/:resource/:id',
    permission: `${CUSTOM_RECORDS}:read`,
    summary: 'Read a record of a custom object',
    tags: TAGS,
    params: member,
    response: { status: 200, schema: recordSchema },
    handler: async ({ ctx, params }) =>
      getObjectRecord(ctx, { resource: params.resource }, params.id),
  }),
  route({
    method: 'GET',
    path: '/api/v1/:resource/:id/timeline',
    permission: `${CUSTOM_RECORDS}:read`,
    summary:
      "A custom object record's activities (linked through an activity's `links`) and changes, newest first",
    tags: TAGS,
    params: member,
    query: pageQuery,
    response: { status: 200, schema: listOf(timelineEntrySchema) },
    handler: async ({ ctx, params, query }) => {
      const object = await objectOf(ctx, params.resource);
      // Reading it first answers 404 for a record that is missing, foreign, trashed or hidden.
      await getObjectRecord(ctx, object, params.id);
      return recordTimeline(ctx, { objectType: object.key, recordId: params.id }, query);
    },
  }),
  route({
    method: 'PATCH',
    path: '/api/v1/:resource/:id',
    permission: `${CUSTOM_RECORDS}:update`,
    summary: 'Update a record of a custom object (If-Match: version)',
    tags: TAGS,
    params: member,
    body: recordBody,
    response: { status: 200, schema: recordSchema },
    handler: async ({ ctx, params, body, req }) =>
      updateObjectRecord(
        ctx,
        { resource: params.resource },
        params.id,
        body,
        parseIfMatch(req.headers['if-match']),
      ),
  }),
  route({
    method: 'DELETE',
    path: '/api/v1/:resource/:id',
    permission: `${CUSTOM_RECORDS}:delete`,
    summary: 'Move a record of a custom object to the trash',
    tags: TAGS,
    params: member,
    response: { status: 204 },
    handler: async ({ ctx, params }) =>
      deleteObjectRecord(ctx, { resource: params.resource }, params.id),
  }),
  route({
    method: 'POST',
    path: '/api/v1/:resource/:id/restore',
    permission: `${CUSTOM_RECORDS}:delete`,
    summary: 'Restore a record of a custom object from the trash',
    tags: TAGS,
    params: member,
    response: { status: 200, schema: recordSchema },
    handler: async ({ ctx, params }) =>
      restoreObjectRecord(ctx, { resource: params.resource }, params.id),
  }),
  // GDPR, for objects with fields marked personal (409 otherwise); contacts and leads have their own.
  route({
    method: 'GET',
    path: '/api/v1/:resource/:id/personal-data',
    permission: `${CUSTOM_RECORDS}:export`,
    summary: "Everything held about a custom object record's person (GDPR access request)",
    tags: [...TAGS, 'gdpr'],
    params: member,
    response: { status: 200, schema: z.record(z.string(), z.unknown()) },
    handler: ({ ctx, params }) => objectRecordPersonalData(ctx, params.resource, params.id),
  }),
  route({
    method: 'POST',
    path: '/api/v1/:resource/:id/erase',
    permission: `${CUSTOM_RECORDS}:delete`,
    summary: "Erase a custom object record's personal fields (GDPR erasure); the record stays",
    tags: [...TAGS, 'gdpr'],
    params: member,
    response: {
      status: 200,
      schema: z.object({ erasedAt: z.string(), activities: z.number(), auditEntries: z.number() }),
    },
    handler: ({ ctx, params }) => eraseObjectRecord(ctx, params.resource, params.id),
  }),
];
