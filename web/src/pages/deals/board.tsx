import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type DragEndEvent,
} from '@dnd-kit/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { toast } from 'sonner';
import { api, ApiError, type Page } from '../../api/client';
import type { Deal, Pipeline, PipelineBoard } from '../../api/types';
import { EmptyState, Field, Input, PageHeader, Select, Skeleton } from '../../components/ui';
import { useUsers } from '../../lib/use-users';
import { NewRecordButton } from '../objects/new-record-button';
import { BoardColumn } from './board-column';
import { MoveDialog, type MissingFields } from './move-dialog';
import { MissingRates } from './missing-rates';

interface PendingMove {
  deal: Deal;
  stageId: string;
  missing: MissingFields;
}

/** Moves a deal between columns of a board answer, keeping counts and totals roughly right until the refetch. */
function moved(board: PipelineBoard, deal: Deal, stageId: string): PipelineBoard {
  return {
    ...board,
    stages: board.stages.map((c) => {
      if (c.stage.id === deal.stageId)
        return {
          ...c,
          count: c.count - 1,
          total: c.total - deal.amount,
          deals: c.deals.filter((d) => d.id !== deal.id),
        };
      if (c.stage.id === stageId)
        return {
          ...c,
          count: c.count + 1,
          total: c.total + deal.amount,
          deals: [{ ...deal, stageId }, ...c.deals],
        };
      return c;
    }),
  };
}

/**
 * The kanban of a pipeline. Drag a card (mouse, touch, or keyboard: Space to pick up, arrows,
 * Space to drop) to move the deal; the move shows at once and is undone if the server refuses.
 * A stage that needs more (amount, close date, lost reason) asks for it in a dialog.
 */
export default function DealsBoard() {
  const queryClient = useQueryClient();
  const pipelines = useQuery({
    queryKey: ['pipelines'],
    queryFn: () => api<Page<Pipeline>>('GET', '/pipelines?limit=200'),
  });
  const [pipelineId, setPipelineId] = useState<string>('');
  const [ownerId, setOwnerId] = useState('');
  const [closeFrom, setCloseFrom] = useState('');
  const [closeTo, setCloseTo] = useState('');
  const [pending, setPending] = useState<PendingMove | null>(null);
  const { users } = useUsers();
  const owners = useMemo(() => new Map(users.map((u) => [u.id, u.name])), [users]);
  const current =
    pipelineId ||
    pipelines.data?.data.find((p) => p.isDefault)?.id ||
    pipelines.data?.data[0]?.id ||
    '';
  const params = new URLSearchParams({
    limit: '50',
    ...(ownerId ? { ownerId } : {}),
    ...(closeFrom ? { closeFrom } : {}),
    ...(closeTo ? { closeTo } : {}),
  });
  const key = ['board', current, params.toString()];
  const board = useQuery({
    queryKey: key,
    enabled: !!current,
    queryFn: () => api<PipelineBoard>('GET', `/pipelines/${current}/board?${params.toString()}`),
  });
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor),
  );

  const move = useCallback(
    async (deal: Deal, stageId: string, extra: Record<string, unknown> = {}) => {
      const before = queryClient.getQueryData<PipelineBoard>(key);
      if (before) queryClient.setQueryData(key, moved(before, deal, stageId));
      try {
        await api(
          'PATCH',
          `/deals/${deal.id}`,
          { stageId, ...extra },
          { headers: { 'If-Match': String(deal.version) } },
        );
        const stage = before?.stages.find((c) => c.stage.id === stageId)?.stage;
        toast.success(`${deal.name} → ${stage?.name ?? 'moved'}`);
      } catch (e) {
        if (before) queryClient.setQueryData(key, before);
        const stage = before?.stages.find((c) => c.stage.id === stageId)?.stage;
        if (e instanceof ApiError && e.code === 'SALES_STAGE_REQUIREMENTS') {
          setPending({
            deal,
            stageId,
            missing: {
              dealName: deal.name,
              stageName: stage?.name ?? 'that stage',
              fields: e.details.map((d) => d.path),
            },
          });
          return;
        }
        toast.error(
          e instanceof ApiError && e.status === 412
            ? 'Someone changed this deal meanwhile; the board was reloaded'
            : e instanceof Error
              ? e.message
              : 'The move failed',
        );
      }
      await queryClient.invalidateQueries({ queryKey: ['board', current] });
    },
    [queryClient, current, params.toString()],
  );

  const onDragEnd = useCallback(
    (e: DragEndEvent) => {
      const deal = (e.active.data.current as { deal?: Deal } | undefined)?.deal;
      const stageId = e.over ? String(e.over.id) : null;
      if (deal && stageId && stageId !== deal.stageId) void move(deal, stageId);
    },
    [move],
  );

  const loadMore = useCallback(
    async (stageId: string, cursor: string) => {
      const page = await api<PipelineBoard>(
        'GET',
        `/pipelines/${current}/board?${params.toString()}&stageId=${stageId}&cursor=${encodeURIComponent(cursor)}`,
      );
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
    [queryClient, current, params.toString()],
  );

  if (pipelines.isPending) return <Skeleton rows={8} />;
  if (!current)
    return (
      <EmptyState
        title="No pipeline yet"
        body="Create a pipeline under the API (POST /api/v1/pipelines) to start tracking deals."
      />
    );
  const total = board.data?.stages.reduce((n, c) => n + c.count, 0) ?? 0;
  return (
    <div className="space-y-4">
      <PageHeader
        title="Deals"
        description={board.data ? `${total} deals` : undefined}
        actions={<NewRecordButton objectKey="deal" />}
      />
      <div className="flex flex-wrap items-end gap-3">
        <Field label="Pipeline" id="board-pipeline">
          <Select
            id="board-pipeline"
            value={current}
            onChange={(e) => setPipelineId(e.target.value)}
          >
            {pipelines.data?.data.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Owner" id="board-owner">
          <Select id="board-owner" value={ownerId} onChange={(e) => setOwnerId(e.target.value)}>
            <option value="">Everyone</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Closing from" id="board-from">
          <Input
            id="board-from"
            type="date"
            value={closeFrom}
            onChange={(e) => setCloseFrom(e.target.value)}
          />
        </Field>
        <Field label="to" id="board-to">
          <Input
            id="board-to"
            type="date"
            value={closeTo}
            onChange={(e) => setCloseTo(e.target.value)}
          />
        </Field>
      </div>
      {board.isPending ? (
        <Skeleton rows={8} />
      ) : board.data && total === 0 && !ownerId && !closeFrom && !closeTo ? (
        <EmptyState
          title="No deals in this pipeline"
          body="Convert a qualified lead into a deal, or create one through the API (POST /api/v1/deals)."
        />
      ) : board.data ? (
        <>
          <MissingRates currencies={board.data.missingRates} />
          <DndContext
            sensors={sensors}
            onDragEnd={onDragEnd}
            accessibility={{
              announcements: {
                onDragStart: ({ active }) =>
                  `Picked up ${String((active.data.current as { deal?: Deal } | undefined)?.deal?.name ?? 'deal')}`,
                onDragOver: ({ over }) =>
                  over
                    ? `Over ${String((over.data.current as { stage?: { name: string } } | undefined)?.stage?.name ?? 'a stage')}`
                    : 'Not over a stage',
                onDragEnd: ({ over }) =>
                  over
                    ? `Dropped in ${String((over.data.current as { stage?: { name: string } } | undefined)?.stage?.name ?? 'a stage')}`
                    : 'Dropped back',
                onDragCancel: () => 'Move cancelled',
              },
            }}
          >
            <div className="flex gap-3 overflow-x-auto pb-4" data-testid="board">
              {board.data.stages.map((c) => (
                <BoardColumn
                  key={c.stage.id}
                  column={c}
                  currency={board.data.currency}
                  owners={owners}
                  onMore={(s, cur) => void loadMore(s, cur)}
                />
              ))}
            </div>
          </DndContext>
        </>
      ) : null}
      <MoveDialog
        missing={pending?.missing ?? null}
        onCancel={() => setPending(null)}
        onSubmit={(values) => {
          const p = pending;
          setPending(null);
          if (p) void move(p.deal, p.stageId, values);
        }}
      />
    </div>
  );
}
