import { useDroppable } from '@dnd-kit/core';
import { memo } from 'react';
import type { PipelineBoard } from '../../api/types';
import { Button } from '../../components/ui';
import { cn } from '../../lib/cn';
import { formatMoney } from '../../lib/money';
import { DealCard } from './deal-card';

type Column = PipelineBoard['stages'][number];

/**
 * A stage: as tall as the board, its header (name, count, money) fixed at the top while its own
 * list scrolls underneath, and "load more" through the stage's cursor at the end of the list.
 */
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
  const { stage } = column;
  const { setNodeRef, isOver } = useDroppable({ id: stage.id, data: { stage } });
  const tone =
    stage.kind === 'won' ? 'border-t-emerald-500' : stage.kind === 'lost' ? 'border-t-danger' : '';
  return (
    <section
      ref={setNodeRef}
      aria-label={`${stage.name}: ${column.count} deals`}
      data-testid="board-column"
      data-stage={stage.name}
      className={cn(
        'flex h-full w-72 shrink-0 flex-col overflow-hidden rounded-lg border border-line bg-muted/40',
        tone && `border-t-2 ${tone}`,
        isOver && 'ring-2 ring-accent',
      )}
    >
      <header
        className="sticky top-0 z-[1] border-b border-line bg-panel/95 px-3 py-2 backdrop-blur"
        data-testid="column-header"
      >
        <div className="flex items-center justify-between gap-2">
          <h2 className="truncate text-sm font-medium text-ink">{stage.name}</h2>
          <span
            className="rounded-full bg-muted px-2 text-xs font-medium text-ink-soft"
            data-testid="column-count"
          >
            {column.count}
          </span>
        </div>
        <p className="mt-0.5 text-xs text-ink-soft" data-testid="column-total">
          {formatMoney(column.total, currency, { compact: true })}
          {stage.kind === 'open'
            ? ` · weighted ${formatMoney(column.weighted, currency, { compact: true })} · ${stage.probability}%`
            : null}
        </p>
      </header>
      <ul
        className="flex min-h-0 flex-1 flex-col gap-2 overflow-y-auto p-2"
        data-testid="column-scroll"
        aria-label={`${stage.name} deals`}
      >
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
        {column.nextCursor ? (
          <li>
            <Button
              variant="secondary"
              size="sm"
              className="w-full"
              onClick={() => column.nextCursor && onMore(stage.id, column.nextCursor)}
            >
              Load more
            </Button>
          </li>
        ) : null}
      </ul>
    </section>
  );
});
