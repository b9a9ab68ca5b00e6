import { Link } from 'react-router';

/** Says which currencies' deals are left out of converted totals for want of an exchange rate. */
export function MissingRates({ currencies }: { currencies: readonly string[] }) {
  if (currencies.length === 0) return null;
  return (
    <p
      role="status"
      data-testid="missing-rates"
      className="rounded-md bg-muted px-3 py-2 text-sm text-ink-soft"
    >
      Deals in {currencies.join(', ')} have no exchange rate and are left out of these totals.{' '}
      <Link className="text-accent underline" to="/settings/currencies">
        Set rates
      </Link>
    </p>
  );
}
