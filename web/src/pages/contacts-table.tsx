import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type RowSelectionState,
  type VisibilityState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { DropdownMenu } from 'radix-ui';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { toast } from 'sonner';
import { api, type Page } from '../api/client';
import { http, unwrap } from '../api/http';
import type { paths } from '../api/schema';
import type { Contact } from '../api/types';
import { Badge, Button, EmptyState, formatDate, Input, Select, Skeleton } from '../components/ui';
import { showApiError } from '../lib/form-errors';
import { useObjects } from '../api/use-objects';
import { FilterBuilder } from './objects/filter-builder';
import { conditionParams, parseConditions, type Condition } from './objects/list-query';

const STATUSES = ['LEAD', 'PROSPECT', 'CUSTOMER', 'INACTIVE'] as const;
const ROW_HEIGHT = 44;
const COLUMNS_KEY = 'cerebro-contact-columns';

type BulkBody = NonNullable<
  paths['/api/v1/contacts/bulk']['post']['requestBody']
>['content']['application/json'];

/** Click to edit, Enter or blur to save with the record's version (a stale edit answers 412). */
function EditableText({ contact, onSaved }: { contact: Contact; onSaved: () => void }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(contact.title ?? '');
  const save = async () => {
    setEditing(false);
    if ((contact.title ?? '') === value) return;
    try {
      await api('PATCH', `/contacts/${contact.id}`, { title: value || null });
      onSaved();
    } catch (e) {
      showApiError(e);
      setValue(contact.title ?? '');
    }
  };
  if (!editing) {
    return (
      <button
        type="button"
        className="w-full truncate rounded px-1 text-left hover:bg-muted"
        onClick={() => setEditing(true)}
        // Named by what it shows (WCAG label-in-name); whose title it is, as its description.
        title={`Edit title of ${contact.name}`}
      >
        {contact.title ?? <span className="text-ink-soft">Add title</span>}
      </button>
    );
  }
  return (
    <Input
      autoFocus
      className="h-7"
      value={value}
      onChange={(e) => setValue(e.target.value)}
      onBlur={() => void save()}
      onKeyDown={(e) =>
        e.key === 'Enter' ? void save() : e.key === 'Escape' ? setEditing(false) : undefined
      }
    />
  );
}

/**
 * The contacts grid: virtualized rows (thousands stay smooth), infinite paging, a filter builder
 * with custom fields, saved views, a column chooser, row selection with bulk actions and inline
 * edits that respect record versions.
 */
export function ContactsTable({ q }: { q: string }) {
  const queryClient = useQueryClient();
  const [conditions, setConditions] = useState<Condition[]>([]);
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [visibility, setVisibility] = useState<VisibilityState>(
    () =>
      JSON.parse(
        localStorage.getItem(COLUMNS_KEY) ?? '{"phone":false,"tags":true}',
      ) as VisibilityState,
  );
  const [tag, setTag] = useState('');
  useEffect(() => localStorage.setItem(COLUMNS_KEY, JSON.stringify(visibility)), [visibility]);
  const params = useMemo(
    () =>
      new URLSearchParams({
        limit: '100',
        count: 'true',
        ...(q ? { q } : {}),
        ...conditionParams(conditions),
      }).toString(),
    [q, conditions],
  );
  const list = useInfiniteQuery({
    queryKey: ['contacts', 'grid', params],
    queryFn: ({ pageParam }) =>
      // Filters are `filter[field][op]` keys the generated query type cannot name.
      api<Page<Contact>>('GET', `/contacts?${params}${pageParam ? `&cursor=${pageParam}` : ''}`),
    initialPageParam: '',
    getNextPageParam: (last) => last.meta.nextCursor ?? undefined,
  });
  const views = useQuery({
    queryKey: ['views', 'contact'],
    queryFn: () =>
      unwrap(
        http.GET('/api/v1/views', { params: { query: { objectType: 'contact', limit: 200 } } }),
      ),
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['contacts'] });
  const objects = useObjects();
  const contactObject = objects.data?.find((o) => o.key === 'contact');
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.data) ?? [], [list.data]);
  const total = list.data?.pages[0]?.meta.total ?? 0;

  const columns = useMemo<Array<ColumnDef<Contact>>>(
    () => [
      {
        id: 'select',
        header: ({ table }) => (
          <input
            type="checkbox"
            aria-label="Select all loaded"
            checked={table.getIsAllRowsSelected()}
            onChange={table.getToggleAllRowsSelectedHandler()}
          />
        ),
        cell: ({ row }) => (
          <input
            type="checkbox"
            aria-label={`Select ${row.original.name}`}
            checked={row.getIsSelected()}
            onChange={row.getToggleSelectedHandler()}
          />
        ),
        size: 36,
        enableHiding: false,
      },
      {
        id: 'name',
        header: 'Name',
        size: 200,
        enableHiding: false,
        cell: ({ row }) => (
          <Link
            className="block truncate font-medium text-ink hover:text-accent"
            to={`/contacts/${row.original.id}`}
          >
            {row.original.name}
          </Link>
        ),
      },
      {
        id: 'email',
        header: 'Email',
        size: 240,
        cell: ({ row }) => (
          <span className="block truncate text-ink-soft" title={row.original.email ?? undefined}>
            {row.original.email ?? '—'}
          </span>
        ),
      },
      { id: 'phone', header: 'Phone', size: 150, cell: ({ row }) => row.original.phone ?? '—' },
      {
        id: 'title',
        header: 'Title',
        size: 180,
        cell: ({ row }) => <EditableText contact={row.original} onSaved={refresh} />,
      },
      {
        id: 'status',
        header: 'Status',
        size: 130,
        cell: ({ row }) => (
          <Select
            aria-label={`Status of ${row.original.name}`}
            className="h-7 w-28 text-xs"
            value={row.original.status}
            onChange={(e) =>
              void api('PATCH', `/contacts/${row.original.id}`, { status: e.target.value }).then(
                refresh,
                (err: unknown) => showApiError(err),
              )
            }
          >
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </Select>
        ),
      },
      {
        id: 'tags',
        header: 'Tags',
        size: 150,
        cell: ({ row }) => (
          <span className="flex gap-1 overflow-hidden">
            {row.original.tags.map((t) => (
              <Badge key={t}>{t}</Badge>
            ))}
          </span>
        ),
      },
      {
        id: 'createdAt',
        header: 'Created',
        size: 170,
        cell: ({ row }) => (
          <span className="whitespace-nowrap text-ink-soft">
            {formatDate(row.original.createdAt)}
          </span>
        ),
      },
    ],
    // Built once: cells call `refresh`, which only invalidates a query key.
    [],
  );
  const table = useReactTable({
    data: rows,
    columns,
    getRowId: (r) => r.id,
    state: { rowSelection: selection, columnVisibility: visibility },
    onRowSelectionChange: setSelection,
    onColumnVisibilityChange: setVisibility,
    getCoreRowModel: getCoreRowModel(),
  });
  const selectedIds = Object.keys(selection).filter((id) => selection[id]);

  const bulk = useMutation({
    mutationFn: (body: Omit<BulkBody, 'ids'>) =>
      unwrap(http.POST('/api/v1/contacts/bulk', { body: { ids: selectedIds, ...body } })),
    onSuccess: (r) => (
      toast.success(
        `${r.succeeded} updated${r.skipped ? `, ${r.skipped} skipped (no permission or invalid)` : ''}`,
      ),
      setSelection({}),
      refresh()
    ),
    onError: (e) => showApiError(e),
  });
  const saveView = useMutation({
    mutationFn: (name: string) =>
      unwrap(
        http.POST('/api/v1/views', {
          body: {
            objectType: 'contact',
            name,
            filters: { ...conditionParams(conditions), ...(q ? { q } : {}) },
            columns: table.getVisibleLeafColumns().map((c) => c.id),
          },
        }),
      ),
    onSuccess: () => (
      toast.success('View saved'),
      void queryClient.invalidateQueries({ queryKey: ['views'] })
    ),
    onError: (e) => showApiError(e),
  });
  const applyView = (id: string) => {
    const v = views.data?.data.find((x) => x.id === id);
    if (!v) return setConditions([]);
    setConditions(parseConditions(Object.entries(v.filters)));
    if (v.columns.length)
      setVisibility(
        Object.fromEntries(table.getAllLeafColumns().map((c) => [c.id, v.columns.includes(c.id)])),
      );
  };

  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtual.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (lastIndex >= rows.length - 20 && list.hasNextPage && !list.isFetchingNextPage)
      void list.fetchNextPage();
  }, [lastIndex, rows.length, list]);
  const visibleColumns = table.getVisibleLeafColumns();
  const template = visibleColumns.map((c) => `${c.getSize()}px`).join(' ');

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        {contactObject && objects.data ? (
          <FilterBuilder
            object={contactObject}
            objects={objects.data}
            conditions={conditions}
            onChange={setConditions}
          />
        ) : null}
        <Select
          aria-label="Saved view"
          className="w-48"
          defaultValue=""
          onChange={(e) => applyView(e.target.value)}
        >
          <option value="">All contacts</option>
          {views.data?.data.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </Select>
        <Button
          variant="ghost"
          size="sm"
          onClick={() => {
            const name = window.prompt('Name this view');
            if (name) saveView.mutate(name);
          }}
        >
          Save view
        </Button>
        <DropdownMenu.Root>
          <DropdownMenu.Trigger asChild>
            <Button variant="ghost" size="sm" data-testid="column-chooser">
              Columns
            </Button>
          </DropdownMenu.Trigger>
          <DropdownMenu.Portal>
            <DropdownMenu.Content
              align="start"
              className="z-50 min-w-44 rounded-md border border-line bg-panel p-1 text-sm shadow-lg"
            >
              {table
                .getAllLeafColumns()
                .filter((c) => c.getCanHide())
                .map((c) => (
                  <DropdownMenu.CheckboxItem
                    key={c.id}
                    checked={c.getIsVisible()}
                    onCheckedChange={(v) => c.toggleVisibility(Boolean(v))}
                    onSelect={(e) => e.preventDefault()}
                    className="cursor-pointer rounded px-2 py-1.5 text-ink outline-none data-[highlighted]:bg-muted"
                  >
                    {c.getIsVisible() ? '✓ ' : '  '}
                    {typeof c.columnDef.header === 'string' ? c.columnDef.header : c.id}
                  </DropdownMenu.CheckboxItem>
                ))}
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>
        <span className="ml-auto text-sm text-ink-soft">{total.toLocaleString()} contacts</span>
      </div>
      {selectedIds.length > 0 ? (
        <div
          className="flex flex-wrap items-center gap-2 rounded-lg border border-accent/40 bg-accent-soft px-3 py-2 text-sm"
          data-testid="bulk-bar"
        >
          <span className="font-medium text-accent">{selectedIds.length} selected</span>
          <Input
            aria-label="Tag to add"
            className="h-8 w-32"
            placeholder="tag"
            value={tag}
            onChange={(e) => setTag(e.target.value)}
          />
          <Button
            size="sm"
            variant="secondary"
            disabled={!tag.trim() || bulk.isPending}
            onClick={() => bulk.mutate({ action: 'add_tag', tag })}
          >
            Add tag
          </Button>
          <Select
            aria-label="Set status"
            className="h-8 w-36"
            value=""
            onChange={(e) =>
              e.target.value &&
              bulk.mutate({ action: 'update', field: 'status', value: e.target.value })
            }
          >
            <option value="">Set status…</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </Select>
          <Button
            size="sm"
            variant="danger"
            disabled={bulk.isPending}
            onClick={() =>
              window.confirm(`Move ${selectedIds.length} contacts to the trash?`) &&
              bulk.mutate({ action: 'delete' })
            }
          >
            Delete
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setSelection({})}>
            Clear
          </Button>
        </div>
      ) : null}
      {list.isPending ? (
        <Skeleton rows={10} />
      ) : rows.length === 0 ? (
        <EmptyState
          title={q || conditions.length ? 'No contact matches' : 'No contacts yet'}
          body={
            q || conditions.length
              ? 'Change the search or the filters.'
              : 'Add the people you work with, or import a spreadsheet.'
          }
        />
      ) : (
        <div className="overflow-hidden rounded-lg border border-line bg-panel">
          <div className="overflow-x-auto">
            <div
              role="table"
              aria-label="Contacts"
              aria-rowcount={rows.length + 1}
              style={{ minWidth: visibleColumns.reduce((n, c) => n + c.getSize(), 0) }}
            >
              <div
                role="row"
                aria-rowindex={1}
                className="grid border-b border-line bg-muted/60 text-xs font-medium uppercase tracking-wide text-ink-soft"
                style={{ gridTemplateColumns: template }}
              >
                {table.getHeaderGroups()[0]?.headers.map((h) => (
                  <div role="columnheader" key={h.id} className="px-3 py-2">
                    {flexRender(h.column.columnDef.header, h.getContext())}
                  </div>
                ))}
              </div>
              <div
                ref={scroller}
                className="relative max-h-[calc(100vh-17rem)] overflow-y-auto"
                data-testid="contacts-grid"
              >
                <div role="rowgroup" style={{ height: virtual.getTotalSize() }}>
                  {items.map((item) => {
                    const row = table.getRowModel().rows[item.index];
                    if (!row) return null;
                    return (
                      <div
                        role="row"
                        aria-rowindex={item.index + 2}
                        key={row.id}
                        className="absolute left-0 grid w-full items-center border-b border-line text-sm hover:bg-muted/40"
                        style={{
                          top: item.start,
                          height: ROW_HEIGHT,
                          gridTemplateColumns: template,
                        }}
                      >
                        {row.getVisibleCells().map((cell) => (
                          <div role="cell" key={cell.id} className="min-w-0 overflow-hidden px-3">
                            {flexRender(cell.column.columnDef.cell, cell.getContext())}
                          </div>
                        ))}
                      </div>
                    );
                  })}
                </div>
              </div>
            </div>
          </div>
          {list.isFetchingNextPage ? (
            <p className="border-t border-line px-3 py-1.5 text-xs text-ink-soft">Loading more…</p>
          ) : null}
        </div>
      )}
    </div>
  );
}
