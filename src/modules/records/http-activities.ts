import { z } from 'zod';
import {
  abortedByClient,
  idParams,
  listOf,
  pageOfAll,
  pageQuery,
  route,
} from '../../platform/http/index.js';
import {
  createActivity,
  deleteActivity,
  getActivity,
  listActivities,
  updateActivity,
} from './activities.js';
import {
  activityCreateBody,
  activityListQuery,
  activitySchema,
  activityUpdateBody,
  viewBody,
  viewSchema,
  viewUpdateBody,
} from './http-schemas.js';
import { parseIfMatch } from './record-access.js';
import { search } from './search.js';
import { createView, deleteView, listViews, updateView } from './views.js';

export const activityRoutes = [
  route({
    method: 'GET',
    path: '/api/v1/activities',
    permission: 'activities:read',
    summary: 'List activities',
    description:
      'Filter by a linked record with `filter[linkedTo]=<objectType>:<id>` (any object with a ' +
      'timeline, e.g. `project:0190…`; `filter[linkedTo][in]=` takes a comma-separated list), or ' +
      'by the named links `filter[contactId]`, `filter[companyId]`, `filter[dealId]`, ' +
      '`filter[leadId]`, `filter[ticketId]`.',
    tags: ['activities'],
    query: activityListQuery,
    response: { status: 200, schema: listOf(activitySchema) },
    handler: ({ ctx, req, query }) => {
      // The generic list reads its filters from the raw query; `assignee` is this list's own.
      const { assignee: _assignee, ...raw } = req.query as Record<string, unknown>;
      return listActivities(ctx, raw, { assignee: query.assignee });
    },
  }),
  route({
    method: 'POST',
    path: '/api/v1/activities',
    permission: 'activities:create',
    summary: 'Log a call, email, meeting or note, or create a task',
    description:
      'Link it to records with `links: [{ objectType, recordId }]` (any object with a timeline, ' +
      'custom objects too) and/or the named fields `contactId` … `ticketId`. A record that is ' +
      'missing, in another organization or hidden from you answers 422 naming the field ' +
      '(`links.0.recordId`).',
    tags: ['activities'],
    idempotency: 'atomic',
    body: activityCreateBody,
    response: { status: 201, schema: activitySchema },
    handler: ({ ctx, body }) => createActivity(ctx, body),
  }),
  route({
    method: 'GET',
    path: '/api/v1/activities/:id',
    permission: 'activities:read',
    summary: 'Read an activity',
    tags: ['activities'],
    params: idParams,
    response: { status: 200, schema: activitySchema },
    handler: ({ ctx, params }) => getActivity(ctx, params.id),
  }),
  route({
    method: 'PATCH',
    path: '/api/v1/activities/:id',
    permission: 'activities:update',
    summary: 'Update an activity (If-Match: version)',
    tags: ['activities'],
    params: idParams,
    body: activityUpdateBody,
    response: { status: 200, schema: activitySchema },
    handler: ({ ctx, params, body, req }) =>
      updateActivity(ctx, params.id, body, parseIfMatch(req.headers['if-match'])),
  }),
  route({
    method: 'DELETE',
    path: '/api/v1/activities/:id',
    permission: 'activities:delete',
    summary: 'Delete an activity',
    tags: ['activities'],
    params: idParams,
    response: { status: 204 },
    handler: ({ ctx, params }) => deleteActivity(ctx, params.id),
  }),
  route({
    method: 'GET',
    path: '/api/v1/views',
    permission: 'authenticated',
    summary: "Saved views: yours, your teams' and everyone's",
    tags: ['views'],
    query: pageQuery.extend({ objectType: z.string().max(40).optional() }),
    response: { status: 200, schema: listOf(viewSchema) },
    handler: async ({ ctx, query }) => pageOfAll(await listViews(ctx, query.objectType), query),
  }),
  route({
    method: 'POST',
    path: '/api/v1/views',
    permission: 'authenticated',
    summary: 'Save a view',
    tags: ['views'],
    body: viewBody,
    response: { status: 201, schema: viewSchema },
    handler: ({ ctx, body }) => createView(ctx, body),
  }),
  route({
    method: 'PATCH',
    path: '/api/v1/views/:id',
    permission: 'authenticated',
    summary: 'Change a saved view',
    tags: ['views'],
    params: idParams,
    body: viewUpdateBody,
    response: { status: 200, schema: viewSchema },
    handler: ({ ctx, params, body }) => updateView(ctx, params.id, body),
  }),
  route({
    method: 'DELETE',
    path: '/api/v1/views/:id',
    permission: 'authenticated',
    summary: 'Delete a saved view',
    tags: ['views'],
    params: idParams,
    response: { status: 204 },
    handler: ({ ctx, params }) => deleteView(ctx, params.id),
  }),
];

const searchQuery = z.object({
  q: z.string().trim().min(1, 'is required').max(200),
  types: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean)
        : null,
    ),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
const searchHit = z
  .object({
    type: z.string(),
    id: z.uuid(),
    title: z.string(),
    subtitle: z.string().nullable(),
    score: z.number(),
  })
  .meta({ id: 'SearchHit' });

export const searchRoutes = [
  route({
    method: 'GET',
    path: '/api/v1/search',
    permission: 'authenticated',
    summary: 'Search across record types, ranked and typo-tolerant',
    tags: ['search'],
    query: searchQuery,
    response: { status: 200, schema: z.object({ data: z.array(searchHit) }) },
    handler: async ({ ctx, query, reply }) => ({
      data: await search(ctx, query.q, query.types, query.limit, {
        signal: abortedByClient(reply),
      }),
    }),
  }),
];
