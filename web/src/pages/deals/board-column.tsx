import { useDraggable, useDroppable } from '@dnd-kit/core';
import { memo } from 'react';
import { Link } from 'react-router';
import type { Deal, PipelineBoard } from '../../api/types';
import { Badge, Button } from '../../components/ui';
import { cn } from '../../lib/cn';
import { formatMoney } from '../../lib/money';

type Column = PipelineBoard['stages'][number];

/** One card. Memoized on the deal object: a drag re-renders the dragged card, not the 2,000 others. */
export const DealCard = memo(function DealCard({
  deal,
  currency,
  owner,
}: {
  deal: Deal;
  currency: string;
  owner: string | undefined;
}) {
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({
    id: deal.id,
    data: { deal },
  });
  const style = transform
    ? { transform: `translate3d(${transform.x}px, ${transform.y}px, 0)` }
    : undefined;
  return (
    <li
      ref={setNodeRef}
      style={style}
      {...listeners}
      {...attributes}
      data-testid="deal-card"
      data-deal-id={deal.id}
      aria-label={`${deal.name}, ${formatMoney(deal.amount, deal.currency || currency)}${deal.rotting ? ', rotting' : ''}. Space to pick up, arrows to move, space to drop.`}
      className={cn(
        'cursor-grab rounded-md border bg-panel p-2.5 text-sm shadow-sm outline-none focus-visible:ring-2 focus-visible:ring-accent',
        deal.rotting ? 'border-amber-400' : 'border-line',
        isDragging && 'z-10 opacity-80 shadow-lg',
      )}
    >
      <Link
        to={`/deals/${deal.id}`}
        className="font-medium text-ink hover:text-accent"
        onPointerDown={(e) => e.stopPropagation()}
      >
        {deal.name}
      </Link>
      <div className="mt-1 flex items-center justify-between gap-2 text-xs text-ink-soft">
        <span>{formatMoney(deal.amount, deal.currency || currency)}</span>
        <span>{deal.expectedCloseDate ?? 'no close date'}</span>
      </div>
      <div className="mt-1 flex items-center justify-between gap-2 text-xs text-ink-soft">
        <span className="truncate">{owner ?? 'Unassigned'}</span>
        {deal.rotting ? <Badge tone="danger">rotting</Badge> : null}
      </div>
    </li>
  );
});

/** A stage: its totals, its cards, and "load more" through the stage's cursor. */
export const BoardColumn = memo(function BoardColumn({
  column,
  currency,
  owners,
  onMore,
}: {
  column: Column;
  currency: string;
  owners: Map<string, string>;
  onMore: (stageId: string, cursor: string) => void;
}) {
  const { setNodeRef, isOver } = useDroppable({
    id: column.stage.id,
    data: { stage: column.stage },
  });
  return (
    <section
      ref={setNodeRef}
      aria-label={`${column.stage.name}: ${column.count} deals`}
      data-testid="board-column"
      data-stage={column.stage.name}
      className={cn(
        'flex w-72 shrink-0 flex-col rounded-lg border border-line bg-muted/40',
        isOver && 'ring-2 ring-accent',
      )}
    >
      <header className="border-b border-line p-3">
        <div className="flex items-center justify-between">
          <h2 className="font-medium text-ink">{column.stage.name}</h2>
          <span className="text-xs text-ink-soft" data-testid="column-count">
            {column.count}
          </span>
        </div>
        <p className="mt-1 text-xs text-ink-soft">
          {formatMoney(column.total, currency, { compact: true })} · weighted{' '}
          {formatMoney(column.weighted, currency, { compact: true })} · {column.stage.probability}%
        </p>
      </header>
      <ul className="flex min-h-24 flex-1 flex-col gap-2 overflow-y-auto p-2">
        {column.deals.length === 0 ? (
          <li className="p-3 text-center text-xs text-ink-soft">Drop a deal here</li>
        ) : null}
        {column.deals.map((d) => (
          <DealCard
            key={d.id}
            deal={d}
            currency={currency}
            owner={d.ownerId ? owners.get(d.ownerId) : undefined}
          />
        ))}
      </ul>
      {column.nextCursor ? (
        <div className="p-2">
          <Button
            variant="secondary"
            size="sm"
            className="w-full"
            onClick={() => column.nextCursor && onMore(column.stage.id, column.nextCursor)}
          >
            Load more
          </Button>
        </div>
      ) : null}
    </section>
  );
});
