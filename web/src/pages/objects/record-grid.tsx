import { flexRender, type Table } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp } from 'lucide-react';
import { useEffect, useRef } from 'react';
import type { ObjectRecord } from '../../api/records';
import { nextSort } from './list-query';

const ROW_HEIGHT = 44;

/**
 * A virtualized grid of records (thousands stay smooth) that asks for the next page as the user
 * scrolls near the end. Sortable headers are buttons that cycle ascending, descending and none.
 */
export function RecordGrid({
  table,
  sort,
  onSort,
  onNearEnd,
  loadingMore,
  testId,
}: {
  table: Table<ObjectRecord>;
  sort: string;
  onSort: (sort: string) => void;
  onNearEnd: () => void;
  loadingMore: boolean;
  testId: string;
}) {
  const rows = table.getRowModel().rows;
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
    if (lastIndex >= rows.length - 20) onNearEnd();
  }, [lastIndex, rows.length, onNearEnd]);
  const columns = table.getVisibleLeafColumns();
  const template = columns.map((c) => `${c.getSize()}px`).join(' ');
  return (
    <div className="overflow-hidden rounded-lg border border-line bg-panel">
      <div className="overflow-x-auto">
        <div
          role="table"
          aria-rowcount={rows.length + 1}
          style={{ minWidth: columns.reduce((n, c) => n + c.getSize(), 0) }}
        >
          <div
            role="row"
            className="grid border-b border-line bg-muted/60 text-xs font-medium uppercase tracking-wide text-ink-soft"
            style={{ gridTemplateColumns: template }}
          >
            {table.getHeaderGroups()[0]?.headers.map((h) => {
              const id = h.column.id;
              const direction = sort === id ? 'ascending' : sort === `-${id}` ? 'descending' : null;
              return (
                <div
                  role="columnheader"
                  key={h.id}
                  className="px-3 py-2"
                  aria-sort={direction ?? undefined}
                >
                  {h.column.getCanSort() ? (
                    <button
                      type="button"
                      className="inline-flex items-center gap-1 uppercase hover:text-ink"
                      onClick={() => onSort(nextSort(sort, id))}
                      data-testid={`sort-${id}`}
                    >
                      {flexRender(h.column.columnDef.header, h.getContext())}
                      {direction === 'ascending' ? <ArrowUp size={12} aria-hidden /> : null}
                      {direction === 'descending' ? <ArrowDown size={12} aria-hidden /> : null}
                    </button>
                  ) : (
                    flexRender(h.column.columnDef.header, h.getContext())
                  )}
                </div>
              );
            })}
          </div>
          <div
            ref={scroller}
            className="relative max-h-[calc(100vh-17rem)] overflow-y-auto"
            data-testid={testId}
          >
            <div style={{ height: virtual.getTotalSize() }}>
              {items.map((item) => {
                const row = rows[item.index];
                if (!row) return null;
                return (
                  <div
                    role="row"
                    key={row.id}
                    data-testid="record-row"
                    className="absolute left-0 grid w-full items-center border-b border-line text-sm hover:bg-muted/40"
                    style={{ top: item.start, height: ROW_HEIGHT, gridTemplateColumns: template }}
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
      {loadingMore ? (
        <p className="border-t border-line px-3 py-1.5 text-xs text-ink-soft">Loading more…</p>
      ) : null}
    </div>
  );
}
