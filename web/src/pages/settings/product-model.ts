import { z } from 'zod';
import type { components } from '../../api/schema';

export type Product = components['schemas']['Product'];

/** Query key of the product catalogue (deal line items read the same list). */
export const PRODUCTS_KEY = ['products'] as const;

/**
 * A price as typed ("1,250.5", "99") in minor units, or null when it is not one. Minor units are
 * hundredths, as everywhere in the app (`formatMoney` divides by 100).
 */
export function minorUnitsOf(price: string): number | null {
  const plain = price.trim().replace(/[,\s]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(plain)) return null;
  const [whole = '0', fraction = ''] = plain.split('.');
  const minor = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return Number.isSafeInteger(minor) ? minor : null;
}

/** Minor units as the price field shows them: 125050 → "1250.50", 9900 → "99". */
export function priceText(minor: number): string {
  const whole = Math.floor(minor / 100);
  const cents = minor % 100;
  return cents === 0 ? String(whole) : `${whole}.${String(cents).padStart(2, '0')}`;
}

export const productFormSchema = z.object({
  name: z.string().trim().min(1, 'is required').max(200),
  sku: z.string().trim().max(80),
  price: z.string().refine((v) => minorUnitsOf(v) !== null, 'must be an amount like 1250 or 99.90'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'pick a currency'),
  active: z.boolean(),
});
export type ProductFormValues = z.input<typeof productFormSchema>;

export const productValuesOf = (p: Product | null, currency: string): ProductFormValues => ({
  name: p?.name ?? '',
  sku: p?.sku ?? '',
  price: p ? priceText(p.unitPrice) : '',
  currency: p?.currency ?? currency,
  active: p?.active ?? true,
});

/** The API body; the dialog's schema has already checked the price. */
export const productBodyOf = (v: ProductFormValues) => ({
  name: v.name.trim(),
  sku: v.sku.trim() || null,
  unitPrice: minorUnitsOf(v.price) ?? 0,
  currency: v.currency,
  active: v.active,
});

/** Whether a product matches a search: any word of the query in its name or SKU. */
export function matchesProduct(p: Product, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const text = `${p.name} ${p.sku ?? ''}`.toLowerCase();
  return words.every((w) => text.includes(w));
}
