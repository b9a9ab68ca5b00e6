import type { Expression, SqlBool } from 'kysely';

/** The type of a listable field decides which operators apply and how values are parsed. */
export type FieldType =
  | 'text'
  | 'number'
  | 'date'
  | 'datetime'
  | 'boolean'
  | 'uuid'
  | 'enum'
  | 'tags'
  | 'json-text'
  | 'json-number'
  | 'json-date'
  | 'json-boolean'
  | 'json-array';

/** One field a list can filter or sort on: its SQL expression and type. */
export interface ListField {
  /** A column name (qualified where needed) or, for custom fields, built by `customField()`. */
  column: string;
  type: FieldType;
  sortable?: boolean;
  /** Declared NOT NULL: sorts on the bare column, so a plain index serves the ORDER BY. */
  notNull?: boolean;
  /** For enums: the allowed values. */
  values?: readonly string[];
  /**
   * For enums whose `values` are listed in their natural order (a ticket's priority, low → urgent):
   * sort by that order rather than the alphabet, which would read "high, low, normal, urgent".
   */
  ordered?: boolean;
  /** For json-* fields: the jsonb column and key. */
  json?: { column: string; key: string };
  /**
   * For a field that is not a column of the row (an activity's links, kept in a link table): the
   * condition of a filter on it. Such a field is not sortable.
   */
  filter?: (op: Operator, value: string | string[] | boolean) => Expression<SqlBool>;
}

export type FieldMap = Readonly<Record<string, ListField>>;

export const OPERATORS = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'contains',
  'isNull',
] as const;
export type Operator = (typeof OPERATORS)[number];

const ORDERED: readonly FieldType[] = [
  'number',
  'date',
  'datetime',
  'text',
  'json-number',
  'json-date',
  'json-text',
];

/** Which operators a field type supports. */
export function operatorsFor(type: FieldType): readonly Operator[] {
  switch (type) {
    case 'text':
    case 'json-text':
      return ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'contains', 'isNull'];
    case 'number':
    case 'date':
    case 'datetime':
    case 'json-number':
    case 'json-date':
      return ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'isNull'];
    case 'boolean':
    case 'json-boolean':
      return ['eq', 'ne', 'isNull'];
    case 'uuid':
    case 'enum':
      return ['eq', 'ne', 'in', 'isNull'];
    case 'tags':
    case 'json-array':
      return ['eq', 'contains', 'in', 'isNull'];
  }
}

export const isOrdered = (type: FieldType): boolean => ORDERED.includes(type);

/** A field stored under `key` of a jsonb column (custom fields). */
export function jsonField(
  column: string,
  key: string,
  type: 'text' | 'number' | 'date' | 'boolean' | 'array',
): ListField {
  const t = `json-${type}` as FieldType;
  return {
    column: `${column}->>${key}`,
    type: t,
    sortable: type !== 'array',
    json: { column, key },
  };
}
