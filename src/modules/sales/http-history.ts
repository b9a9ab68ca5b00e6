import {
  idParams,
  listOf,
  pageOfAll,
  pageQuery,
  route,
  type RouteDef,
} from '../../platform/http/index.js';
import { recordTimeline, timelineEntrySchema } from '../records/index.js';
import { dealStageHistory } from './deal-stage-history.js';
import { getDeal } from './deals.js';
import { stageStaySchema } from './http-schemas.js';
import { getLead } from './leads.js';

/** A deal's and a lead's timeline (activities linked to it and its audited changes). */
const timelines = (
  [
    { resource: 'deals', objectType: 'deal', singular: 'deal', read: getDeal },
    { resource: 'leads', objectType: 'lead', singular: 'lead', read: getLead },
  ] as const
).map(({ resource, objectType, singular, read }) =>
  route({
    method: 'GET',
    path: `/api/v1/${resource}/:id/timeline`,
    permission: `${resource}:read`,
    summary: `A ${singular}'s activities and changes, newest first`,
    tags: [resource],
    params: idParams,
    query: pageQuery,
    response: { status: 200, schema: listOf(timelineEntrySchema) },
    handler: async ({ ctx, params, query }) => {
      // Reading it first answers 404 for a record that is missing, foreign, trashed or hidden.
      await read(ctx, params.id);
      return recordTimeline(ctx, { objectType, recordId: params.id }, query);
    },
  }),
);

const stageHistory = route({
  method: 'GET',
  path: '/api/v1/deals/:id/stage-history',
  permission: 'deals:read',
  summary: "A deal's stays in its stages, newest first: when it entered and left, who moved it",
  tags: ['deals'],
  params: idParams,
  query: pageQuery,
  response: { status: 200, schema: listOf(stageStaySchema) },
  handler: async ({ ctx, params, query }) =>
    pageOfAll(await dealStageHistory(ctx, params.id), query),
});

/** The history routes of deals and leads. */
export const historyRoutes: readonly RouteDef[] = [...timelines, stageHistory];
