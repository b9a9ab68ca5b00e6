/** Minor units (cents) as money in the reader's locale: 1234500 USD → "$12,345". */
export function formatMoney(
  minor: number,
  currency: string,
  options: { compact?: boolean } = {},
): string {
  return new Intl.NumberFormat(undefined, {
    style: 'currency',
    currency,
    maximumFractionDigits: 0,
    ...(options.compact ? { notation: 'compact' } : {}),
  }).format(minor / 100);
}
