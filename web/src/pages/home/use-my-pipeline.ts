import { useQueries, useQuery } from '@tanstack/react-query';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { can, useMe } from '../../api/session';
import type { PipelineBoard } from '../../api/types';

/** One open stage of my pipeline: how many of my deals sit in it, and their value. */
export interface MyStage {
  id: string;
  name: string;
  pipeline: string;
  count: number;
  /** Base currency, minor units, over the deals that have an exchange rate. */
  total: number;
  /** Deals left out of `total` for want of an exchange rate. */
  unconverted: number;
}

/** My open deals per open stage of every pipeline, won and lost stages left out. */
export interface MyPipeline {
  stages: MyStage[];
  currency: string | null;
  /** How many pipelines there are: with more than one, stages are named with theirs. */
  pipelines: number;
}

/**
 * My open deals by stage, from each pipeline's board narrowed to deals I own (counts and totals
 * as the kanban computes them, with one card per stage fetched, as none is shown).
 */
export function useMyPipeline(): { data: MyPipeline | null; isPending: boolean; allowed: boolean } {
  const me = useMe().data;
  const allowed = can(me, 'deals:read') && can(me, 'pipelines:read');
  const ownerId = me?.user.id ?? '';
  const pipelines = useQuery({
    queryKey: keys.pipelines,
    queryFn: () => unwrap(http.GET('/api/v1/pipelines', { params: { query: { limit: 200 } } })),
    enabled: allowed,
  });
  const list = pipelines.data?.data ?? [];
  const boards = useQueries({
    queries: list.map((p) => ({
      queryKey: keys.myPipeline(p.id, ownerId),
      queryFn: (): Promise<PipelineBoard> =>
        unwrap(
          http.GET('/api/v1/pipelines/{id}/board', {
            params: { path: { id: p.id }, query: { ownerId, limit: 1 } },
          }),
        ),
      enabled: allowed && ownerId !== '',
    })),
  });
  if (!allowed) return { data: null, isPending: false, allowed };
  if (pipelines.isPending || boards.some((b) => b.isPending))
    return { data: null, isPending: true, allowed };
  const stages = list.flatMap((p, i) =>
    (boards[i]?.data?.stages ?? [])
      .filter((c) => c.stage.kind === 'open')
      .map((c) => ({
        id: c.stage.id,
        name: c.stage.name,
        pipeline: p.name,
        count: c.count,
        total: c.total,
        unconverted: c.unconverted.reduce((n, u) => n + u.count, 0),
      })),
  );
  const currency = boards.find((b) => b.data)?.data?.currency ?? null;
  return { data: { stages, currency, pipelines: list.length }, isPending: false, allowed };
}
