import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../lib/money';
import { dealListSummary } from './deal-list-summary';

const deal = (amount: number, currency = 'USD') => ({
  id: String(amount),
  version: 1,
  createdAt: '2026-01-01T00:00:00Z',
  amount,
  currency,
});

describe('deal list summary', () => {
  it('counts the deals and sums their amounts per currency', () => {
    expect(dealListSummary([deal(100_00), deal(250_00), deal(70_00, 'EUR')], 3)).toBe(
      `3 deals · ${formatMoney(350_00, 'USD')} + ${formatMoney(70_00, 'EUR')}`,
    );
  });

  it('says the sum is of the loaded rows while more remain, and counts one deal as one', () => {
    expect(dealListSummary([deal(100_00)], 240)).toBe(
      `240 deals · ${formatMoney(100_00, 'USD')} in the 1 loaded`,
    );
    expect(dealListSummary([], 1)).toBe('1 deal');
  });
});
