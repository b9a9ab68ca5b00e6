/** Steps a money axis may take, per power of ten: 1, 2, 2.5 and 5 read well ($250K, $500K…). */
const NICE_STEPS = [1, 2, 2.5, 5, 10];

/**
 * Ticks from 0 to at least `max` (whole currency units) in a round step, at most `count` of them.
 * Choosing the ticks here, not leaving it to the chart, is what lets the formatter below promise
 * that no two of them print alike.
 */
export function moneyTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0];
  const raw = max / Math.max(1, count - 1);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = (NICE_STEPS.find((s) => s * magnitude >= raw) ?? 10) * magnitude;
  const last = Math.ceil(max / step - 1e-9);
  return Array.from({ length: last + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

/** Fraction digits beyond which a compact label never needs to go for the ticks above. */
const MAX_DIGITS = 3;

/**
 * Labels for `ticks` in compact notation ($1.5M, $2M), with as few fraction digits as print every
 * tick exactly: with none, 1.5M would print "$2M" (wrong, and the same as the next tick).
 */
export function moneyTickFormatter(
  ticks: readonly number[],
  currency: string,
  locale?: string,
): (units: number) => string {
  const formatterWith = (digits: number) => {
    const f = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      notation: 'compact',
      minimumFractionDigits: 0,
      maximumFractionDigits: digits,
    });
    return (units: number) => f.format(units);
  };
  const exact = formatterWith(MAX_DIGITS);
  for (let digits = 0; digits < MAX_DIGITS; digits++) {
    const format = formatterWith(digits);
    if (ticks.every((t) => format(t) === exact(t))) return format;
  }
  return exact;
}

/** The ticks and labels of a money axis whose largest value is `max`. */
export function moneyAxis(
  max: number,
  currency: string,
  locale?: string,
): { ticks: number[]; domain: [number, number]; format: (units: number) => string } {
  const ticks = moneyTicks(max);
  return {
    ticks,
    domain: [0, ticks[ticks.length - 1] ?? 0],
    format: moneyTickFormatter(ticks, currency, locale),
  };
}
