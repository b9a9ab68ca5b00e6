/**
 * Grouping the record table by one field, as pure functions. The list is paged, so the rows
 * loaded so far are bucketed here, while each group's count comes from the list API itself
 * (`count=true` with the group's value as one more filter): a header's count is the server's,
 * never the number of rows that happen to be loaded. Sums are of the loaded rows, and say so
 * when more remain.
 */
import type { ListParams, ObjectRecord } from '../../api/records';
import type { ObjectDescription, ObjectField } from '../../api/types';
import { filterKey, valueOf } from './field-specs';

/** The key of the group of records whose field is empty. */
export const EMPTY_GROUP = '';

/** One group of the table: its value, the loaded rows in it. */
export interface Group<Row> {
  key: string;
  rows: Row[];
}

/** Fields a table can be grouped by: choices, yes/no, owners and single related records. */
export const groupableFields = (object: ObjectDescription): ObjectField[] =>
  object.fields.filter(
    (f) =>
      f.filterable &&
      !f.multiple &&
      (f.kind === 'enum' || f.kind === 'boolean' || f.kind === 'relation'),
  );

/** The group a record falls in: its value as the list filter spells it, or the empty group. */
export function groupKeyOf(field: ObjectField, record: ObjectRecord): string {
  const v = valueOf(record, field);
  if (v === null || v === undefined || v === '') return EMPTY_GROUP;
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
    ? String(v)
    : JSON.stringify(v);
}

/**
 * The groups to show, in order: an enum's choices or yes/no as declared (every one, since their
 * counts come from the server), then the values met in the loaded rows, then the empty group.
 */
export function groupKeys(field: ObjectField, records: readonly ObjectRecord[]): string[] {
  const declared =
    field.kind === 'boolean'
      ? ['true', 'false']
      : field.kind === 'enum'
        ? (field.values ?? [])
        : [];
  const seen = new Set(declared);
  const keys = [...declared];
  for (const r of records) {
    const k = groupKeyOf(field, r);
    if (k !== EMPTY_GROUP && !seen.has(k)) {
      seen.add(k);
      keys.push(k);
    }
  }
  return [...keys, EMPTY_GROUP];
}

/** Buckets the loaded rows into the groups, keeping the list's order inside each. */
export function groupRows<Row>(
  keys: readonly string[],
  rows: readonly Row[],
  keyOf: (row: Row) => string,
): Array<Group<Row>> {
  const buckets = new Map<string, Row[]>(keys.map((k) => [k, []]));
  for (const row of rows) {
    const k = keyOf(row);
    const bucket = buckets.get(k);
    if (bucket) bucket.push(row);
    else buckets.set(k, [row]);
  }
  return [...buckets].map(([key, inGroup]) => ({ key, rows: inGroup }));
}

/**
 * The list query that counts one group: the view's own query plus the group's value. When the
 * view already filters the field to one value, other groups are empty without asking (null).
 */
export function groupCountQuery(
  query: ListParams,
  field: ObjectField,
  key: string,
): ListParams | null {
  const param = `filter[${filterKey(field)}]`;
  const fixed = query[param];
  if (fixed !== undefined && fixed !== key) return null;
  const narrowed: ListParams = { ...query, limit: '1', count: 'true' };
  delete narrowed.cursor;
  if (key === EMPTY_GROUP) narrowed[`${param}[isNull]`] = 'true';
  else narrowed[param] = key;
  return narrowed;
}

/** The number field a group header sums: `amount` when there is one, else the first money field. */
export function sumField(object: ObjectDescription): ObjectField | undefined {
  const numeric = object.fields.filter((f) => f.kind === 'money' || f.kind === 'number');
  return numeric.find((f) => f.key === 'amount') ?? numeric.find((f) => f.kind === 'money');
}

/** The sum of a number field over rows; values that are not numbers count as nothing. */
export function sumOf(field: ObjectField, records: readonly ObjectRecord[]): number {
  return records.reduce((n, r) => {
    const v = valueOf(r, field);
    return typeof v === 'number' && Number.isFinite(v) ? n + v : n;
  }, 0);
}

/** One line of a grouped grid: a group's header or one of its rows. */
export type GridItem<Row> =
  { kind: 'group'; key: string; size: number } | { kind: 'row'; row: Row };

/** The lines of the grid: each group's header, then its rows unless the group is collapsed. */
export function flattenGroups<Row>(
  groups: ReadonlyArray<Group<Row>>,
  collapsed: ReadonlySet<string>,
  isEmpty: (key: string) => boolean,
): Array<GridItem<Row>> {
  const items: Array<GridItem<Row>> = [];
  for (const g of groups) {
    if (isEmpty(g.key) && g.rows.length === 0) continue;
    items.push({ kind: 'group', key: g.key, size: g.rows.length });
    if (!collapsed.has(g.key)) for (const row of g.rows) items.push({ kind: 'row', row });
  }
  return items;
}
