/** The number of decimals of a currency (JPY 0, USD 2), so minor units convert exactly. */
export function currencyDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat(undefined, { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/**
 * Minor units (cents) as money in the reader's locale: 1234500 USD → "$12,345"; `exact` keeps the
 * cents ("$12,345.00") where a price is read to the unit, as on a line item.
 */
export function formatMoney(
  minor: number,
  currency: string,
  options: { compact?: boolean; exact?: boolean } = {},
): string {
  if (options.exact) {
    const digits = currencyDigits(currency);
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(
      minor / 10 ** digits,
    );
  }
  return new Intl.NumberFormat(undefined, {
    style: 'currency',
    currency,
    maximumFractionDigits: 0,
    ...(options.compact ? { notation: 'compact' } : {}),
  }).format(minor / 100);
}

/** Minor units as an input shows them in whole units: 12550 USD → "125.5". */
export const toMajorInput = (minor: number, currency: string): string =>
  String(minor / 10 ** currencyDigits(currency));

/** What a person typed in whole units ("125.50") as minor units, or null when it is no amount. */
export function parseMoneyInput(text: string, currency: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const n = Number(trimmed);
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 10 ** currencyDigits(currency)) : null;
}
