import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { z } from 'zod';
import { errors, type ErrorDetail } from '../errors/index.js';
import { operatorsFor, OPERATORS, type FieldMap, type ListField, type Operator } from './fields.js';

export {
  jsonField,
  operatorsFor,
  type FieldMap,
  type FieldType,
  type ListField,
  type Operator,
} from './fields.js';

/** One parsed filter: `filter[field][op]=value`. */
export interface Filter {
  field: string;
  spec: ListField;
  op: Operator;
  value: string | string[] | boolean;
}

export interface SortKey {
  field: string;
  spec: ListField;
  desc: boolean;
}

/** A parsed list request (API.md: limit, cursor, count, sort, q, filter). */
export interface ListRequest {
  limit: number;
  cursor: unknown[] | null;
  count: boolean;
  sort: SortKey[];
  filters: Filter[];
  q: string | null;
}

/**
 * The field named `name`, if the list has it. Own properties only: a name like `__proto__`,
 * `constructor` or `toString` would otherwise find Object.prototype's members and reach the SQL.
 */
function fieldOf(fields: FieldMap, name: string): ListField | undefined {
  return Object.hasOwn(fields, name) ? fields[name] : undefined;
}

const FILTER_KEY = /^filter\[([A-Za-z0-9_.-]+)\](?:\[([A-Za-z]+)\])?$/;
const CURSOR = z
  .array(z.union([z.string(), z.number(), z.boolean(), z.null()]))
  .min(1)
  .max(10);

function parseValue(
  spec: ListField,
  op: Operator,
  raw: string,
  path: string,
  problems: ErrorDetail[],
): string | string[] | boolean {
  if (op === 'isNull') {
    if (raw !== 'true' && raw !== 'false')
      problems.push({ path, message: 'isNull takes true or false' });
    return raw === 'true';
  }
  const values =
    op === 'in'
      ? raw
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean)
      : [raw];
  if (op === 'in' && (values.length === 0 || values.length > 100))
    problems.push({ path, message: 'in takes 1 to 100 comma-separated values' });
  for (const v of values) {
    switch (spec.type) {
      case 'number':
      case 'json-number':
        if (!Number.isFinite(Number(v)) || v === '')
          problems.push({ path, message: `"${v}" is not a number` });
        break;
      case 'date':
      case 'datetime':
      case 'json-date':
        if (Number.isNaN(Date.parse(v)))
          problems.push({ path, message: `"${v}" is not a date (use ISO 8601)` });
        break;
      case 'boolean':
      case 'json-boolean':
        if (v !== 'true' && v !== 'false') problems.push({ path, message: 'takes true or false' });
        break;
      case 'uuid':
        if (!z.uuid().safeParse(v).success)
          problems.push({ path, message: `"${v}" is not a UUID` });
        break;
      case 'enum':
        if (spec.values && !spec.values.includes(v))
          problems.push({ path, message: `must be one of ${spec.values.join(', ')}` });
        break;
      default:
        if (v.length > 500) problems.push({ path, message: 'is too long' });
    }
  }
  return op === 'in' ? values : (values[0] ?? '');
}

/**
 * Reads limit/cursor/count/sort/q/filter[…] from a raw query string object. Unknown fields and
 * operators are a 400 naming the parameter, never silently ignored.
 */
export function parseListQuery(
  raw: Record<string, unknown>,
  fields: FieldMap,
  defaults: { sort: string; maxLimit?: number } = { sort: '-createdAt' },
): ListRequest {
  const problems: ErrorDetail[] = [];
  const str = (k: string) =>
    typeof raw[k] === 'string'
      ? raw[k]
      : Array.isArray(raw[k])
        ? String((raw[k] as unknown[])[0])
        : undefined;
  const maxLimit = defaults.maxLimit ?? 200;
  const limitRaw = str('limit');
  const limit = limitRaw === undefined ? 50 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit)
    problems.push({ path: 'limit', message: `must be an integer from 1 to ${maxLimit}` });
  const countRaw = str('count');
  if (countRaw !== undefined && countRaw !== 'true' && countRaw !== 'false')
    problems.push({ path: 'count', message: 'takes true or false' });

  const sort: SortKey[] = [];
  for (const part of (str('sort') ?? defaults.sort)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const desc = part.startsWith('-');
    const field = desc ? part.slice(1) : part;
    const spec = fieldOf(fields, field);
    if (!spec || spec.sortable === false)
      problems.push({ path: 'sort', message: `cannot sort by ${field}` });
    else sort.push({ field, spec, desc });
  }
  if (sort.length > 3) problems.push({ path: 'sort', message: 'at most 3 sort fields' });

  let cursor: unknown[] | null = null;
  const cursorRaw = str('cursor');
  if (cursorRaw) {
    try {
      const parsed = CURSOR.safeParse(
        JSON.parse(Buffer.from(cursorRaw, 'base64url').toString('utf8')),
      );
      if (parsed.success && parsed.data.length === sort.length + 1) cursor = parsed.data;
      else
        problems.push({
          path: 'cursor',
          message: 'is not a cursor of this list (did the sort change?)',
        });
    } catch {
      problems.push({ path: 'cursor', message: 'is malformed' });
    }
  }

  const filters: Filter[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (!key.startsWith('filter')) continue;
    const m = FILTER_KEY.exec(key);
    const field = m?.[1];
    const spec = field ? fieldOf(fields, field) : undefined;
    if (!m || !field || !spec) {
      problems.push({
        path: key,
        message: field ? `unknown field ${field}` : 'use filter[field] or filter[field][op]',
      });
      continue;
    }
    const op = (m[2] ?? 'eq') as Operator;
    if (!OPERATORS.includes(op) || !operatorsFor(spec.type).includes(op)) {
      problems.push({
        path: key,
        message: `operator ${op} does not apply to ${field} (use ${operatorsFor(spec.type).join(', ')})`,
      });
      continue;
    }
    const text =
      typeof value === 'string' ? value : Array.isArray(value) ? value.map(String).join(',') : '';
    filters.push({ field, spec, op, value: parseValue(spec, op, text, key, problems) });
  }
  const q = str('q')?.trim() || null;
  if (q && q.length > 200) problems.push({ path: 'q', message: 'at most 200 characters' });
  if (problems.length) throw errors.validation(problems);
  return { limit, cursor, count: countRaw === 'true', sort, filters, q };
}

/** The SQL of a field: a plain column, or a typed read of a jsonb key. */
export function fieldSql(spec: ListField): RawBuilder<unknown> {
  if (!spec.json) return sql.ref(spec.column);
  const text = sql`(${sql.ref(spec.json.column)} ->> ${sql.lit(spec.json.key)})`;
  switch (spec.type) {
    case 'json-number':
      return sql`(${text})::numeric`;
    case 'json-date':
      return sql`(${text})::timestamptz`;
    case 'json-boolean':
      return sql`(${text})::boolean`;
    case 'json-array':
      return sql`(${sql.ref(spec.json.column)} -> ${sql.lit(spec.json.key)})`;
    default:
      return text;
  }
}

const cast = (spec: ListField, v: string): RawBuilder<unknown> => {
  switch (spec.type) {
    case 'number':
    case 'json-number':
      return sql`${v}::numeric`;
    case 'date':
    case 'datetime':
    case 'json-date':
      return sql`${v}::timestamptz`;
    case 'boolean':
    case 'json-boolean':
      return sql`${v}::boolean`;
    case 'uuid':
      return sql`${v}::uuid`;
    default:
      return sql`${v}::text`;
  }
};

const COMPARE: Partial<Record<Operator, string>> = {
  eq: '=',
  ne: '<>',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
};

/** One filter as a boolean SQL expression. */
export function filterSql(f: Filter): Expression<SqlBool> {
  if (f.spec.filter) return f.spec.filter(f.op, f.value);
  const col = fieldSql(f.spec);
  if (f.op === 'isNull') {
    if (f.spec.type === 'tags')
      return f.value
        ? sql<SqlBool>`coalesce(cardinality(${col}), 0) = 0`
        : sql<SqlBool>`cardinality(${col}) > 0`;
    return f.value ? sql<SqlBool>`${col} is null` : sql<SqlBool>`${col} is not null`;
  }
  const values = Array.isArray(f.value) ? f.value : [String(f.value)];
  if (f.spec.type === 'tags') {
    // eq/contains: has the tag; in: has any of the tags.
    return f.op === 'in'
      ? sql<SqlBool>`${col} && ${sql.val(values)}::text[]`
      : sql<SqlBool>`${values[0] ?? ''} = any(${col})`;
  }
  if (f.spec.type === 'json-array') {
    const ref = sql.ref(f.spec.json?.column ?? f.spec.column);
    const key = f.spec.json?.key ?? '';
    if (f.op === 'in')
      return sql<SqlBool>`(${ref} -> ${sql.lit(key)}) ?| ${sql.val(values)}::text[]`;
    return sql<SqlBool>`(${ref} -> ${sql.lit(key)}) ? ${values[0] ?? ''}`;
  }
  if (f.op === 'in')
    return sql<SqlBool>`${col} in (${sql.join(values.map((v) => cast(f.spec, v)))})`;
  if (f.op === 'contains') {
    const escaped = (values[0] ?? '').replace(/[\\%_]/g, (c) => `\\${c}`);
    return sql<SqlBool>`${col} ilike ${`%${escaped}%`}`;
  }
  const op = COMPARE[f.op] ?? '=';
  // ne also keeps rows where the field is empty, as a person reading "is not X" expects.
  if (f.op === 'ne')
    return sql<SqlBool>`(${col} is null or ${col} <> ${cast(f.spec, values[0] ?? '')})`;
  return sql<SqlBool>`${col} ${sql.raw(op)} ${cast(f.spec, values[0] ?? '')}`;
}

/** The sort expression: nulls folded to a sentinel so keyset paging never skips or repeats rows. */
export function sortSql(key: SortKey): RawBuilder<unknown> {
  const col = fieldSql(key.spec);
  // An ordered enum sorts by its value's position (1…n); an empty value comes first, as 0.
  if (isOrdered(key.spec))
    return sql`coalesce(array_position(${sql.val(key.spec.values ?? [])}::text[], (${col})::text), 0)`;
  if (key.spec.notNull) return key.spec.type === 'text' ? sql`lower(${col})` : col;
  switch (key.spec.type) {
    case 'number':
    case 'json-number':
      return sql`coalesce((${col})::numeric, '-Infinity'::numeric)`;
    case 'date':
    case 'datetime':
    case 'json-date':
      return sql`coalesce((${col})::timestamptz, '-infinity'::timestamptz)`;
    case 'boolean':
    case 'json-boolean':
      return sql`coalesce((${col})::boolean, false)`;
    default:
      // Text fields are text already; no cast, so the expression matches the sort indexes.
      return sql`coalesce(lower(${col}), '')`;
  }
}

/**
 * The keyset condition "after the cursor" for sort keys plus the id tiebreaker:
 * (k1 > v1) or (k1 = v1 and k2 > v2) or … with each comparison flipped for descending keys.
 * Cursor values are the text form of each sort expression, cast back by the expression's type.
 */
export function afterCursorSql(
  sort: readonly SortKey[],
  idColumn: string,
  cursor: readonly unknown[],
): Expression<SqlBool> {
  const keys = [
    ...sort.map((k) => ({ expr: sortSql(k), desc: k.desc })),
    { expr: sql`${sql.ref(idColumn)}`, desc: sort[sort.length - 1]?.desc ?? false },
  ];
  const value = (i: number) =>
    i === keys.length - 1 ? sql`${cursor[i]}::uuid` : castLike(sort[i], cursor[i]);
  const ors = keys.map((k, i) => {
    const eqs = keys.slice(0, i).map((p, j) => sql`${p.expr} = ${value(j)}`);
    const cmp = sql`${k.expr} ${sql.raw(k.desc ? '<' : '>')} ${value(i)}`;
    return sql`(${sql.join([...eqs, cmp], sql` and `)})`;
  });
  return sql<SqlBool>`(${sql.join(ors, sql` or `)})`;
}

/** An enum sorted by the order of its declared values (see `ListField.ordered`). */
const isOrdered = (spec: ListField): boolean =>
  spec.type === 'enum' && spec.ordered === true && (spec.values?.length ?? 0) > 0;

function castLike(key: SortKey | undefined, v: unknown): RawBuilder<unknown> {
  if (key && isOrdered(key.spec)) return sql`${String(v)}::integer`;
  switch (key?.spec.type) {
    case 'number':
    case 'json-number':
      return sql`${String(v)}::numeric`;
    case 'date':
    case 'datetime':
    case 'json-date':
      return sql`${String(v)}::timestamptz`;
    case 'boolean':
    case 'json-boolean':
      return sql`${String(v)}::boolean`;
    default:
      return sql`${String(v)}::text`;
  }
}

/** The select list entries that carry each sort value (as text) for the next cursor. */
export function cursorColumns(sort: readonly SortKey[], idColumn: string): RawBuilder<unknown>[] {
  return [
    ...sort.map((k, i) => sql`(${sortSql(k)})::text`.as(`__k${i}`)),
    sql`(${sql.ref(idColumn)})::text`.as(`__k${sort.length}`),
  ] as unknown as RawBuilder<unknown>[];
}

/** The ORDER BY of a list: its sort keys, then the id. */
export function orderSql(sort: readonly SortKey[], idColumn: string): RawBuilder<unknown> {
  const parts = sort.map((k) => sql`${sortSql(k)} ${sql.raw(k.desc ? 'desc' : 'asc')}`);
  parts.push(sql`${sql.ref(idColumn)} ${sql.raw(sort[sort.length - 1]?.desc ? 'desc' : 'asc')}`);
  return sql.join(parts);
}

/**
 * Splits fetched rows (limit + 1 were asked for) into the page and the cursor after it, and
 * removes the cursor columns from the rows.
 */
export function pageOf<T extends Record<string, unknown>>(
  rows: T[],
  limit: number,
  sortCount: number,
): { rows: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > limit && last
      ? Buffer.from(
          JSON.stringify(Array.from({ length: sortCount + 1 }, (_, i) => last[`__k${i}`] ?? null)),
        ).toString('base64url')
      : null;
  for (const r of page) for (let i = 0; i <= sortCount; i++) delete r[`__k${i}`];
  return { rows: page, nextCursor };
}
