/**
 * Minor units (cents) as money in the reader's locale: 1234500 USD → "$12,345". `exact` keeps the
 * currency's cents ("$12.50"), for prices where rounding to whole units would misstate them.
 */
export function formatMoney(
  minor: number,
  currency: string,
  options: { compact?: boolean; exact?: boolean } = {},
): string {
  return new Intl.NumberFormat(undefined, {
    style: 'currency',
    currency,
    ...(options.exact ? {} : { maximumFractionDigits: 0 }),
    ...(options.compact ? { notation: 'compact' } : {}),
  }).format(minor / 100);
}
