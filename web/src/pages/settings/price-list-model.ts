import { z } from 'zod';
import type { PriceList } from '../../api/types';
import { parseMoneyInput, toMajorInput } from '../../lib/money';

/** One row of the dialog's price table: a product and its price as typed, in the list's currency. */
const entryValues = z.object({
  productId: z.string().min(1, 'pick a product'),
  price: z.string(),
});

export const priceListFormSchema = z
  .object({
    name: z.string().trim().min(1, 'is required').max(200),
    currency: z.string().regex(/^[A-Z]{3}$/, 'pick a currency'),
    isDefault: z.boolean(),
    active: z.boolean(),
    entries: z.array(entryValues),
  })
  // A price is read in the list's currency (JPY has no cents), so it is checked with the currency.
  .superRefine((v, ctx) => {
    v.entries.forEach((e, i) => {
      if (parseMoneyInput(e.price, v.currency) === null)
        ctx.addIssue({
          code: 'custom',
          path: ['entries', i, 'price'],
          message: `must be an amount in ${v.currency}`,
        });
    });
  });
export type PriceListFormValues = z.input<typeof priceListFormSchema>;

export const priceListValuesOf = (
  list: PriceList | null,
  currency: string,
): PriceListFormValues => ({
  name: list?.name ?? '',
  currency: list?.currency ?? currency,
  isDefault: list?.isDefault ?? false,
  active: list?.active ?? true,
  entries: (list?.entries ?? []).map((e) => ({
    productId: e.productId,
    price: toMajorInput(e.unitPrice, list?.currency ?? currency),
  })),
});

/** The API body; the form's schema has already checked every price. */
export const priceListBodyOf = (v: PriceListFormValues) => ({
  name: v.name.trim(),
  currency: v.currency,
  isDefault: v.isDefault,
  active: v.active,
  entries: v.entries.map((e) => ({
    productId: e.productId,
    unitPrice: parseMoneyInput(e.price, v.currency) ?? 0,
  })),
});
