import { useInfiniteQuery } from '@tanstack/react-query';
import { keys } from '../../api/keys';
import type { ListParams } from '../../api/records';
import { listTasks, type Task } from '../../api/tasks';

const PAGE = '50';

function useSegment(params: ListParams | undefined, enabled: boolean) {
  const query = { ...params, limit: PAGE };
  return useInfiniteQuery({
    queryKey: keys.tasks.list({ ...query, view: 'pages' }),
    queryFn: ({ pageParam }) => listTasks(pageParam ? { ...query, cursor: pageParam } : query),
    initialPageParam: '',
    getNextPageParam: (last) => last.meta.nextCursor ?? undefined,
    enabled: enabled && params !== undefined,
    placeholderData: (previous) => previous,
  });
}

/**
 * The tasks of up to two list requests shown one after the other (see `taskListParams`): the
 * second is asked for only once the first has no more pages, so "Load more" reads in order.
 */
export function useTaskList(segments: readonly ListParams[]): {
  tasks: Task[];
  isPending: boolean;
  hasMore: boolean;
  isLoadingMore: boolean;
  loadMore: () => void;
} {
  const first = useSegment(segments[0], true);
  const firstDone = first.isSuccess && !first.hasNextPage;
  const second = useSegment(segments[1], firstDone);
  const pages = [...(first.data?.pages ?? []), ...(firstDone ? (second.data?.pages ?? []) : [])];
  const current = first.hasNextPage || !segments[1] ? first : second;
  return {
    tasks: pages.flatMap((p) => p.data),
    isPending: first.isPending || (segments[1] !== undefined && firstDone && second.isPending),
    hasMore: Boolean(current.hasNextPage),
    isLoadingMore: current.isFetchingNextPage,
    loadMore: () => void current.fetchNextPage(),
  };
}
