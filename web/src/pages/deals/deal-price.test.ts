import { describe, expect, it } from 'vitest';
import type { PriceList } from '../../api/types';
import { dealPriceOf } from './deal-price';

const WIDGET = { id: 'p-widget', unitPrice: 10_000, currency: 'USD' };
const KIT = { id: 'p-kit', unitPrice: 8_000, currency: 'EUR' };

const list = (over: Partial<PriceList>): PriceList => ({
  id: 'l',
  name: 'US default',
  currency: 'USD',
  isDefault: true,
  active: true,
  entries: [],
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

describe('dealPriceOf', () => {
  const special = list({
    entries: [
      { productId: WIDGET.id, unitPrice: 7_500 },
      { productId: KIT.id, unitPrice: 9_900 },
    ],
  });

  it('takes the default list of the deal currency first, even for a product in another currency', () => {
    expect(dealPriceOf(WIDGET, 'USD', [special])).toEqual({
      unitPrice: 7_500,
      fromList: 'US default',
    });
    expect(dealPriceOf(KIT, 'USD', [special])).toEqual({
      unitPrice: 9_900,
      fromList: 'US default',
    });
  });

  it('falls back to the product’s own price in its currency, and to none in another', () => {
    const others = [
      list({ ...special, isDefault: false }),
      list({ ...special, active: false }),
      list({ ...special, currency: 'EUR' }),
    ];
    expect(dealPriceOf(WIDGET, 'USD', others)).toEqual({ unitPrice: 10_000, fromList: null });
    expect(dealPriceOf(KIT, 'USD', others)).toBeNull();
    expect(dealPriceOf(WIDGET, 'USD', [list({ entries: [] })])).toEqual({
      unitPrice: 10_000,
      fromList: null,
    });
  });
});
