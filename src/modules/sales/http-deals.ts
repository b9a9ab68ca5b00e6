import { z } from 'zod';
import {
  collectionRoutes,
  idParams,
  pageQuery,
  route,
  type RouteDef,
} from '../../platform/http/index.js';
import { recordRoutes } from '../records/index.js';
import { pipelineBoard } from './board.js';
import { dealBody, dealCreateBody, dealSchema } from './deal-fields.js';
import { createDeal, deleteDeal, getDeal, listDeals, restoreDeal, updateDeal } from './deals.js';
import { listExchangeRates, mergeExchangeRates, replaceExchangeRates } from './exchange-rates.js';
import { forecast } from './forecast.js';
import {
  boardQuery,
  boardSchema,
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
  ...collectionRoutes({
    path: '/api/v1/pipelines',
    tags: ['pipelines'],
    permissions: {
      read: 'pipelines:read',
      create: 'pipelines:create',
      update: 'pipelines:update',
      delete: 'pipelines:delete',
    },
    schema: pipelineSchema,
    list: { summary: 'List pipelines with their stages', run: listPipelines },
    create: {
      summary: 'Create a pipeline (default stages unless given)',
      body: pipelineCreateBody,
      run: createPipeline,
    },
    read: { summary: 'Read a pipeline', run: getPipeline },
    update: {
      summary: 'Rename, make default or re-stage a pipeline (stages with an id are kept)',
      body: pipelineUpdateBody,
      run: updatePipeline,
    },
    remove: { summary: 'Delete an empty, non-default pipeline', run: deletePipeline },
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
  ...collectionRoutes({
    path: '/api/v1/quotas',
    tags: ['forecast'],
    permissions: {
      read: 'quotas:read',
      create: 'quotas:create',
      update: 'quotas:update',
      delete: 'quotas:delete',
    },
    schema: quotaSchema,
    list: {
      summary: 'List quotas',
      query: pageQuery
        .extend({
          period: z.enum(['month', 'quarter']).optional(),
          periodStart: z.iso.date().optional(),
        })
        .strict(),
      run: (ctx, { period, periodStart }) =>
        listQuotas(ctx, { ...(period ? { period } : {}), ...(periodStart ? { periodStart } : {}) }),
    },
    create: {
      summary: "Set a user's or team's quota for a period",
      description:
        'Periods start on the 1st of their month (a quarter: January, April, July or October); another day answers 422 naming ' +
        "`periodStart`. A target has one quota per period: a second one answers 409 `SALES_QUOTA_EXISTS` with the existing quota's id; " +
        'change that one with PATCH /quotas/{id}. Amounts are in the base currency.',
      body: quotaBody,
      run: createQuota,
    },
    update: {
      summary: "Change a quota's amount (If-Match: version)",
      body: quotaUpdateBody,
      run: updateQuota,
    },
    remove: { summary: 'Delete a quota', run: deleteQuota },
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

const products = collectionRoutes({
  path: '/api/v1/products',
  tags: ['products'],
  permissions: {
    read: 'products:read',
    create: 'products:create',
    update: 'products:update',
    delete: 'products:delete',
  },
  schema: productSchema,
  list: { summary: 'List products', run: listProducts },
  create: { summary: 'Create a product', body: productCreateBody, run: createProduct },
  update: { summary: 'Update a product', body: productBody, run: updateProduct },
  remove: { summary: 'Delete a product', run: deleteProduct },
});

/** Pipelines, deals, products, board, forecast, quotas and exchange rates. */
export const dealRoutes: readonly RouteDef[] = [...pipelines, ...deals, ...reports, ...products];
