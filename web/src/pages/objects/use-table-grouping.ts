import type { Row } from '@tanstack/react-table';
import { useCallback, useMemo, useState } from 'react';
import type { ListParams, ObjectRecord } from '../../api/records';
import type { ObjectDescription, ObjectField } from '../../api/types';
import { filterKey } from './field-specs';
import {
  flattenGroups,
  groupableFields,
  groupKeyOf,
  groupKeys,
  groupRows,
  type GridItem,
  type Group,
} from './grouping';
import { useGroupCounts } from './use-group-counts';

/** The grouping of a record table: its field, the grid's lines, each group's server count. */
export interface TableGrouping {
  field: ObjectField | undefined;
  items: Array<GridItem<Row<ObjectRecord>>>;
  groups: Array<Group<Row<ObjectRecord>>>;
  counts: Map<string, number | undefined>;
  collapsed: ReadonlySet<string>;
  toggle: (key: string) => void;
}

/**
 * Groups the loaded rows by the field the URL names (`group=`); an unknown or ungroupable field
 * leaves the table flat. Groups the server counts as empty, with no loaded rows, are not shown.
 */
export function useTableGrouping(
  object: ObjectDescription,
  group: string,
  query: ListParams,
  rows: ReadonlyArray<Row<ObjectRecord>>,
): TableGrouping {
  const field = groupableFields(object).find((f) => filterKey(f) === group);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const toggle = useCallback(
    (key: string) =>
      setCollapsed((prev) => {
        const next = new Set(prev);
        if (!next.delete(key)) next.add(key);
        return next;
      }),
    [],
  );
  const keyList = useMemo(
    () =>
      field
        ? groupKeys(
            field,
            rows.map((r) => r.original),
          )
        : [],
    [field, rows],
  );
  const counts = useGroupCounts(object.resource, query, field, keyList);
  const groups = useMemo(
    () => (field ? groupRows(keyList, rows, (r) => groupKeyOf(field, r.original)) : []),
    [field, keyList, rows],
  );
  const items = field
    ? flattenGroups(groups, collapsed, (k) => (counts.get(k) ?? 0) === 0)
    : rows.map((row) => ({ kind: 'row' as const, row }));
  return { field, items, groups, counts, collapsed, toggle };
}
