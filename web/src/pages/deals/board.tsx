import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  MeasuringStrategy,
  PointerSensor,
  pointerWithin,
  rectIntersection,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragStartEvent,
} from '@dnd-kit/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import type { Deal, PipelineBoard, PipelineStage } from '../../api/types';
import { EmptyState, Skeleton } from '../../components/ui';
import { useUsers } from '../../lib/use-users';
import { BoardColumn } from './board-column';
import { boardKeyboardCoordinates } from './board-keyboard';
import { DealCardOverlay } from './deal-card';
import { DropZones, ZONE_PREFIX } from './drop-zones';
import { MissingRates } from './missing-rates';
import { MoveDialog } from './move-dialog';
import { useBoardMove } from './use-board-move';
import type { DealFilters } from './use-deal-filters';

const PAGE_SIZE = 50;

const dealOf = (data: unknown): Deal | undefined => (data as { deal?: Deal } | undefined)?.deal;
const stageOf = (data: unknown): PipelineStage | undefined =>
  (data as { stage?: PipelineStage } | undefined)?.stage;

/**
 * The pointer's target, where a won/lost zone wins over the column it floats above; without a
 * pointer (keyboard), the column the card overlaps most — the zones are the pointer's.
 */
const collisions: CollisionDetection = (args) => {
  const hits = pointerWithin(args);
  const zone = hits.find((c) => String(c.id).startsWith(ZONE_PREFIX));
  if (zone) return [zone];
  if (hits.length) return hits;
  return rectIntersection(args).filter((c) => !String(c.id).startsWith(ZONE_PREFIX));
};

const announcements: Announcements = {
  onDragStart: ({ active }) => `Picked up ${dealOf(active.data.current)?.name ?? 'deal'}`,
  onDragOver: ({ over }) =>
    over ? `Over ${stageOf(over.data.current)?.name ?? 'a stage'}` : 'Not over a stage',
  onDragEnd: ({ over }) =>
    over ? `Dropped in ${stageOf(over.data.current)?.name ?? 'a stage'}` : 'Dropped back',
  onDragCancel: () => 'Move cancelled',
};

/** The board's query: the URL filters the server understands (one owner; a team shows everyone). */
function boardQuery(filters: DealFilters): Record<string, string> {
  const owner = filters.owners && !filters.owners.includes(',') ? filters.owners : '';
  return {
    limit: String(PAGE_SIZE),
    ...(owner ? { ownerId: owner } : {}),
    ...(filters.q ? { q: filters.q } : {}),
    ...(filters.closeFrom ? { closeFrom: filters.closeFrom } : {}),
    ...(filters.closeTo ? { closeTo: filters.closeTo } : {}),
  };
}

const fetchBoard = (id: string, query: Record<string, string>) =>
  unwrap(
    http.GET('/api/v1/pipelines/{id}/board', {
      params: { path: { id }, query: { ...query, limit: Number(query.limit ?? PAGE_SIZE) } },
    }),
  );

/**
 * The kanban of a pipeline. Drag a card with the pointer, or with the keyboard from its grip
 * (Space to pick up, ←/→ a column at a time, Space to drop). Columns fill the window and scroll
 * on their own; while dragging, the won and lost stages wait in a bar at the bottom. A stage that
 * needs more (amount, close date, lost reason) asks for it in a dialog.
 */
export function DealsBoard({ pipelineId, filters }: { pipelineId: string; filters: DealFilters }) {
  const queryClient = useQueryClient();
  const { users } = useUsers();
  const owners = useMemo(() => new Map(users.map((u) => [u.id, u.name])), [users]);
  const query = boardQuery(filters);
  const queryText = JSON.stringify(query);
  // One key object per distinct query, so the move callback is not rebuilt every render.
  const key = useMemo(
    () => keys.board(pipelineId, JSON.parse(queryText) as Record<string, string>),
    [pipelineId, queryText],
  );
  const board = useQuery({ queryKey: key, queryFn: () => fetchBoard(pipelineId, key[2]) });
  const { move, pending, setPending } = useBoardMove(key, pipelineId);
  const [dragged, setDragged] = useState<Deal | null>(null);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    // Instant scrolling: each arrow press measures the columns, which must not be mid-animation.
    useSensor(KeyboardSensor, {
      coordinateGetter: boardKeyboardCoordinates,
      scrollBehavior: 'auto',
    }),
  );

  const handleDragStart = useCallback(
    (e: DragStartEvent) => setDragged(dealOf(e.active.data.current) ?? null),
    [],
  );
  const handleDragEnd = useCallback(
    (e: DragEndEvent) => {
      setDragged(null);
      const deal = dealOf(e.active.data.current);
      const stage = e.over ? stageOf(e.over.data.current) : undefined;
      if (deal && stage && stage.id !== deal.stageId) void move(deal, stage.id);
    },
    [move],
  );
  const loadMore = useCallback(
    async (stageId: string, cursor: string) => {
      const page = await fetchBoard(pipelineId, { ...key[2], stageId, cursor });
      const more = page.stages[0];
      queryClient.setQueryData<PipelineBoard>(key, (b) =>
        b && more
          ? {
              ...b,
              stages: b.stages.map((c) =>
                c.stage.id === stageId
                  ? { ...c, deals: [...c.deals, ...more.deals], nextCursor: more.nextCursor }
                  : c,
              ),
            }
          : b,
      );
    },
    [queryClient, pipelineId, key],
  );

  if (board.isPending) return <Skeleton rows={8} />;
  if (!board.data) return null;
  const data = board.data;
  const filtered = Object.keys(query).length > 1;
  if (data.stages.every((c) => c.count === 0) && !filtered)
    return (
      <EmptyState
        title="No deals in this pipeline"
        body="Convert a qualified lead into a deal, or create one with New deal."
      />
    );
  return (
    <>
      <MissingRates currencies={data.missingRates} />
      <DndContext
        sensors={sensors}
        collisionDetection={collisions}
        // A keyboard move may scroll the board instead of the card; columns measured once at the
        // start would then name the column the card left, and a drop would land there.
        measuring={{ droppable: { strategy: MeasuringStrategy.Always } }}
        onDragStart={handleDragStart}
        onDragEnd={handleDragEnd}
        onDragCancel={() => setDragged(null)}
        accessibility={{ announcements }}
      >
        <div className="flex min-h-0 flex-1 gap-3 overflow-x-auto pb-2" data-testid="board">
          {data.stages.map((c) => (
            <BoardColumn
              key={c.stage.id}
              column={c}
              currency={data.currency}
              owners={owners}
              onMore={(s, cur) => void loadMore(s, cur)}
            />
          ))}
        </div>
        <DropZones stages={data.stages.map((c) => c.stage)} visible={dragged !== null} />
        {createPortal(
          <DragOverlay dropAnimation={null}>
            {dragged ? (
              <DealCardOverlay
                deal={dragged}
                currency={data.currency}
                owner={dragged.ownerId ? owners.get(dragged.ownerId) : undefined}
              />
            ) : null}
          </DragOverlay>,
          document.body,
        )}
      </DndContext>
      <MoveDialog
        missing={pending?.missing ?? null}
        onCancel={() => setPending(null)}
        onSubmit={(values) => {
          const p = pending;
          setPending(null);
          if (p) void move(p.deal, p.stageId, values);
        }}
      />
    </>
  );
}
