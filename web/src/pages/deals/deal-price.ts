import type { PriceList } from '../../api/types';

/** A new line's unit price and the price list it came from (null: the product's own price). */
export interface DealPrice {
  unitPrice: number;
  fromList: string | null;
}

/**
 * The price a new product line of a deal gets: the entry of the deal currency's active default
 * price list, else the product's own price when it is in the deal's currency, else none (the line
 * then needs a typed price). The API applies the same rule when it prices the line (deal-parts.ts);
 * this copy only shows the price before the line is added.
 */
export function dealPriceOf(
  product: { id: string; unitPrice: number; currency: string },
  dealCurrency: string,
  lists: readonly PriceList[],
): DealPrice | null {
  const list = lists.find((l) => l.currency === dealCurrency && l.isDefault && l.active);
  const entry = list?.entries.find((e) => e.productId === product.id);
  if (list && entry) return { unitPrice: entry.unitPrice, fromList: list.name };
  return product.currency === dealCurrency
    ? { unitPrice: product.unitPrice, fromList: null }
    : null;
}
