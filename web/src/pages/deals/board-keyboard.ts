import type { KeyboardCoordinateGetter } from '@dnd-kit/core';
import { ZONE_PREFIX } from './drop-zones';

/** Where a lifted card sits inside the column it is moved to: clear of its left edge. */
const INSET_X = 8;

/**
 * Arrow keys move a lifted card a whole column at a time (left/right, in the order the columns
 * are laid out), instead of dnd-kit's default 25 px steps that take dozens of presses. The won
 * and lost columns are reached the same way, so the bottom drop bar is for the pointer only.
 */
export const boardKeyboardCoordinates: KeyboardCoordinateGetter = (
  event,
  { currentCoordinates, context },
) => {
  const step = event.code === 'ArrowRight' ? 1 : event.code === 'ArrowLeft' ? -1 : 0;
  if (step === 0) return undefined;
  event.preventDefault();
  const columns = context.droppableContainers
    .getEnabled()
    .filter((c) => !String(c.id).startsWith(ZONE_PREFIX))
    .flatMap((c) => {
      const node = c.node.current;
      return node ? [{ id: c.id, rect: node.getBoundingClientRect() }] : [];
    })
    .sort((a, b) => a.rect.left - b.rect.left);
  // Where the card is now, from its own coordinates: `over` lags a keypress behind.
  const centre = currentCoordinates.x + (context.collisionRect?.width ?? 0) / 2;
  const here = columns.findIndex((c) => c.rect.left <= centre && centre < c.rect.right);
  const target = columns[Math.min(columns.length - 1, Math.max(0, here + step))];
  if (!target) return undefined;
  // Same height as before: dnd-kit then scrolls an overflowing board by exactly this step instead
  // of moving the card, so the columns slide under the card and it still lands on the target.
  return { x: target.rect.left + INSET_X, y: currentCoordinates.y };
};
