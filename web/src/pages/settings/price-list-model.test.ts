import { describe, expect, it } from 'vitest';
import { priceListBodyOf, priceListFormSchema } from './price-list-model';

const values = (currency: string, price: string) => ({
  name: ' Partners ',
  currency,
  isDefault: true,
  active: true,
  entries: [{ productId: 'p1', price }],
});

describe('price list form', () => {
  it('reads prices in the list currency’s minor units', () => {
    expect(priceListBodyOf(values('USD', '75.5'))).toEqual({
      name: 'Partners',
      currency: 'USD',
      isDefault: true,
      active: true,
      entries: [{ productId: 'p1', unitPrice: 7_550 }],
    });
    expect(priceListBodyOf(values('JPY', '1200')).entries[0]?.unitPrice).toBe(1_200);
  });

  it('names the row of a price that is no amount, and of a missing product', () => {
    const bad = priceListFormSchema.safeParse({
      ...values('USD', 'cheap'),
      entries: [
        { productId: 'p1', price: 'cheap' },
        { productId: '', price: '1' },
      ],
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'entries.0.price',
      'entries.1.productId',
    ]);
  });
});
