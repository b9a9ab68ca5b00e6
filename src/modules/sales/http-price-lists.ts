import { collectionRoutes, type RouteDef } from '../../platform/http/index.js';
import { priceListBody, priceListCreateBody, priceListSchema } from './price-list-schemas.js';
import {
  createPriceList,
  deletePriceList,
  getPriceList,
  listPriceLists,
  updatePriceList,
} from './price-lists.js';

/** Price lists ride on the products permission: who reads the catalog reads its prices. */
export const priceListRoutes: readonly RouteDef[] = collectionRoutes({
  path: '/api/v1/price-lists',
  tags: ['price-lists'],
  permissions: {
    read: 'products:read',
    create: 'products:create',
    update: 'products:update',
    delete: 'products:delete',
  },
  schema: priceListSchema,
  list: { summary: 'List price lists with their entries (defaults first)', run: listPriceLists },
  create: {
    summary: 'Create a price list; isDefault demotes the currency’s previous default',
    body: priceListCreateBody,
    run: createPriceList,
  },
  read: { summary: 'Read a price list', run: getPriceList },
  update: {
    summary: 'Update a price list; entries, when given, replace all of its prices',
    body: priceListBody,
    run: updatePriceList,
  },
  remove: { summary: 'Delete a price list', run: deletePriceList },
});
