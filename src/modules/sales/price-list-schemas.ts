import { z } from 'zod';
import { currencyCode } from '../../platform/http/index.js';

const minorUnits = z
  .number()
  .int('must be whole minor units (cents)')
  .min(0)
  .max(Number.MAX_SAFE_INTEGER);

const entry = z
  .object({
    productId: z.uuid(),
    /** The product's price in this list, in minor units of the list's currency. */
    unitPrice: minorUnits,
  })
  .strict();

/** PATCH body: any field; `entries`, when given, replaces the whole list of prices. */
export const priceListBody = z
  .object({
    name: z.string().trim().min(1, 'is required').max(200),
    currency: currencyCode,
    isDefault: z.boolean(),
    active: z.boolean(),
    // A catalog is one page (≤ 200 products) for the businesses Cerebro serves; leave headroom.
    entries: z.array(entry).max(2000),
  })
  .partial()
  .strict();

export const priceListCreateBody = priceListBody.required({ name: true, currency: true });

export const priceListSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    currency: z.string(),
    isDefault: z.boolean(),
    active: z.boolean(),
    entries: z.array(z.object({ productId: z.uuid(), unitPrice: z.number() })),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'PriceList' });
