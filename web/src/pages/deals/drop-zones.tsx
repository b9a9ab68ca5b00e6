import { useDroppable } from '@dnd-kit/core';
import { CircleCheck, CircleX } from 'lucide-react';
import type { PipelineStage } from '../../api/types';
import { cn } from '../../lib/cn';

/** The id prefix of a drop zone: the collision detection prefers these over the column beneath. */
export const ZONE_PREFIX = 'zone:';

function Zone({ stage }: { stage: PipelineStage }) {
  const { setNodeRef, isOver } = useDroppable({ id: `${ZONE_PREFIX}${stage.id}`, data: { stage } });
  const won = stage.kind === 'won';
  const Icon = won ? CircleCheck : CircleX;
  return (
    <div
      ref={setNodeRef}
      data-testid={`drop-${stage.kind}`}
      data-stage={stage.name}
      className={cn(
        'flex h-16 max-w-sm min-w-40 flex-1 items-center justify-center gap-2 rounded-lg border-2 border-dashed text-sm font-medium transition-colors',
        won
          ? 'border-emerald-500/60 bg-emerald-50 text-emerald-700 dark:bg-emerald-950 dark:text-emerald-300'
          : 'border-danger/60 bg-red-50 text-danger dark:bg-red-950',
        isOver &&
          (won
            ? 'border-solid bg-emerald-100 dark:bg-emerald-900'
            : 'border-solid bg-red-100 dark:bg-red-900'),
      )}
    >
      <Icon aria-hidden className="size-5" />
      {stage.name}
    </div>
  );
}

/**
 * While a card is dragged, the pipeline's won and lost stages as a bar fixed to the bottom of the
 * window: reachable however many stages push their columns off to the right. The bar stays
 * mounted (invisible) between drags, so its zones are measured before the pointer gets there.
 */
export function DropZones({
  stages,
  visible,
}: {
  stages: readonly PipelineStage[];
  visible: boolean;
}) {
  const closed = stages.filter((s) => s.kind !== 'open');
  if (closed.length === 0) return null;
  return (
    <div
      className={cn(
        'fixed inset-x-0 bottom-0 z-40 flex justify-center gap-3 border-t border-line bg-panel/95 px-4 py-3 shadow-[0_-4px_12px_rgb(0_0_0/0.08)] backdrop-blur',
        !visible && 'invisible',
      )}
      aria-hidden={!visible}
      data-testid={visible ? 'drop-zones' : undefined}
    >
      {closed.map((s) => (
        <Zone key={s.id} stage={s} />
      ))}
    </div>
  );
}
