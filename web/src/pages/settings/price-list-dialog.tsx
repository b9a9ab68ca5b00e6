import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { Plus, X } from 'lucide-react';
import { useEffect } from 'react';
import { useFieldArray, useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { ApiError } from '../../api/client';
import { http, ifMatch, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import type { PriceList, Product } from '../../api/types';
import { FormRow } from '../../components/form-row';
import { Button, Dialog, Input, Select } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { formatMoney } from '../../lib/money';
import {
  priceListBodyOf,
  priceListFormSchema,
  priceListValuesOf,
  type PriceListFormValues,
} from './price-list-model';

/** The runtime's ISO 4217 list: the same source the server validates against. */
const CURRENCIES = Intl.supportedValuesOf('currency');

/** Creates a price list, or edits `list` when one is given: its fields and a table of prices. */
export function PriceListDialog({
  open,
  onOpenChange,
  list,
  products,
  defaultCurrency,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  list: PriceList | null;
  products: readonly Product[];
  defaultCurrency: string;
}) {
  const queryClient = useQueryClient();
  const form = useForm<PriceListFormValues>({
    resolver: zodResolver(priceListFormSchema),
    defaultValues: priceListValuesOf(list, defaultCurrency),
  });
  const entries = useFieldArray({ control: form.control, name: 'entries' });
  const { errors, isSubmitting } = form.formState;
  const currency = form.watch('currency');
  const chosen = form.watch('entries').map((e) => e.productId);
  // Each opening starts from the list as it is then; a refetch must not wipe what is typed.
  useEffect(() => {
    if (open) form.reset(priceListValuesOf(list, defaultCurrency));
  }, [open]);

  const onSubmit = form.handleSubmit(async (values) => {
    const body = priceListBodyOf(values);
    try {
      if (list)
        await unwrap(
          http.PATCH('/api/v1/price-lists/{id}', {
            params: { path: { id: list.id } },
            headers: ifMatch(list.version),
            body,
          }),
        );
      else await unwrap(http.POST('/api/v1/price-lists', { body }));
      toast.success(list ? `Saved ${body.name}` : `Added ${body.name}`);
      onOpenChange(false);
      await queryClient.invalidateQueries({ queryKey: keys.priceLists });
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        toast.error('Someone else changed this list meanwhile. Reopen it to see their version.');
        onOpenChange(false);
        await queryClient.invalidateQueries({ queryKey: keys.priceLists });
        return;
      }
      // The API names `entries.N.productId` / `entries.N.unitPrice`; the form edits the price as typed.
      const rows = values.entries.flatMap((_, i) => [
        `entries.${i}.productId`,
        `entries.${i}.price`,
      ]);
      const aliases = Object.fromEntries(
        values.entries.map((_, i) => [`entries.${i}.unitPrice`, `entries.${i}.price`]),
      );
      showApiError(e, form.setError, ['name', 'currency', ...rows], aliases);
    }
  });

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      size="lg"
      title={list ? `Edit ${list.name}` : 'New price list'}
      description="Prices here replace a product's own price. The default list of a currency prices new product lines of deals in that currency."
    >
      <form
        className="space-y-3"
        noValidate
        data-testid="price-list-form"
        onSubmit={(e) => void onSubmit(e)}
      >
        <div className="grid gap-3 sm:grid-cols-[1fr_8rem]">
          <FormRow label="Name" id="price-list-name" error={errors.name?.message}>
            {(control) => (
              <Input
                {...control}
                data-testid="price-list-name"
                autoFocus
                placeholder="e.g. Partners 2027"
                {...form.register('name')}
              />
            )}
          </FormRow>
          <FormRow label="Currency" id="price-list-currency" error={errors.currency?.message}>
            {(control) => (
              <Select {...control} data-testid="price-list-currency" {...form.register('currency')}>
                {CURRENCIES.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </Select>
            )}
          </FormRow>
        </div>
        <div className="flex flex-wrap gap-x-6 gap-y-2 text-sm text-ink">
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              className="size-4 accent-[var(--accent)]"
              data-testid="price-list-default"
              {...form.register('isDefault')}
            />
            Default for {currency} deals
          </label>
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              className="size-4 accent-[var(--accent)]"
              data-testid="price-list-active"
              {...form.register('active')}
            />
            Active
          </label>
        </div>

        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-ink">Prices in {currency}</legend>
          {entries.fields.length === 0 ? (
            <p className="text-sm text-ink-soft">
              No prices yet. Add the products this list prices differently; the others keep their
              own price.
            </p>
          ) : (
            <ul className="space-y-2" data-testid="price-list-entries">
              {entries.fields.map((field, i) => {
                const productError = errors.entries?.[i]?.productId?.message;
                const priceError = errors.entries?.[i]?.price?.message;
                const own = products.find((p) => p.id === chosen[i]);
                return (
                  <li key={field.id} className="grid grid-cols-[1fr_9rem_auto] items-start gap-2">
                    <FormRow
                      label={`Product ${i + 1}`}
                      id={`entry-${i}-product`}
                      error={productError}
                    >
                      {(control) => (
                        <Select
                          {...control}
                          data-testid="price-list-entry-product"
                          {...form.register(`entries.${i}.productId`)}
                        >
                          <option value="">Pick a product…</option>
                          {products
                            .filter((p) => p.id === chosen[i] || !chosen.includes(p.id))
                            .map((p) => (
                              <option key={p.id} value={p.id}>
                                {p.name} ({formatMoney(p.unitPrice, p.currency, { exact: true })})
                              </option>
                            ))}
                        </Select>
                      )}
                    </FormRow>
                    <FormRow
                      label={`Price (${currency})`}
                      id={`entry-${i}-price`}
                      error={priceError}
                      hint={
                        own
                          ? `Own: ${formatMoney(own.unitPrice, own.currency, { exact: true })}`
                          : undefined
                      }
                    >
                      {(control) => (
                        <Input
                          {...control}
                          data-testid="price-list-entry-price"
                          inputMode="decimal"
                          className="text-right tabular-nums"
                          {...form.register(`entries.${i}.price`)}
                        />
                      )}
                    </FormRow>
                    <Button
                      variant="ghost"
                      size="sm"
                      className="mt-6"
                      aria-label={`Remove price ${i + 1}`}
                      onClick={() => entries.remove(i)}
                    >
                      <X size={14} aria-hidden />
                    </Button>
                  </li>
                );
              })}
            </ul>
          )}
          <Button
            variant="secondary"
            size="sm"
            data-testid="price-list-add-entry"
            disabled={products.length === 0 || chosen.length >= products.length}
            onClick={() => entries.append({ productId: '', price: '' })}
          >
            <Plus size={14} aria-hidden /> Add a product price
          </Button>
          {products.length === 0 ? (
            <p className="text-xs text-ink-soft">Add products first: a list prices products.</p>
          ) : null}
        </fieldset>

        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" data-testid="price-list-submit" disabled={isSubmitting}>
            {list ? 'Save' : 'Add price list'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
