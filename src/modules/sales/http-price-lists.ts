import {
  idParams,
  listOf,
  pageOfAll,
  pageQuery,
  route,
  type RouteDef,
} from '../../platform/http/index.js';
import { parseIfMatch } from '../records/index.js';
import { priceListBody, priceListCreateBody, priceListSchema } from './price-list-schemas.js';
import {
  createPriceList,
  deletePriceList,
  getPriceList,
  listPriceLists,
  updatePriceList,
} from './price-lists.js';

/** Price lists ride on the products permission: who reads the catalog reads its prices. */
export const priceListRoutes: readonly RouteDef[] = [
  route({
    method: 'GET',
    path: '/api/v1/price-lists',
    permission: 'products:read',
    summary: 'List price lists with their entries (defaults first)',
    tags: ['price-lists'],
    query: pageQuery,
    response: { status: 200, schema: listOf(priceListSchema) },
    handler: async ({ ctx, query }) => pageOfAll(await listPriceLists(ctx), query),
  }),
  route({
    method: 'POST',
    path: '/api/v1/price-lists',
    permission: 'products:create',
    summary: 'Create a price list; isDefault demotes the currency’s previous default',
    tags: ['price-lists'],
    body: priceListCreateBody,
    response: { status: 201, schema: priceListSchema },
    handler: ({ ctx, body }) => createPriceList(ctx, body),
  }),
  route({
    method: 'GET',
    path: '/api/v1/price-lists/:id',
    permission: 'products:read',
    summary: 'Read a price list',
    tags: ['price-lists'],
    params: idParams,
    response: { status: 200, schema: priceListSchema },
    handler: ({ ctx, params }) => getPriceList(ctx, params.id),
  }),
  route({
    method: 'PATCH',
    path: '/api/v1/price-lists/:id',
    permission: 'products:update',
    summary: 'Update a price list; entries, when given, replace all of its prices',
    tags: ['price-lists'],
    params: idParams,
    body: priceListBody,
    response: { status: 200, schema: priceListSchema },
    handler: ({ ctx, params, body, req }) =>
      updatePriceList(ctx, params.id, body, parseIfMatch(req.headers['if-match'])),
  }),
  route({
    method: 'DELETE',
    path: '/api/v1/price-lists/:id',
    permission: 'products:delete',
    summary: 'Delete a price list',
    tags: ['price-lists'],
    params: idParams,
    response: { status: 204 },
    handler: ({ ctx, params }) => deletePriceList(ctx, params.id),
  }),
];
