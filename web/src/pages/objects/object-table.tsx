import { useInfiniteQuery } from '@tanstack/react-query';
import {
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type ColumnSizingState,
  type RowSelectionState,
  type VisibilityState,
} from '@tanstack/react-table';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { keys } from '../../api/keys';
import { listRecords, type ObjectRecord } from '../../api/records';
import type { ObjectDescription } from '../../api/types';
import { EmptyState, Skeleton } from '../../components/ui';
import { useUsers } from '../../lib/use-users';
import { BulkBar } from './bulk-bar';
import { hasImportPage } from './field-specs';
import { FilterBuilder } from './filter-builder';
import { GroupHeading } from './group-heading';
import { sumField } from './grouping';
import type { CellRenderer, ListExtension } from './list-extension';
import { listQuery, type ListState } from './list-query';
import { objectColumns } from './object-columns';
import { RecordGrid } from './record-grid';
import { ExportButton, GroupBy } from './table-actions';
import { initialSizing, initialVisibility, storePrefs, visibilityOf } from './table-prefs';
import { SavedViews } from './saved-views';
import { ColumnChooser } from './table-toolbar';
import { useTableGrouping } from './use-table-grouping';

const PAGE_SIZE = 100;

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
  enableResizing: false,
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
  cells,
  defaultColumns,
  columnSizes,
  summary,
  rowTestId,
}: {
  object: ObjectDescription;
  objects: readonly ObjectDescription[];
  state: ListState;
  onState: (state: ListState) => void;
  /** What the empty state offers (the New button). */
  emptyAction?: ReactNode;
  /** A module's own cells by column id (see `ListExtension`). */
  cells?: Readonly<Partial<Record<string, CellRenderer>>>;
  /** A module's default columns and their widths (see `ListExtension`). */
  defaultColumns?: readonly string[];
  columnSizes?: Readonly<Record<string, number>>;
  /** A module's words for the count and its rows' test id (see `ListExtension`). */
  summary?: ListExtension['summary'];
  rowTestId?: string;
}) {
  const { nameOf } = useUsers();
  const navigate = useNavigate();
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [visibility, setVisibility] = useState<VisibilityState>(() =>
    initialVisibility(object, objects, defaultColumns),
  );
  const [sizing, setSizing] = useState<ColumnSizingState>(() => initialSizing(object, columnSizes));
  useEffect(() => storePrefs(object, visibility, sizing), [object, visibility, sizing]);
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
    () => [selectColumn, ...objectColumns(object, objects, nameOf, cells)],
    [object, objects, nameOf, cells],
  );
  const table = useReactTable({
    data: rows,
    columns,
    getRowId: (r) => r.id,
    state: { rowSelection: selection, columnVisibility: visibility, columnSizing: sizing },
    onRowSelectionChange: setSelection,
    onColumnVisibilityChange: setVisibility,
    onColumnSizingChange: setSizing,
    columnResizeMode: 'onChange',
    defaultColumn: { minSize: 60, maxSize: 800 },
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
  });
  const grouping = useTableGrouping(object, state.group, query, table.getRowModel().rows);
  const amount = sumField(object);
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
          permission={object.permission}
          plural={object.labels.plural}
          state={state}
          table={table}
          onApply={(next, shown) => {
            onState(next);
            if (shown.length) setVisibility(visibilityOf(object, shown));
          }}
        />
        <ColumnChooser table={table} />
        <GroupBy
          object={object}
          value={state.group}
          onChange={(group) => onState({ ...state, group })}
        />
        <ExportButton
          object={object}
          query={query}
          columns={table
            .getVisibleLeafColumns()
            .map((c) => c.id)
            .filter((id) => id !== 'select')}
        />
        <span className="ml-auto text-sm text-ink-soft" data-testid="record-count">
          {!list.data
            ? ''
            : summary
              ? summary({ records: rows, total })
              : `${total.toLocaleString()} ${total === 1 ? object.labels.singular.toLowerCase() : plural}`}
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
          items={grouping.items}
          collapsed={grouping.collapsed}
          onToggleGroup={grouping.toggle}
          onOpen={(r) => void navigate(`/${object.resource}/${r.id}`)}
          groupLabel={(key) =>
            grouping.field ? (
              <GroupHeading
                field={grouping.field}
                value={key}
                count={grouping.counts.get(key)}
                counted={grouping.counts.has(key)}
                records={
                  grouping.groups.find((g) => g.key === key)?.rows.map((r) => r.original) ?? []
                }
                sum={amount}
                objects={objects}
                nameOf={nameOf}
              />
            ) : null
          }
          sort={state.sort}
          onSort={(sort) => onState({ ...state, sort })}
          onNearEnd={handleNearEnd}
          loadingMore={isFetchingNextPage}
          testId={`${object.resource}-grid`}
          rowTestId={rowTestId}
        />
      )}
    </div>
  );
}
