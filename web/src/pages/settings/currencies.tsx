import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError } from '../../api/client';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { exchangeRatesQuery } from '../../api/queries';
import { can, useMe } from '../../api/session';
import { Button, Card, Field, Input, PageHeader, Select, Skeleton } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';

/** The runtime's ISO 4217 list: the same source the server validates against. */
const CURRENCIES = Intl.supportedValuesOf('currency');

interface RateRow {
  currency: string;
  rate: string;
}

const rowsOf = (rates: Record<string, number>): RateRow[] =>
  Object.entries(rates).map(([currency, rate]) => ({ currency, rate: String(rate) }));

/**
 * The organization's base currency and its exchange rates. Saving replaces the whole table (PUT);
 * picking another base empties the table, since rates to the old base mean nothing to the new one.
 */
export default function Currencies() {
  const me = useMe().data;
  const queryClient = useQueryClient();
  const current = useQuery(exchangeRatesQuery);
  const [base, setBase] = useState('');
  const [rows, setRows] = useState<RateRow[]>([]);
  const [problems, setProblems] = useState<Record<string, string>>({});
  useEffect(() => {
    if (!current.data) return;
    setBase(current.data.base);
    setRows(rowsOf(current.data.rates));
  }, [current.data]);
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        http.PUT('/api/v1/exchange-rates', {
          body: {
            base,
            rates: Object.fromEntries(
              rows.filter((r) => r.currency).map((r) => [r.currency, Number(r.rate)]),
            ),
          },
        }),
      ),
    onSuccess: (saved) => {
      setProblems({});
      queryClient.setQueryData(keys.exchangeRates, saved);
      void queryClient.invalidateQueries({ queryKey: keys.forecasts });
    },
    onError: (e) => {
      if (e instanceof ApiError)
        setProblems(Object.fromEntries(e.details.map((d) => [d.path, d.message])));
      showApiError(e);
    },
  });
  if (current.isPending || !current.data) return <Skeleton />;
  const mayEdit = can(me, 'settings:update');
  const rebasing = base !== current.data.base;
  const update = (i: number, patch: Partial<RateRow>) =>
    setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const handleBaseChange = (next: string) => {
    setBase(next);
    // Rates are relative to the base: a new base starts from an empty table (the saved one comes back if the base is set back).
    setRows(next === current.data.base ? rowsOf(current.data.rates) : []);
  };
  return (
    <div className="space-y-5">
      <PageHeader
        title="Currencies"
        description="Forecasts, boards and quotas add deals up in the base currency. A deal in a currency without a rate is shown apart, never counted 1:1."
      />
      <form className="max-w-xl space-y-4" onSubmit={(e) => (e.preventDefault(), save.mutate())}>
        <Card className="space-y-4">
          <Field
            label="Base currency"
            id="base-currency"
            error={problems.base}
            hint={
              rebasing
                ? `Changing the base replaces every rate: enter what one unit of each currency is worth in ${base}.`
                : undefined
            }
          >
            <Select
              id="base-currency"
              data-testid="base-currency"
              value={base}
              disabled={!mayEdit}
              onChange={(e) => handleBaseChange(e.target.value)}
            >
              {CURRENCIES.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </Select>
          </Field>
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium text-ink">Exchange rates to {base}</legend>
            {rows.length === 0 ? <p className="text-sm text-ink-soft">No rates yet.</p> : null}
            {rows.map((r, i) => {
              const problem = problems[`rates.${r.currency}`];
              return (
                <div key={i} className="flex items-start gap-2">
                  <Select
                    className="w-40 shrink-0"
                    aria-label={`Currency of rate ${i + 1}`}
                    value={r.currency}
                    disabled={!mayEdit}
                    onChange={(e) => update(i, { currency: e.target.value })}
                  >
                    <option value="">Currency…</option>
                    {CURRENCIES.filter((c) => c !== base).map((c) => (
                      <option key={c} value={c}>
                        {c}
                      </option>
                    ))}
                  </Select>
                  <div className="flex-1">
                    <Input
                      aria-label={`1 ${r.currency || 'unit'} in ${base}`}
                      aria-invalid={problem ? true : undefined}
                      type="number"
                      min="0"
                      step="any"
                      value={r.rate}
                      disabled={!mayEdit}
                      onChange={(e) => update(i, { rate: e.target.value })}
                    />
                    {problem ? (
                      <p role="alert" className="text-xs text-danger">
                        {problem}
                      </p>
                    ) : null}
                  </div>
                  {mayEdit ? (
                    <Button
                      type="button"
                      size="sm"
                      variant="ghost"
                      onClick={() => setRows(rows.filter((_, j) => j !== i))}
                    >
                      Remove
                    </Button>
                  ) : null}
                </div>
              );
            })}
            {mayEdit ? (
              <Button
                type="button"
                size="sm"
                variant="ghost"
                onClick={() => setRows([...rows, { currency: '', rate: '' }])}
              >
                Add a rate
              </Button>
            ) : null}
          </fieldset>
        </Card>
        {mayEdit ? (
          <Button type="submit" data-testid="save-currencies" disabled={save.isPending}>
            {rebasing ? `Change base to ${base} and save rates` : 'Save rates'}
          </Button>
        ) : null}
      </form>
    </div>
  );
}
