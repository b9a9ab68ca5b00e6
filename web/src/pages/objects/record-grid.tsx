import { flexRender, type Row, type Table } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp, ChevronDown, ChevronRight } from 'lucide-react';
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { ObjectRecord } from '../../api/records';
import type { GridItem } from './grouping';
import { nextSort } from './list-query';

const ROW_HEIGHT = 44;

/** A group header's content: the value's label, its count and sum; the grid adds the toggle. */
export type GroupLabel = (key: string) => ReactNode;

/** The header row: sortable headers cycle the sort, and each edge drags the column's width. */
function HeaderRow({
  table,
  sort,
  onSort,
  template,
}: {
  table: Table<ObjectRecord>;
  sort: string;
  onSort: (sort: string) => void;
  template: string;
}) {
  return (
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
            className="relative truncate px-3 py-2"
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
            {h.column.getCanResize() ? (
              // A pointer affordance; the width is also reset by a double click.
              <div
                aria-hidden
                onMouseDown={h.getResizeHandler()}
                onTouchStart={h.getResizeHandler()}
                onDoubleClick={() => h.column.resetSize()}
                data-testid={`resize-${id}`}
                className={`absolute right-0 top-0 h-full w-1.5 cursor-col-resize select-none hover:bg-accent/40 ${h.column.getIsResizing() ? 'bg-accent' : ''}`}
              />
            ) : null}
          </div>
        );
      })}
    </div>
  );
}

/**
 * A virtualized grid of records (thousands stay smooth) that asks for the next page as the user
 * scrolls near the end, optionally under collapsible group headers. Rows take the keyboard: ↑/↓
 * move between rows, Enter opens the record (or folds a group), Space selects — only when the
 * row itself has focus, so typing in a cell's input is never taken over.
 */
export function RecordGrid({
  table,
  items,
  sort,
  onSort,
  onNearEnd,
  onOpen,
  onToggleGroup,
  collapsed,
  groupLabel,
  loadingMore,
  testId,
  rowTestId = 'record-row',
}: {
  table: Table<ObjectRecord>;
  items: ReadonlyArray<GridItem<Row<ObjectRecord>>>;
  sort: string;
  onSort: (sort: string) => void;
  onNearEnd: () => void;
  onOpen: (record: ObjectRecord) => void;
  onToggleGroup: (key: string) => void;
  collapsed: ReadonlySet<string>;
  groupLabel: GroupLabel;
  loadingMore: boolean;
  testId: string;
  rowTestId?: string;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const focusWanted = useRef(false);
  const virtual = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const visible = virtual.getVirtualItems();
  const lastIndex = visible[visible.length - 1]?.index ?? 0;
  useEffect(() => {
    if (lastIndex >= items.length - 20) onNearEnd();
  }, [lastIndex, items.length, onNearEnd]);
  const current = Math.min(active, Math.max(items.length - 1, 0));
  // The row to focus may only be drawn after the scroll: focus it once it is there.
  useEffect(() => {
    if (!focusWanted.current) return;
    const el = scroller.current?.querySelector<HTMLElement>(`[data-index="${current}"]`);
    if (el) {
      focusWanted.current = false;
      el.focus();
    }
  });
  const columns = table.getVisibleLeafColumns();
  const template = columns.map((c) => `${c.getSize()}px`).join(' ');

  function moveTo(index: number) {
    const next = Math.max(0, Math.min(items.length - 1, index));
    focusWanted.current = true;
    setActive(next);
    virtual.scrollToIndex(next);
  }

  function handleKeyDown(e: KeyboardEvent<HTMLDivElement>, item: GridItem<Row<ObjectRecord>>) {
    // Keys pressed in a checkbox, link or input inside the row are theirs.
    if (e.target !== e.currentTarget || e.altKey || e.ctrlKey || e.metaKey) return;
    const index = Number(e.currentTarget.dataset.index);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      moveTo(index + (e.key === 'ArrowDown' ? 1 : -1));
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      if (item.kind === 'group') onToggleGroup(item.key);
      else if (e.key === 'Enter') onOpen(item.row.original);
      else item.row.toggleSelected();
    }
  }

  return (
    <div className="overflow-hidden rounded-lg border border-line bg-panel">
      <div className="overflow-x-auto">
        <div
          role="table"
          aria-rowcount={items.length + 1}
          style={{ minWidth: columns.reduce((n, c) => n + c.getSize(), 0) }}
        >
          <HeaderRow table={table} sort={sort} onSort={onSort} template={template} />
          <div
            ref={scroller}
            className="relative max-h-[calc(100vh-17rem)] overflow-y-auto"
            data-testid={testId}
          >
            <div style={{ height: virtual.getTotalSize() }}>
              {visible.map((v) => {
                const item = items[v.index];
                if (!item) return null;
                const common = {
                  role: 'row',
                  'data-index': v.index,
                  tabIndex: v.index === current ? 0 : -1,
                  onFocus: () => setActive(v.index),
                  onKeyDown: (e: KeyboardEvent<HTMLDivElement>) => handleKeyDown(e, item),
                  style: { top: v.start, height: ROW_HEIGHT, gridTemplateColumns: template },
                };
                if (item.kind === 'group') {
                  const open = !collapsed.has(item.key);
                  return (
                    <div
                      {...common}
                      key={`group-${item.key}`}
                      data-testid="group-header"
                      data-group={item.key}
                      className="absolute left-0 flex w-full items-center border-b border-line bg-muted/40 px-3 text-sm font-medium text-ink outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-accent"
                    >
                      <div role="cell" className="flex min-w-0 items-center gap-2">
                        <button
                          type="button"
                          tabIndex={-1}
                          aria-expanded={open}
                          aria-label={open ? 'Collapse group' : 'Expand group'}
                          className="rounded p-0.5 text-ink-soft hover:text-ink"
                          onClick={() => onToggleGroup(item.key)}
                        >
                          {open ? <ChevronDown size={14} /> : <ChevronRight size={14} />}
                        </button>
                        {groupLabel(item.key)}
                      </div>
                    </div>
                  );
                }
                const { row } = item;
                return (
                  <div
                    {...common}
                    key={row.id}
                    data-testid={rowTestId}
                    className="absolute left-0 grid w-full items-center border-b border-line text-sm outline-none hover:bg-muted/40 focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-accent"
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
