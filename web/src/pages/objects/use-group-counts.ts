import { useQueries } from '@tanstack/react-query';
import { keys } from '../../api/keys';
import { listRecords, type ListParams } from '../../api/records';
import type { ObjectField } from '../../api/types';
import { groupCountQuery } from './grouping';

/**
 * The server's count of each group of a grouped list: one `count=true` list query per group
 * value, narrowed by that value. A group's count is undefined while it loads; 0 when the view's
 * own filter rules the group out.
 */
export function useGroupCounts(
  resource: string,
  query: ListParams,
  field: ObjectField | undefined,
  groupKeys: readonly string[],
): Map<string, number | undefined> {
  const asks = field ? groupKeys.map((k) => [k, groupCountQuery(query, field, k)] as const) : [];
  const results = useQueries({
    queries: asks.map(([, q]) => ({
      queryKey: keys.records(resource).list(q ?? { none: 'true' }),
      queryFn: () => (q ? listRecords(resource, q) : null),
      enabled: q !== null,
      select: (page: Awaited<ReturnType<typeof listRecords>> | null) => page?.meta.total ?? 0,
    })),
  });
  return new Map(asks.map(([k, q], i) => [k, q === null ? 0 : results[i]?.data]));
}
