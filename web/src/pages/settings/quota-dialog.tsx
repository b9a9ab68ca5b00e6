import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { ApiError } from '../../api/client';
import { http, ifMatch, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { FormRow } from '../../components/form-row';
import { Button, Dialog, Input, Select } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import {
  fromMinorUnits,
  periodLabel,
  periodStartOf,
  periodStarts,
  quotaFormSchema,
  targetOf,
  toMinorUnits,
  type QuotaFormValues,
} from './quota-form';

/** A quota as the list shows it. */
export interface QuotaRow {
  id: string;
  userId: string | null;
  teamId: string | null;
  period: 'month' | 'quarter';
  periodStart: string;
  amount: number;
  version: number;
}

const FIELDS = ['target', 'period', 'periodStart', 'amount'] as const;
/** The API names the target as userId or teamId; the form has one picker for both. */
const ALIASES = { userId: 'target', teamId: 'target' };

const initialValues = (quota: QuotaRow | null): QuotaFormValues => ({
  target: quota ? (quota.userId ? `user:${quota.userId}` : `team:${quota.teamId ?? ''}`) : '',
  period: quota?.period ?? 'quarter',
  periodStart: quota?.periodStart ?? periodStartOf('quarter', new Date()),
  amount: quota ? fromMinorUnits(quota.amount) : '',
});

/**
 * Creates a quota, or changes an existing one's amount (the API keeps a quota's target and period:
 * a different period is a new quota). Amounts are typed in whole units of the base currency.
 */
export function QuotaDialog({
  open,
  onOpenChange,
  quota,
  currency,
  users,
  teams,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  quota: QuotaRow | null;
  currency: string;
  users: ReadonlyArray<{ id: string; name: string }>;
  teams: ReadonlyArray<{ id: string; name: string }>;
}) {
  const queryClient = useQueryClient();
  const form = useForm<QuotaFormValues>({
    resolver: zodResolver(quotaFormSchema),
    defaultValues: initialValues(quota),
  });
  const { errors, isSubmitting } = form.formState;
  useEffect(() => {
    if (open) form.reset(initialValues(quota));
  }, [open]);
  const period = form.watch('period');
  const periodStart = form.watch('periodStart');
  // Two periods back (to correct a recent one) and a year and a half ahead (to plan).
  const starts = useMemo(() => {
    const offered = periodStarts(period, new Date(), 2, period === 'month' ? 18 : 6);
    return offered.includes(periodStart) ? offered : [periodStart, ...offered];
  }, [period, periodStart]);

  const onSubmit = form.handleSubmit(async (v) => {
    try {
      if (quota) {
        await unwrap(
          http.PATCH('/api/v1/quotas/{id}', {
            params: { path: { id: quota.id } },
            headers: ifMatch(quota.version),
            body: { amount: toMinorUnits(v.amount) },
          }),
        );
      } else {
        await unwrap(
          http.POST('/api/v1/quotas', {
            body: {
              ...targetOf(v.target),
              period: v.period,
              periodStart: v.periodStart,
              amount: toMinorUnits(v.amount),
            },
          }),
        );
      }
      toast.success(quota ? 'Quota changed' : 'Quota set');
      await queryClient.invalidateQueries({ queryKey: keys.quotas });
      void queryClient.invalidateQueries({ queryKey: keys.forecasts });
      onOpenChange(false);
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        toast.error('Someone else changed this quota meanwhile. Reopen it to see their amount.');
        await queryClient.invalidateQueries({ queryKey: keys.quotas });
        onOpenChange(false);
        return;
      }
      // The API's message names the other quota by id; people need to know what to do instead.
      if (e instanceof ApiError && e.code === 'SALES_QUOTA_EXISTS')
        return form.setError('periodStart', {
          message: 'Already has a quota for this period: edit that one in the list instead.',
        });
      showApiError(e, form.setError, FIELDS, ALIASES);
    }
  });

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={quota ? 'Change quota' : 'New quota'}
      description={
        quota
          ? 'A quota keeps its person or team and period; only the amount changes.'
          : `What a person or team should close in a month or quarter, in ${currency}.`
      }
    >
      <form
        onSubmit={(e) => void onSubmit(e)}
        className="space-y-3"
        noValidate
        data-testid="quota-form"
      >
        <FormRow label="For" id="quota-target" error={errors.target?.message}>
          {(control) => (
            <Select
              {...control}
              data-testid="quota-target"
              disabled={Boolean(quota)}
              {...form.register('target')}
            >
              <option value="">Pick a user or a team…</option>
              <optgroup label="Users">
                {users.map((u) => (
                  <option key={u.id} value={`user:${u.id}`}>
                    {u.name}
                  </option>
                ))}
              </optgroup>
              {teams.length ? (
                <optgroup label="Teams">
                  {teams.map((t) => (
                    <option key={t.id} value={`team:${t.id}`}>
                      {t.name}
                    </option>
                  ))}
                </optgroup>
              ) : null}
            </Select>
          )}
        </FormRow>
        <div className="grid grid-cols-2 gap-3">
          <FormRow label="Period" id="quota-period" error={errors.period?.message}>
            {(control) => (
              <Select
                {...control}
                data-testid="quota-period"
                disabled={Boolean(quota)}
                {...form.register('period', {
                  // A month's 1st is not always a quarter's: move to the period that holds it.
                  onChange: (e: { target: { value: 'month' | 'quarter' } }) =>
                    form.setValue(
                      'periodStart',
                      periodStartOf(
                        e.target.value,
                        new Date(`${form.getValues('periodStart')}T00:00:00Z`),
                      ),
                    ),
                })}
              >
                <option value="month">Month</option>
                <option value="quarter">Quarter</option>
              </Select>
            )}
          </FormRow>
          <FormRow label="Starting" id="quota-start" error={errors.periodStart?.message}>
            {(control) => (
              <Select
                {...control}
                data-testid="quota-start"
                disabled={Boolean(quota)}
                {...form.register('periodStart')}
              >
                {starts.map((s) => (
                  <option key={s} value={s}>
                    {periodLabel(period, s)}
                  </option>
                ))}
              </Select>
            )}
          </FormRow>
        </div>
        <FormRow
          label={`Amount (${currency})`}
          id="quota-amount"
          error={errors.amount?.message}
          hint="Closed-won deals count against it on the sales dashboard."
        >
          {(control) => (
            <Input
              {...control}
              data-testid="quota-amount"
              inputMode="decimal"
              autoFocus
              {...form.register('amount')}
            />
          )}
        </FormRow>
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" disabled={isSubmitting} data-testid="quota-save">
            {quota ? 'Save' : 'Set quota'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
