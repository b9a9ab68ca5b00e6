import { useInfiniteQuery } from '@tanstack/react-query';
import {
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type RowSelectionState,
  type VisibilityState,
} from '@tanstack/react-table';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { keys } from '../../api/keys';
import { listRecords, type ObjectRecord } from '../../api/records';
import type { ObjectDescription } from '../../api/types';
import { EmptyState, Skeleton } from '../../components/ui';
import { useUsers } from '../../lib/use-users';
import { BulkBar } from './bulk-bar';
import { defaultColumns, filterKey, hasImportPage, visibleFields } from './field-specs';
import { FilterBuilder } from './filter-builder';
import { listQuery, type ListState } from './list-query';
import { objectColumns } from './object-columns';
import { RecordGrid } from './record-grid';
import { ColumnChooser, SavedViews } from './table-toolbar';

const PAGE_SIZE = 100;
const columnsKey = (object: ObjectDescription) => `cerebro-columns-${object.key}`;

/** Which columns show: the user's last choice for this object, else the object's defaults. */
function initialVisibility(
  object: ObjectDescription,
  objects: readonly ObjectDescription[],
): VisibilityState {
  const stored = localStorage.getItem(columnsKey(object));
  if (stored) return JSON.parse(stored) as VisibilityState;
  return visibilityOf(object, defaultColumns(object, objects));
}

const visibilityOf = (object: ObjectDescription, shown: readonly string[]): VisibilityState =>
  Object.fromEntries(
    visibleFields(object).map((f) => [filterKey(f), shown.includes(filterKey(f))]),
  );

const selectColumn: ColumnDef<ObjectRecord> = {
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
      aria-label={`Select row ${row.index + 1}`}
      checked={row.getIsSelected()}
      onChange={row.getToggleSelectedHandler()}
    />
  ),
  size: 40,
  enableHiding: false,
  enableSorting: false,
};

/**
 * The generic record table of one object, drawn from its description: a column per field (with
 * a chooser), related records by name, sorting from the headers, filters and search kept in the
 * URL, saved views, selection with bulk actions, and thousands of rows paged in as they scroll.
 */
export function ObjectTable({
  object,
  objects,
  state,
  onState,
  emptyAction,
}: {
  object: ObjectDescription;
  objects: readonly ObjectDescription[];
  state: ListState;
  onState: (state: ListState) => void;
  /** What the empty state offers (the New button). */
  emptyAction?: ReactNode;
}) {
  const { nameOf } = useUsers();
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [visibility, setVisibility] = useState<VisibilityState>(() =>
    initialVisibility(object, objects),
  );
  useEffect(
    () => localStorage.setItem(columnsKey(object), JSON.stringify(visibility)),
    [object, visibility],
  );
  const query = useMemo(() => listQuery(state, PAGE_SIZE), [state]);
  const list = useInfiniteQuery({
    queryKey: keys.records(object.resource).list(query),
    queryFn: ({ pageParam }) =>
      listRecords(object.resource, pageParam ? { ...query, cursor: pageParam } : query),
    initialPageParam: '',
    getNextPageParam: (last) => last.meta.nextCursor ?? undefined,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.data) ?? [], [list.data]);
  const total = list.data?.pages[0]?.meta.total ?? 0;
  const columns = useMemo(
    () => [selectColumn, ...objectColumns(object, objects, nameOf)],
    [object, objects, nameOf],
  );
  const table = useReactTable({
    data: rows,
    columns,
    getRowId: (r) => r.id,
    state: { rowSelection: selection, columnVisibility: visibility },
    onRowSelectionChange: setSelection,
    onColumnVisibilityChange: setVisibility,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
  });
  const selected = useMemo(() => rows.filter((r) => selection[r.id]), [rows, selection]);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  const handleNearEnd = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const filtered = state.q !== '' || state.conditions.length > 0;
  const plural = object.labels.plural.toLowerCase();

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <FilterBuilder
          object={object}
          objects={objects}
          conditions={state.conditions}
          onChange={(conditions) => onState({ ...state, conditions })}
        />
        <SavedViews
          objectKey={object.key}
          plural={object.labels.plural}
          state={state}
          table={table}
          onApply={(next, shown) => {
            onState(next);
            if (shown.length) setVisibility(visibilityOf(object, shown));
          }}
        />
        <ColumnChooser table={table} />
        <span className="ml-auto text-sm text-ink-soft" data-testid="record-count">
          {list.data
            ? `${total.toLocaleString()} ${total === 1 ? object.labels.singular.toLowerCase() : plural}`
            : ''}
        </span>
      </div>
      {selected.length > 0 ? (
        <BulkBar object={object} records={selected} onDone={() => setSelection({})} />
      ) : null}
      {list.isPending ? (
        <Skeleton rows={10} />
      ) : list.isError ? (
        <EmptyState
          title={`The ${plural} could not be loaded`}
          body={list.error instanceof Error ? list.error.message : 'Try again in a moment.'}
        />
      ) : rows.length === 0 ? (
        <EmptyState
          title={
            filtered ? `No ${object.labels.singular.toLowerCase()} matches` : `No ${plural} yet`
          }
          body={
            filtered
              ? 'Change the search or the filters, or clear them to see everything.'
              : `Create the first one with New${hasImportPage(object) ? ', or import a spreadsheet' : ''}.`
          }
          action={filtered ? undefined : emptyAction}
        />
      ) : (
        <RecordGrid
          table={table}
          sort={state.sort}
          onSort={(sort) => onState({ ...state, sort })}
          onNearEnd={handleNearEnd}
          loadingMore={isFetchingNextPage}
          testId={`${object.resource}-grid`}
        />
      )}
    </div>
  );
}
