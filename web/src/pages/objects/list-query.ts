/**
 * A list's search, sort and filters as URL query parameters, spelled as the API takes them
 * (`q`, `sort`, `filter[field][op]`): the address bar is the list's state, so a filtered list can
 * be bookmarked, shared and reloaded.
 */
import type { ListParams } from '../../api/records';

/** One condition of the filter builder: `filter[field][op]=value`. */
export interface Condition {
  field: string;
  op: string;
  value: string;
}

const FILTER = /^filter\[([\w.]+)\](?:\[(\w+)\])?$/;

/** Conditions as list query parameters; an unfinished condition (no value) is left out. */
export function conditionParams(conditions: readonly Condition[]): Record<string, string> {
  return Object.fromEntries(
    conditions
      .filter((c) => c.value !== '' || c.op === 'isNull')
      .map((c) => [
        `filter[${c.field}]${c.op === 'eq' ? '' : `[${c.op}]`}`,
        c.op === 'isNull' ? 'true' : c.value,
      ]),
  );
}

/** The conditions a set of parameters (a URL, a saved view) holds. */
export function parseConditions(entries: Iterable<[string, string]>): Condition[] {
  const found: Condition[] = [];
  for (const [key, value] of entries) {
    const m = FILTER.exec(key);
    if (m?.[1]) found.push({ field: m[1], op: m[2] ?? 'eq', value });
  }
  return found;
}

/** The state of one list. */
export interface ListState {
  q: string;
  sort: string;
  conditions: Condition[];
  /** The field the table is grouped by (`group=`), '' when it is not. */
  group: string;
}

/**
 * A short URL parameter that stands for one condition (`stages=a,b` for `filter[stageId][in]=a,b`),
 * so other pages (a dashboard number, a board) can link to a narrowed list in their own words.
 */
export interface ParamAlias {
  field: string;
  op: string;
}

/** A list's URL aliases by parameter name. */
export type ParamAliases = Readonly<Record<string, ParamAlias>>;

/**
 * Reads the list state from the URL; `aliases` add their conditions. The state is written back
 * spelled as the API takes it, so an alias lasts only until the list's state is first changed.
 */
export function readListState(params: URLSearchParams, aliases: ParamAliases = {}): ListState {
  const aliased: Condition[] = [];
  for (const [name, value] of params.entries()) {
    const alias = aliases[name];
    if (alias && value) aliased.push({ ...alias, value });
  }
  return {
    q: params.get('q') ?? '',
    sort: params.get('sort') ?? '',
    conditions: [...parseConditions(params.entries()), ...aliased],
    group: params.get('group') ?? '',
  };
}

/** The aliases that stand for some of these conditions (the first alias of a field and op wins). */
export function aliasParams(
  conditions: readonly Condition[],
  aliases: ParamAliases,
): Record<string, string> {
  const found: Record<string, string> = {};
  for (const c of conditions) {
    const name = Object.keys(aliases).find(
      (n) => aliases[n]?.field === c.field && aliases[n]?.op === c.op,
    );
    if (name && !(name in found)) found[name] = c.value;
  }
  return found;
}

/** The URL parameters of a list state (other parameters, like `view`, are the caller's). */
export function listStateParams(state: ListState): Record<string, string> {
  return {
    ...(state.q ? { q: state.q } : {}),
    ...(state.sort ? { sort: state.sort } : {}),
    ...conditionParams(state.conditions),
    ...(state.group ? { group: state.group } : {}),
  };
}

/** The API query of one page of the list. */
export function listQuery(state: ListState, pageSize: number): ListParams {
  // Grouping is the table's, not the API's: the list is asked for the same rows either way.
  const { group: _group, ...params } = listStateParams(state);
  return { limit: String(pageSize), count: 'true', ...params };
}

/** The next sort when a column header is clicked: ascending, then descending, then none. */
export function nextSort(current: string, field: string): string {
  if (current === field) return `-${field}`;
  if (current === `-${field}`) return '';
  return field;
}
