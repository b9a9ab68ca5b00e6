import { useQueries } from '@tanstack/react-query';
import { keys } from '../../api/keys';
import { listRecords, type ObjectRecord } from '../../api/records';
import { can, recordPermission, useMe } from '../../api/session';
import type { ObjectDescription } from '../../api/types';
import { useObjects } from '../../api/use-objects';

/** A record of mine, recently changed, with the object it belongs to. */
export interface RecentRecord {
  record: ObjectRecord;
  object: ObjectDescription;
}

/** At most this many objects are asked, one request each, so Home stays a handful of calls. */
const MAX_OBJECTS = 6;
const SHOWN = 8;

/** Objects whose records have an owner to filter by and an update time to sort by. */
function ownedObjects(objects: readonly ObjectDescription[]): ObjectDescription[] {
  const has = (o: ObjectDescription, key: string, use: 'filterable' | 'sortable') =>
    o.fields.some((f) => f.key === key && f[use]);
  // Activities are on Home already, as tasks.
  return objects.filter(
    (o) =>
      o.key !== 'activity' && has(o, 'ownerId', 'filterable') && has(o, 'updatedAt', 'sortable'),
  );
}

/**
 * The records I own that changed last, across objects. The API keeps no "recently viewed" list,
 * so this is the next best: what I own, newest change first.
 */
export function useRecentRecords(): { records: RecentRecord[]; isPending: boolean } {
  const me = useMe().data;
  const objects = ownedObjects(useObjects().data ?? [])
    .filter((o) => can(me, recordPermission(o, 'read')))
    .slice(0, MAX_OBJECTS);
  const params = {
    'filter[ownerId]': me?.user.id ?? '',
    sort: '-updatedAt',
    limit: '5',
  };
  const lists = useQueries({
    queries: objects.map((o) => ({
      queryKey: keys.records(o.resource).list(params),
      queryFn: () => listRecords(o.resource, params),
      enabled: Boolean(me),
    })),
  });
  const records = objects
    .flatMap((object, i) => (lists[i]?.data?.data ?? []).map((record) => ({ record, object })))
    .sort((a, b) =>
      (b.record.updatedAt ?? b.record.createdAt).localeCompare(
        a.record.updatedAt ?? a.record.createdAt,
      ),
    )
    .slice(0, SHOWN);
  return { records, isPending: objects.length > 0 && lists.some((l) => l.isPending) };
}
