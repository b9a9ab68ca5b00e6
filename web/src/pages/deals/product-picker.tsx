import { useQuery } from '@tanstack/react-query';
import { Command } from 'cmdk';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import type { Product } from '../../api/types';
import { formatMoney } from '../../lib/money';
import { dealPriceOf, type DealPrice } from './deal-price';

/**
 * Search-as-you-type over the organization's active products, each at the price a line in the
 * deal's `currency` gets (its default price list's, else the product's own). The products API has
 * no `q`, and a catalog is one page (≤ 200) for the businesses Cerebro serves, so cmdk filters it in
 * the browser. `onPick` gets the price, or null when the product has none in the deal's currency.
 */
export function ProductPicker({
  currency,
  onPick,
}: {
  currency: string;
  onPick: (product: Product, price: DealPrice | null) => void;
}) {
  const products = useQuery({
    queryKey: keys.products,
    queryFn: () => unwrap(http.GET('/api/v1/products', { params: { query: { limit: 200 } } })),
    staleTime: 60_000,
  });
  const priceLists = useQuery({
    queryKey: keys.priceLists,
    queryFn: () => unwrap(http.GET('/api/v1/price-lists', { params: { query: { limit: 200 } } })),
    staleTime: 60_000,
  });
  const lists = priceLists.data?.data ?? [];
  const active = (products.data?.data ?? []).filter((p) => p.active);
  return (
    <Command
      label="Find a product to add"
      className="overflow-hidden rounded-md border border-line bg-panel"
    >
      <Command.Input
        autoFocus
        placeholder="Search name or SKU"
        className="h-9 w-full border-b border-line bg-transparent px-3 text-sm text-ink outline-none"
      />
      <Command.List className="max-h-56 overflow-y-auto p-1 text-sm">
        <Command.Empty className="px-3 py-4 text-center text-xs text-ink-soft">
          {products.isPending
            ? 'Loading products…'
            : active.length === 0
              ? 'The product catalog is empty. Add a free line instead.'
              : 'Nothing matches. Try part of the name or SKU.'}
        </Command.Empty>
        {active.map((p) => {
          const price = dealPriceOf(p, currency, lists);
          return (
            <Command.Item
              key={p.id}
              value={p.id}
              keywords={[p.name, p.sku ?? '']}
              onSelect={() => onPick(p, price)}
              className="flex cursor-pointer items-baseline justify-between gap-3 rounded px-2.5 py-1.5 text-ink aria-selected:bg-accent-soft"
            >
              <span className="min-w-0 truncate">
                {p.name}
                {p.sku ? <span className="ml-1.5 text-xs text-ink-soft">{p.sku}</span> : null}
              </span>
              <span className="shrink-0 text-xs text-ink-soft" data-testid="product-picker-price">
                {price
                  ? formatMoney(price.unitPrice, currency, { exact: true })
                  : formatMoney(p.unitPrice, p.currency, { exact: true })}
                {price?.fromList ? <span className="ml-1.5">· {price.fromList}</span> : null}
              </span>
            </Command.Item>
          );
        })}
      </Command.List>
    </Command>
  );
}
