import type { ConditionGroup, ConditionRule, ConditionTree } from './definition.js';
import { isEmptyValue, readPath } from './fields.js';

/** What a condition is evaluated against: the record and, for updates, the fields that changed. */
export interface ConditionSubject {
  record: unknown;
  /** Field names that changed (API names; custom fields as `custom.key`). */
  changed?: readonly string[];
}

const norm = (v: unknown): unknown => (typeof v === 'string' ? v.trim().toLowerCase() : v);

/** Numbers compare as numbers; ISO dates as instants; anything else is not ordered. */
function ordered(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    if (/^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
    if (/^\d{4}-\d{2}-\d{2}/.test(v)) {
      const t = Date.parse(v);
      return Number.isNaN(t) ? null : t;
    }
  }
  return null;
}

function equals(a: unknown, b: unknown): boolean {
  const oa = ordered(a);
  const ob = ordered(b);
  if (oa !== null && ob !== null) return oa === ob;
  return norm(a) === norm(b);
}

/** Evaluates one rule. Text comparisons ignore case and surrounding space, as people expect. */
export function evaluateRule(rule: ConditionRule, subject: ConditionSubject): boolean {
  if (rule.op === 'changed') {
    const changed = subject.changed ?? [];
    return changed.includes(rule.field) || changed.some((c) => c.startsWith(`${rule.field}.`));
  }
  const actual = readPath(subject.record, rule.field);
  const expected = rule.value;
  switch (rule.op) {
    case 'isEmpty':
      return isEmptyValue(actual);
    case 'isNotEmpty':
      return !isEmptyValue(actual);
    case 'eq':
      return Array.isArray(actual)
        ? actual.some((a) => equals(a, expected))
        : equals(actual ?? null, expected ?? null);
    case 'ne':
      return Array.isArray(actual)
        ? !actual.some((a) => equals(a, expected))
        : !equals(actual ?? null, expected ?? null);
    case 'contains':
      if (Array.isArray(actual)) return actual.some((a) => equals(a, expected));
      return (
        typeof actual === 'string' &&
        typeof expected === 'string' &&
        actual.toLowerCase().includes(expected.toLowerCase())
      );
    case 'in': {
      const list = Array.isArray(expected) ? expected : [expected];
      return Array.isArray(actual)
        ? actual.some((a) => list.some((e) => equals(a, e)))
        : list.some((e) => equals(actual, e));
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const a = ordered(actual);
      const b = ordered(expected);
      if (a === null || b === null) return false;
      return rule.op === 'gt'
        ? a > b
        : rule.op === 'gte'
          ? a >= b
          : rule.op === 'lt'
            ? a < b
            : a <= b;
    }
  }
}

const isGroup = (r: ConditionRule | ConditionGroup): r is ConditionGroup => 'rules' in r;

/** Evaluates an AND/OR tree; an empty group is true (no conditions). */
export function evaluateConditions(
  tree: ConditionTree | ConditionGroup | null,
  subject: ConditionSubject,
): boolean {
  if (!tree || tree.rules.length === 0) return true;
  const results = (tree.rules as Array<ConditionRule | ConditionGroup>).map((r) =>
    isGroup(r) ? evaluateConditions(r, subject) : evaluateRule(r, subject),
  );
  return tree.match === 'all' ? results.every(Boolean) : results.some(Boolean);
}

/** Every rule of the tree with its path under `base` (`conditions.rules.1.rules.0`), for problems that name it. */
export function rulesAt(
  tree: ConditionTree,
  base: string,
): Array<{ rule: ConditionRule; path: string }> {
  return tree.rules.flatMap((r, i) =>
    isGroup(r)
      ? r.rules.map((rule, j) => ({ rule, path: `${base}.rules.${i}.rules.${j}` }))
      : [{ rule: r, path: `${base}.rules.${i}` }],
  );
}
