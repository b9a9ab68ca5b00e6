import { z } from 'zod';
import {
  idParams,
  listOf,
  pageOfAll,
  pageQuery,
  route,
  type RouteDef,
} from '../../platform/http/index.js';
import { parseIfMatch, recordRoutes } from '../records/index.js';
import { pipelineBoard } from './board.js';
import { createDeal, deleteDeal, getDeal, listDeals, restoreDeal, updateDeal } from './deals.js';
import { listExchangeRates, mergeExchangeRates, replaceExchangeRates } from './exchange-rates.js';
import { forecast } from './forecast.js';
import {
  boardQuery,
  boardSchema,
  dealBody,
  dealCreateBody,
  dealSchema,
  exchangeRatePatchBody,
  exchangeRatePutBody,
  exchangeRatesSchema,
  forecastQuery,
  forecastSchema,
  pipelineCreateBody,
  pipelineSchema,
  pipelineUpdateBody,
  productBody,
  productCreateBody,
  productSchema,
  quotaBody,
  quotaSchema,
  quotaUpdateBody,
} from './http-schemas.js';
import {
  createPipeline,
  deletePipeline,
  getPipeline,
  listPipelines,
  updatePipeline,
} from './pipelines.js';
import { createProduct, deleteProduct, listProducts, updateProduct } from './products.js';
import { createQuota, deleteQuota, listQuotas, updateQuota } from './quotas.js';

const deals = recordRoutes({
  resource: 'deals',
  singular: 'deal',
  schema: dealSchema,
  createBody: dealCreateBody,
  updateBody: dealBody,
  list: listDeals,
  create: createDeal,
  get: getDeal,
  update: updateDeal,
  remove: deleteDeal,
  restore: restoreDeal,
});

const pipelines = [
  route({
    method: 'GET',
    path: '/api/v1/pipelines',
    permission: 'pipelines:read',
    summary: 'List pipelines with their stages',
    tags: ['pipelines'],
    query: pageQuery,
    response: { status: 200, schema: listOf(pipelineSchema) },
    handler: async ({ ctx, query }) => pageOfAll(await listPipelines(ctx), query),
  }),
  route({
    method: 'POST',
    path: '/api/v1/pipelines',
    permission: 'pipelines:create',
    summary: 'Create a pipeline (default stages unless given)',
    tags: ['pipelines'],
    body: pipelineCreateBody,
    response: { status: 201, schema: pipelineSchema },
    handler: ({ ctx, body }) => createPipeline(ctx, body),
  }),
  route({
    method: 'GET',
    path: '/api/v1/pipelines/:id',
    permission: 'pipelines:read',
    summary: 'Read a pipeline',
    tags: ['pipelines'],
    params: idParams,
    response: { status: 200, schema: pipelineSchema },
    handler: ({ ctx, params }) => getPipeline(ctx, params.id),
  }),
  route({
    method: 'PATCH',
    path: '/api/v1/pipelines/:id',
    permission: 'pipelines:update',
    summary: 'Rename, make default or re-stage a pipeline (stages with an id are kept)',
    tags: ['pipelines'],
    params: idParams,
    body: pipelineUpdateBody,
    response: { status: 200, schema: pipelineSchema },
    handler: ({ ctx, params, body, req }) =>
      updatePipeline(ctx, params.id, body, parseIfMatch(req.headers['if-match'])),
  }),
  route({
    method: 'DELETE',
    path: '/api/v1/pipelines/:id',
    permission: 'pipelines:delete',
    summary: 'Delete an empty, non-default pipeline',
    tags: ['pipelines'],
    params: idParams,
    response: { status: 204 },
    handler: ({ ctx, params }) => deletePipeline(ctx, params.id),
  }),
  route({
    method: 'GET',
    path: '/api/v1/pipelines/:id/board',
    permission: 'deals:read',
    summary: 'The kanban: stages with counts, totals, weighted totals and a page of deals each',
    tags: ['pipelines'],
    params: idParams,
    query: boardQuery,
    response: { status: 200, schema: boardSchema },
    handler: ({ ctx, params, query }) => pipelineBoard(ctx, params.id, query),
  }),
];

const reports = [
  route({
    method: 'GET',
    path: '/api/v1/forecast',
    permission: 'deals:read',
    summary:
      'Forecast of a month or quarter per owner: closed won, commit, best case, weighted pipeline, quota',
    tags: ['forecast'],
    query: forecastQuery,
    response: { status: 200, schema: forecastSchema },
    handler: ({ ctx, query }) => forecast(ctx, query),
  }),
  route({
    method: 'GET',
    path: '/api/v1/quotas',
    permission: 'quotas:read',
    summary: 'List quotas',
    tags: ['forecast'],
    query: pageQuery
      .extend({
        period: z.enum(['month', 'quarter']).optional(),
        periodStart: z.iso.date().optional(),
      })
      .strict(),
    response: { status: 200, schema: listOf(quotaSchema) },
    handler: async ({ ctx, query: { period, periodStart, ...page } }) =>
      pageOfAll(
        await listQuotas(ctx, {
          ...(period ? { period } : {}),
          ...(periodStart ? { periodStart } : {}),
        }),
        page,
      ),
  }),
  route({
    method: 'POST',
    path: '/api/v1/quotas',
    permission: 'quotas:create',
    summary: "Set a user's or team's quota for a period",
    tags: ['forecast'],
    description:
      'Periods start on the 1st of their month (a quarter: January, April, July or October); another day answers 422 naming ' +
      "`periodStart`. A target has one quota per period: a second one answers 409 `SALES_QUOTA_EXISTS` with the existing quota's id; " +
      'change that one with PATCH /quotas/{id}. Amounts are in the base currency.',
    body: quotaBody,
    response: { status: 201, schema: quotaSchema },
    handler: ({ ctx, body }) => createQuota(ctx, body),
  }),
  route({
    method: 'PATCH',
    path: '/api/v1/quotas/:id',
    permission: 'quotas:update',
    summary: "Change a quota's amount (If-Match: version)",
    tags: ['forecast'],
    params: idParams,
    body: quotaUpdateBody,
    response: { status: 200, schema: quotaSchema },
    handler: ({ ctx, params, body, req }) =>
      updateQuota(ctx, params.id, body, parseIfMatch(req.headers['if-match'])),
  }),
  route({
    method: 'DELETE',
    path: '/api/v1/quotas/:id',
    permission: 'quotas:delete',
    summary: 'Delete a quota',
    tags: ['forecast'],
    params: idParams,
    response: { status: 204 },
    handler: ({ ctx, params }) => deleteQuota(ctx, params.id),
  }),
  route({
    method: 'GET',
    path: '/api/v1/exchange-rates',
    permission: 'deals:read',
    summary: 'The base currency and the exchange rates to it',
    tags: ['forecast'],
    response: { status: 200, schema: exchangeRatesSchema },
    handler: ({ ctx }) => listExchangeRates(ctx),
  }),
  route({
    method: 'PUT',
    path: '/api/v1/exchange-rates',
    permission: 'settings:update',
    summary: 'Replace the rate table, and optionally change the base currency',
    tags: ['forecast'],
    description:
      "Replaces the whole table: a currency left out loses its rate (PATCH merges instead). `base` changes the organization's " +
      'base currency; because rates are relative to the base, the old table never carries over — the `rates` of the same body are the ' +
      'new table (send `{}` to start empty). A rate for the base itself answers 422 naming `rates.<base>`. Deals in a currency ' +
      'without a rate are left out of converted totals and reported apart (`missingRates`, `unconverted`). Admins (`settings:update`).',
    body: exchangeRatePutBody,
    response: { status: 200, schema: exchangeRatesSchema },
    handler: ({ ctx, body }) => replaceExchangeRates(ctx, body),
  }),
  route({
    method: 'PATCH',
    path: '/api/v1/exchange-rates',
    permission: 'settings:update',
    summary: 'Set or remove some rates, keeping the others',
    tags: ['forecast'],
    description:
      "Merges into the table: a number sets a currency's rate, null removes it, currencies not named keep theirs. The base " +
      'currency changes only through PUT (with a fresh table).',
    body: exchangeRatePatchBody,
    response: { status: 200, schema: exchangeRatesSchema },
    handler: ({ ctx, body }) => mergeExchangeRates(ctx, body.rates),
  }),
];

const products = [
  route({
    method: 'GET',
    path: '/api/v1/products',
    permission: 'products:read',
    summary: 'List products',
    tags: ['products'],
    query: pageQuery,
    response: { status: 200, schema: listOf(productSchema) },
    handler: async ({ ctx, query }) => pageOfAll(await listProducts(ctx), query),
  }),
  route({
    method: 'POST',
    path: '/api/v1/products',
    permission: 'products:create',
    summary: 'Create a product',
    tags: ['products'],
    body: productCreateBody,
    response: { status: 201, schema: productSchema },
    handler: ({ ctx, body }) => createProduct(ctx, body),
  }),
  route({
    method: 'PATCH',
    path: '/api/v1/products/:id',
    permission: 'products:update',
    summary: 'Update a product',
    tags: ['products'],
    params: idParams,
    body: productBody,
    response: { status: 200, schema: productSchema },
    handler: ({ ctx, params, body, req }) =>
      updateProduct(ctx, params.id, body, parseIfMatch(req.headers['if-match'])),
  }),
  route({
    method: 'DELETE',
    path: '/api/v1/products/:id',
    permission: 'products:delete',
    summary: 'Delete a product',
    tags: ['products'],
    params: idParams,
    response: { status: 204 },
    handler: ({ ctx, params }) => deleteProduct(ctx, params.id),
  }),
];

/** Pipelines, deals, products, board, forecast, quotas and exchange rates. */
export const dealRoutes: readonly RouteDef[] = [...pipelines, ...deals, ...reports, ...products];
