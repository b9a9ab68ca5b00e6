import { useQuery } from '@tanstack/react-query';
import { pipelinesQuery } from '../../api/queries';
import type { Pipeline } from '../../api/types';

/** The organization's pipelines, and the one to show when none is chosen (the default, else the first). */
export function usePipelines(chosen = ''): {
  pipelines: Pipeline[];
  current: Pipeline | undefined;
  isPending: boolean;
} {
  const list = useQuery(pipelinesQuery);
  const pipelines = list.data?.data ?? [];
  const current =
    pipelines.find((p) => p.id === chosen) ?? pipelines.find((p) => p.isDefault) ?? pipelines[0];
  return { pipelines, current, isPending: list.isPending };
}
