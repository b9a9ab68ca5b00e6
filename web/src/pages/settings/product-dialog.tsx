import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { ApiError } from '../../api/client';
import { http, ifMatch, unwrap } from '../../api/http';
import { FormRow } from '../../components/form-row';
import { Button, Dialog, Input, Select } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import {
  productBodyOf,
  productFormSchema,
  productValuesOf,
  PRODUCTS_KEY,
  type Product,
  type ProductFormValues,
} from './product-model';

/** The runtime's ISO 4217 list: the same source the server validates against. */
const CURRENCIES = Intl.supportedValuesOf('currency');
/** The API names `unitPrice`; the dialog edits it as the typed `price`. */
const ALIASES = { unitPrice: 'price' };
const FIELDS = ['name', 'sku', 'price', 'currency', 'active'] as const;

/** Creates a product, or edits `product` when one is given. */
export function ProductDialog({
  open,
  onOpenChange,
  product,
  defaultCurrency,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  product: Product | null;
  defaultCurrency: string;
}) {
  const queryClient = useQueryClient();
  const form = useForm<ProductFormValues>({
    resolver: zodResolver(productFormSchema),
    defaultValues: productValuesOf(product, defaultCurrency),
  });
  const { errors, isSubmitting } = form.formState;
  // Each opening starts from the product as it is then; a refetch must not wipe what is typed.
  useEffect(() => {
    if (open) form.reset(productValuesOf(product, defaultCurrency));
  }, [open]);

  const onSubmit = form.handleSubmit(async (values) => {
    const body = productBodyOf(values);
    try {
      if (product)
        await unwrap(
          http.PATCH('/api/v1/products/{id}', {
            params: { path: { id: product.id } },
            headers: ifMatch(product.version),
            body,
          }),
        );
      else await unwrap(http.POST('/api/v1/products', { body }));
      toast.success(product ? `Saved ${body.name}` : `Added ${body.name}`);
      onOpenChange(false);
      await queryClient.invalidateQueries({ queryKey: PRODUCTS_KEY });
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        toast.error('Someone else changed this product meanwhile. Reopen it to see their version.');
        onOpenChange(false);
        await queryClient.invalidateQueries({ queryKey: PRODUCTS_KEY });
        return;
      }
      // A taken SKU answers 409 naming the field as an object (not a details list): put it there too.
      if (e instanceof ApiError && e.status === 409 && e.info.path === 'sku') {
        form.setError('sku', { message: e.message });
        return;
      }
      showApiError(e, form.setError, FIELDS, ALIASES);
    }
  });

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={product ? `Edit ${product.name}` : 'New product'}
      description={
        product
          ? undefined
          : 'Products are what your deals sell, added to a deal as line items with their price.'
      }
    >
      <form
        className="space-y-3"
        noValidate
        data-testid="product-form"
        onSubmit={(e) => void onSubmit(e)}
      >
        <FormRow label="Name" id="product-name" error={errors.name?.message}>
          {(control) => (
            <Input {...control} data-testid="product-name" autoFocus {...form.register('name')} />
          )}
        </FormRow>
        <FormRow
          label="SKU (optional)"
          id="product-sku"
          error={errors.sku?.message}
          hint="Your own product code; unique among your products."
        >
          {(control) => (
            <Input
              {...control}
              data-testid="product-sku"
              className="font-mono"
              {...form.register('sku')}
            />
          )}
        </FormRow>
        <div className="grid grid-cols-[1fr_8rem] gap-3">
          <FormRow label="Unit price" id="product-price" error={errors.price?.message}>
            {(control) => (
              <Input
                {...control}
                data-testid="product-price"
                inputMode="decimal"
                placeholder="99.00"
                {...form.register('price')}
              />
            )}
          </FormRow>
          <FormRow label="Currency" id="product-currency" error={errors.currency?.message}>
            {(control) => (
              <Select {...control} data-testid="product-currency" {...form.register('currency')}>
                {CURRENCIES.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </Select>
            )}
          </FormRow>
        </div>
        <label className="flex items-center gap-2 text-sm text-ink">
          <input
            type="checkbox"
            className="size-4 accent-[var(--accent)]"
            data-testid="product-active"
            {...form.register('active')}
          />
          Active (untick to archive a product you no longer sell)
        </label>
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" data-testid="product-submit" disabled={isSubmitting}>
            {product ? 'Save' : 'Add product'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
