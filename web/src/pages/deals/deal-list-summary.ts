import type { ObjectRecord } from '../../api/records';
import { formatMoney } from '../../lib/money';

/**
 * The deals list's count and the sum of the amounts loaded, per currency (adding dollars to euros
 * would be a wrong number); "loaded" says so while more rows remain to scroll in.
 */
export function dealListSummary(records: readonly ObjectRecord[], total: number): string {
  const sums = new Map<string, number>();
  for (const r of records) {
    if (typeof r.amount !== 'number' || typeof r.currency !== 'string') continue;
    sums.set(r.currency, (sums.get(r.currency) ?? 0) + r.amount);
  }
  const count = `${total.toLocaleString()} ${total === 1 ? 'deal' : 'deals'}`;
  if (sums.size === 0) return count;
  const money = [...sums].map(([currency, sum]) => formatMoney(sum, currency)).join(' + ');
  return records.length >= total
    ? `${count} · ${money}`
    : `${count} · ${money} in the ${records.length.toLocaleString()} loaded`;
}
