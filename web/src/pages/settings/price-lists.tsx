import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { exchangeRatesQuery } from '../../api/queries';
import { can, useMe } from '../../api/session';
import type { PriceList } from '../../api/types';
import { Badge, Button, Table, Td } from '../../components/ui';
import { ConfirmDeleteDialog } from './confirm-delete-dialog';
import { PriceListDialog } from './price-list-dialog';
import { SettingsListPage } from './settings-list-page';

/** Settings → Price lists: other prices for the same products, one default per currency. */
export default function PriceLists() {
  const me = useMe().data;
  const [editing, setEditing] = useState<PriceList | 'new' | null>(null);
  const [deleting, setDeleting] = useState<PriceList | null>(null);
  const lists = useQuery({
    queryKey: keys.priceLists,
    queryFn: () => unwrap(http.GET('/api/v1/price-lists', { params: { query: { limit: 200 } } })),
    retry: false,
  });
  const products = useQuery({
    queryKey: keys.products,
    queryFn: () => unwrap(http.GET('/api/v1/products', { params: { query: { limit: 200 } } })),
  });
  // New lists start in the organization's base currency, as new products do.
  const rates = useQuery({ ...exchangeRatesQuery, enabled: can(me, 'deals:read') });
  const mayCreate = can(me, 'products:create');
  const mayUpdate = can(me, 'products:update');
  const mayDelete = can(me, 'products:delete');
  const openNew = () => setEditing('new');

  return (
    <SettingsListPage
      title="Price lists"
      description="Other prices for your products — per region, partner or year. The default list of a currency prices new product lines of deals in that currency."
      list={lists}
      whoMay="Your role may not read the product catalogue."
      newAction={
        mayCreate
          ? { label: 'New price list', testId: 'price-list-new', onClick: openNew, shortcut: 'n' }
          : undefined
      }
      empty={{
        title: 'No price lists yet',
        body: 'A price list gives some products another price in one currency, for example a partner discount or euro prices. Make it the default for its currency and new deal lines in that currency take its prices; products it leaves out keep their own.',
        actionLabel: 'Create a price list',
      }}
      dialogs={
        <>
          <PriceListDialog
            open={editing !== null}
            onOpenChange={(open) => (open ? undefined : setEditing(null))}
            list={editing === 'new' ? null : editing}
            products={products.data?.data ?? []}
            defaultCurrency={rates.data?.base ?? 'USD'}
          />
          <ConfirmDeleteDialog
            item={deleting}
            noun="price list"
            consequence="Deals keep the prices their lines already have. New product lines take the products' own prices unless another default list prices them."
            remove={(id) =>
              unwrap(http.DELETE('/api/v1/price-lists/{id}', { params: { path: { id } } }))
            }
            listKey={keys.priceLists}
            testId="price-list-delete-confirm"
            onClose={() => setDeleting(null)}
          />
        </>
      }
    >
      {(all) => (
        <Table head={['Name', 'Currency', 'Prices', 'Status', '']}>
          {all.map((l) => (
            <tr key={l.id} data-testid="price-list-row">
              <Td className="font-medium">
                <span className="inline-flex items-center gap-2">
                  {l.name}
                  {l.isDefault ? <Badge tone="accent">Default</Badge> : null}
                </span>
              </Td>
              <Td className="text-ink-soft">{l.currency}</Td>
              <Td className="tabular-nums text-ink-soft">
                {l.entries.length === 1 ? '1 product' : `${l.entries.length} products`}
              </Td>
              <Td>{l.active ? <Badge tone="success">Active</Badge> : <Badge>Inactive</Badge>}</Td>
              <Td className="whitespace-nowrap text-right">
                <div className="flex justify-end gap-1.5">
                  {mayUpdate ? (
                    <Button
                      size="sm"
                      variant="secondary"
                      data-testid="price-list-edit"
                      aria-label={`Edit ${l.name}`}
                      onClick={() => setEditing(l)}
                    >
                      Edit
                    </Button>
                  ) : null}
                  {mayDelete ? (
                    <Button
                      size="sm"
                      variant="ghost"
                      data-testid="price-list-delete"
                      aria-label={`Delete ${l.name}`}
                      onClick={() => setDeleting(l)}
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
    </SettingsListPage>
  );
}
