import { useDraggable } from '@dnd-kit/core';
import { GripVertical } from 'lucide-react';
import { memo, type KeyboardEventHandler, type PointerEventHandler, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { Deal } from '../../api/types';
import { Badge } from '../../components/ui';
import { cn } from '../../lib/cn';
import { formatMoney } from '../../lib/money';

/** What a card shows; `title` is the link on the board and plain text in the drag overlay. */
function CardBody({
  deal,
  currency,
  owner,
  handle,
  title,
}: {
  deal: Deal;
  currency: string;
  owner: string | undefined;
  handle: ReactNode;
  title: ReactNode;
}) {
  return (
    <>
      <div className="flex items-start gap-1">
        {handle}
        <div className="min-w-0 flex-1 pt-0.5">{title}</div>
      </div>
      <div className="mt-1 flex items-center justify-between gap-2 pl-7 text-xs text-ink-soft">
        <span>{formatMoney(deal.amount, deal.currency || currency)}</span>
        <span>{deal.expectedCloseDate ?? 'no close date'}</span>
      </div>
      <div className="mt-1 flex items-center justify-between gap-2 pl-7 text-xs text-ink-soft">
        <span className="truncate">{owner ?? 'Unassigned'}</span>
        {deal.rotting ? <Badge tone="danger">rotting</Badge> : null}
      </div>
    </>
  );
}

const CARD = 'rounded-md border bg-panel p-2 text-sm shadow-sm';
const GRIP = 'grid size-6 shrink-0 place-items-center rounded text-ink-soft';

/**
 * One card. The whole card follows the pointer, but only its grip is the keyboard's (and the
 * accessibility tree's) drag button: the deal's link sits beside it, never inside it, so no
 * interactive element nests in another. Memoized on the deal: a drag re-renders one card.
 */
export const DealCard = memo(function DealCard({
  deal,
  currency,
  owner,
}: {
  deal: Deal;
  currency: string;
  owner: string | undefined;
}) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, isDragging } = useDraggable({
    id: deal.id,
    data: { deal },
  });
  // dnd-kit types its listeners as plain Functions; these are the two its sensors attach.
  const { onPointerDown, onKeyDown } = (listeners ?? {}) as {
    onPointerDown?: PointerEventHandler;
    onKeyDown?: KeyboardEventHandler;
  };
  const money = formatMoney(deal.amount, deal.currency || currency);
  return (
    <li
      ref={setNodeRef}
      // Pointer only: the keyboard starts a drag from the grip, so Enter on the link still opens it.
      onPointerDown={onPointerDown}
      data-testid="deal-card"
      data-deal-id={deal.id}
      className={cn(
        CARD,
        'cursor-grab touch-none',
        deal.rotting ? 'border-amber-400' : 'border-line',
        // The overlay is what moves; the card stays as a faint placeholder where it came from.
        isDragging && 'opacity-40',
      )}
    >
      <CardBody
        deal={deal}
        currency={currency}
        owner={owner}
        handle={
          <button
            type="button"
            ref={setActivatorNodeRef}
            {...attributes}
            onKeyDown={onKeyDown}
            data-testid="deal-drag-handle"
            aria-label={`Move ${deal.name}, ${money}${deal.rotting ? ', rotting' : ''}`}
            className={cn(
              GRIP,
              'cursor-grab outline-none hover:bg-muted focus-visible:ring-2 focus-visible:ring-accent',
            )}
          >
            <GripVertical aria-hidden className="size-4" />
          </button>
        }
        title={
          <Link
            to={`/deals/${deal.id}`}
            draggable={false}
            className="block truncate font-medium text-ink hover:text-accent"
          >
            {deal.name}
          </Link>
        }
      />
    </li>
  );
});

/** The card under the pointer while dragging: drawn above every column, never clipped by one. */
export function DealCardOverlay({
  deal,
  currency,
  owner,
}: {
  deal: Deal;
  currency: string;
  owner: string | undefined;
}) {
  return (
    <div
      data-testid="deal-drag-overlay"
      className={cn(CARD, 'w-68 cursor-grabbing border-accent shadow-xl ring-2 ring-accent/30')}
    >
      <CardBody
        deal={deal}
        currency={currency}
        owner={owner}
        handle={
          <span className={GRIP}>
            <GripVertical aria-hidden className="size-4" />
          </span>
        }
        title={<span className="block truncate font-medium text-ink">{deal.name}</span>}
      />
    </div>
  );
}
