import { useQueries } from '@tanstack/react-query';
import { keys } from '../../api/keys';
import { listRecords, type ListParams } from '../../api/records';
import type { ObjectField } from '../../api/types';
import { EMPTY_GROUP, groupCountQuery } from './grouping';

/**
 * At most this many groups are counted by the server (one request each); a relation with more
 * distinct values among the loaded rows shows the rest with their loaded rows only.
 */
export const MAX_COUNTED_GROUPS = 25;

/**
 * The server's count of each group of a grouped list: one `count=true` list query per group
 * value, narrowed by that value. A group's count is undefined while it loads (or is not counted,
 * past MAX_COUNTED_GROUPS); 0 when the view's own filter rules the group out.
 */
export function useGroupCounts(
  resource: string,
  query: ListParams,
  field: ObjectField | undefined,
  groupKeys: readonly string[],
): Map<string, number | undefined> {
  // The empty group (last) is always counted: "no owner" is the group people look for.
  const counted =
    groupKeys.length > MAX_COUNTED_GROUPS
      ? [...groupKeys.slice(0, MAX_COUNTED_GROUPS - 1), EMPTY_GROUP]
      : groupKeys;
  const asks = field ? counted.map((k) => [k, groupCountQuery(query, field, k)] as const) : [];
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
