import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { toast } from 'sonner';
import { http, ifMatch, unwrap } from '../../api/http';
import { exchangeRatesQuery } from '../../api/queries';
import { can, useMe } from '../../api/session';
import { Badge, Button, Input, Table, Td } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { formatMoney } from '../../lib/money';
import { ConfirmDeleteDialog } from './confirm-delete-dialog';
import { ProductDialog } from './product-dialog';
import { matchesProduct, PRODUCTS_KEY, type Product } from './product-model';
import { SettingsListPage } from './settings-list-page';

/** Settings → Products: the catalogue deals pick line items from, with prices and SKUs. */
export default function Products() {
  const me = useMe().data;
  const queryClient = useQueryClient();
  const [q, setQ] = useState('');
  const [showArchived, setShowArchived] = useState(false);
  const [editing, setEditing] = useState<Product | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Product | null>(null);
  const list = useQuery({
    queryKey: PRODUCTS_KEY,
    queryFn: () => unwrap(http.GET('/api/v1/products', { params: { query: { limit: 200 } } })),
    retry: false,
  });
  // New products start in the organization's base currency, which is what forecasts add up in.
  const rates = useQuery({ ...exchangeRatesQuery, enabled: can(me, 'deals:read') });
  const setActive = useMutation({
    mutationFn: (p: Product) =>
      unwrap(
        http.PATCH('/api/v1/products/{id}', {
          params: { path: { id: p.id } },
          headers: ifMatch(p.version),
          body: { active: !p.active },
        }),
      ),
    onSuccess: (p) => {
      toast.success(p.active ? `${p.name} is active again` : `Archived ${p.name}`);
      void queryClient.invalidateQueries({ queryKey: PRODUCTS_KEY });
    },
    onError: (e) => showApiError(e),
  });
  const mayCreate = can(me, 'products:create');
  const mayUpdate = can(me, 'products:update');
  const mayDelete = can(me, 'products:delete');
  const openNew = () => setEditing('new');

  return (
    <SettingsListPage
      title="Products"
      description="What your deals sell. A deal's line items take their name and price from here."
      list={list}
      whoMay="Your role may not read the product catalogue."
      newAction={
        mayCreate
          ? { label: 'New product', testId: 'product-new', onClick: openNew, shortcut: 'n' }
          : undefined
      }
      empty={{
        title: 'No products yet',
        body: 'Add the products and services you sell with their price. Reps then add them to deals as line items, and the deal amount follows.',
        actionLabel: 'Add your first product',
      }}
      dialogs={
        <>
          <ProductDialog
            open={editing !== null}
            onOpenChange={(open) => (open ? undefined : setEditing(null))}
            product={editing === 'new' ? null : editing}
            defaultCurrency={rates.data?.base ?? 'USD'}
          />
          <ConfirmDeleteDialog
            item={deleting}
            noun="product"
            consequence="Deals that sell it keep their line items. To stop offering it but keep it listed, archive it instead."
            remove={(id) =>
              unwrap(http.DELETE('/api/v1/products/{id}', { params: { path: { id } } }))
            }
            listKey={PRODUCTS_KEY}
            testId="product-delete-confirm"
            onClose={() => setDeleting(null)}
          />
        </>
      }
    >
      {(all) => {
        const shown = all.filter((p) => (showArchived || p.active) && matchesProduct(p, q));
        const archivedCount = all.filter((p) => !p.active).length;
        return (
          <>
            <div className="flex flex-wrap items-center gap-3">
              <Input
                type="search"
                aria-label="Search products"
                placeholder="Search name or SKU"
                data-testid="product-search"
                className="w-72"
                value={q}
                onChange={(e) => setQ(e.target.value)}
              />
              <label className="flex items-center gap-2 text-sm text-ink-soft">
                <input
                  type="checkbox"
                  className="size-4 accent-[var(--accent)]"
                  checked={showArchived}
                  onChange={(e) => setShowArchived(e.target.checked)}
                />
                Show archived ({archivedCount})
              </label>
            </div>
            {shown.length === 0 ? (
              <p className="py-6 text-center text-sm text-ink-soft" data-testid="product-no-match">
                No product matches “{q}”. Search looks in names and SKUs
                {showArchived || archivedCount === 0 ? '' : '; archived products are hidden'}.
              </p>
            ) : (
              <Table head={['Name', 'SKU', 'Unit price', 'Currency', 'Status', '']}>
                {shown.map((p) => (
                  <tr key={p.id} data-testid="product-row">
                    <Td className="font-medium">{p.name}</Td>
                    <Td className="font-mono text-xs text-ink-soft">{p.sku ?? '—'}</Td>
                    <Td className="tabular-nums">
                      {formatMoney(p.unitPrice, p.currency, { exact: true })}
                    </Td>
                    <Td className="text-ink-soft">{p.currency}</Td>
                    <Td>
                      {p.active ? <Badge tone="success">Active</Badge> : <Badge>Archived</Badge>}
                    </Td>
                    <Td className="whitespace-nowrap text-right">
                      <div className="flex justify-end gap-1.5">
                        {mayUpdate ? (
                          <>
                            <Button
                              size="sm"
                              variant="secondary"
                              data-testid="product-edit"
                              aria-label={`Edit ${p.name}`}
                              onClick={() => setEditing(p)}
                            >
                              Edit
                            </Button>
                            <Button
                              size="sm"
                              variant="ghost"
                              data-testid="product-archive"
                              aria-label={`${p.active ? 'Archive' : 'Restore'} ${p.name}`}
                              disabled={setActive.isPending}
                              onClick={() => setActive.mutate(p)}
                            >
                              {p.active ? 'Archive' : 'Restore'}
                            </Button>
                          </>
                        ) : null}
                        {mayDelete ? (
                          <Button
                            size="sm"
                            variant="ghost"
                            data-testid="product-delete"
                            aria-label={`Delete ${p.name}`}
                            onClick={() => setDeleting(p)}
                          >
                            Delete
                          </Button>
                        ) : null}
                      </div>
                    </Td>
                  </tr>
                ))}
              </Table>
            )}
          </>
        );
      }}
    </SettingsListPage>
  );
}
