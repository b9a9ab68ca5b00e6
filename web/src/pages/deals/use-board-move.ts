import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { toast } from 'sonner';
import { ApiError } from '../../api/client';
import { keys } from '../../api/keys';
import { updateRecord } from '../../api/records';
import type { Deal, PipelineBoard } from '../../api/types';
import type { MissingFields } from './move-dialog';

/** A move the target stage refused for want of fields: the dialog asks for them, then retries. */
export interface PendingMove {
  deal: Deal;
  stageId: string;
  missing: MissingFields;
}

/** Moves a deal between columns of a board answer, keeping counts and totals roughly right until the refetch. */
export function moved(board: PipelineBoard, deal: Deal, stageId: string): PipelineBoard {
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
 * Moving a deal on the board: shown at once, undone if the server refuses; a stage's required
 * fields (SALES_STAGE_REQUIREMENTS) become a pending move for the dialog instead of an error.
 */
export function useBoardMove(boardKey: readonly unknown[], pipelineId: string) {
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<PendingMove | null>(null);
  const move = useCallback(
    async (deal: Deal, stageId: string, extra: Record<string, unknown> = {}) => {
      const before = queryClient.getQueryData<PipelineBoard>(boardKey);
      const stage = before?.stages.find((c) => c.stage.id === stageId)?.stage;
      if (before) queryClient.setQueryData(boardKey, moved(before, deal, stageId));
      try {
        await updateRecord('deals', deal, { stageId, ...extra });
        toast.success(`${deal.name} → ${stage?.name ?? 'moved'}`);
      } catch (e) {
        if (before) queryClient.setQueryData(boardKey, before);
        if (e instanceof ApiError && e.code === 'SALES_STAGE_REQUIREMENTS') {
          const fields = e.details.map((d) => d.path);
          const stageName = stage?.name ?? 'that stage';
          setPending({ deal, stageId, missing: { dealName: deal.name, stageName, fields } });
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
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.boards(pipelineId) }),
        queryClient.invalidateQueries({ queryKey: keys.records('deals').all }),
      ]);
    },
    [queryClient, boardKey, pipelineId],
  );
  return { move, pending, setPending };
}
