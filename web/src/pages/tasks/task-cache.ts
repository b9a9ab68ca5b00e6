import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { Page } from '../../api/client';
import { keys } from '../../api/keys';
import type { Task } from '../../api/tasks';

type Cached = Page<Task> | InfiniteData<Page<Task>> | undefined;

const patchPage = (page: Page<Task>, id: string, patch: Partial<Task>): Page<Task> => ({
  ...page,
  data: page.data.map((t) => (t.id === id ? { ...t, ...patch } : t)),
});

/** A cached task list (one page, or the pages of an infinite list) with one task changed. */
export function patchTaskIn(cached: Cached, id: string, patch: Partial<Task>): Cached {
  if (!cached) return cached;
  if ('pages' in cached)
    return { ...cached, pages: cached.pages.map((p) => patchPage(p, id, patch)) };
  return patchPage(cached, id, patch);
}

/**
 * Changes a task in every cached task list at once (Home and the Tasks page), for an optimistic
 * update; answers the lists as they were, to put back if the server refuses.
 */
export function patchTaskEverywhere(
  queryClient: QueryClient,
  id: string,
  patch: Partial<Task>,
): Array<[readonly unknown[], Cached]> {
  const before = queryClient.getQueriesData<Page<Task> | InfiniteData<Page<Task>>>({
    queryKey: keys.tasks.all,
  });
  queryClient.setQueriesData<Page<Task> | InfiniteData<Page<Task>>>(
    { queryKey: keys.tasks.all },
    (cached) => patchTaskIn(cached, id, patch),
  );
  return before;
}
