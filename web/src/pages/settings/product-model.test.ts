import { describe, expect, it } from 'vitest';
import { matchesProduct, minorUnitsOf, priceText, type Product } from './product-model';

const product = (name: string, sku: string | null): Product => ({
  id: '0190a5c4-0000-7000-8000-000000000001',
  name,
  sku,
  unitPrice: 100,
  currency: 'USD',
  active: true,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('product prices', () => {
  it('reads typed prices as minor units', () => {
    expect(minorUnitsOf('99')).toBe(9900);
    expect(minorUnitsOf('99.9')).toBe(9990);
    expect(minorUnitsOf(' 1,250.05 ')).toBe(125005);
    expect(minorUnitsOf('0')).toBe(0);
  });

  it('refuses what is not a price', () => {
    for (const bad of ['', '-5', '1.234', 'ten', '1e3', '.5', '99999999999999999'])
      expect(minorUnitsOf(bad), bad).toBeNull();
  });

  it('shows minor units back as they would be typed, round-tripping', () => {
    expect(priceText(9900)).toBe('99');
    expect(priceText(125005)).toBe('1250.05');
    expect(priceText(9990)).toBe('99.90');
    for (const minor of [0, 1, 10, 12345, 999999])
      expect(minorUnitsOf(priceText(minor))).toBe(minor);
  });
});

describe('product search', () => {
  it('matches every word in the name or the SKU, ignoring case', () => {
    expect(matchesProduct(product('Premium Support', 'SUP-01'), 'premium sup-01')).toBe(true);
    expect(matchesProduct(product('Premium Support', null), 'support plan')).toBe(false);
    expect(matchesProduct(product('Seat licence', 'LIC'), '')).toBe(true);
  });
});
