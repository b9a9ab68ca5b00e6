import { z } from 'zod';
import {
  CONDITION_OPS,
  VALUELESS_OPS,
  type ConditionOp,
  type ConditionRule,
  type ConditionTree,
} from '../definition-types';
import type { FieldKind } from './field-catalog';
import { parseList, parseScalar, valueText } from './values';

/** All rules must hold, or any one. */
export type Match = 'all' | 'any';
/** One rule as the editor holds it: the value as typed. */
export interface RuleRow {
  kind: 'rule';
  field: string;
  op: ConditionOp;
  value: string;
}
/** An inner group (one level deep, as the schema allows). */
export interface GroupRow {
  kind: 'group';
  match: Match;
  rules: RuleRow[];
}
/** The editor's state; `rules` line up with the definition's, so error paths are the same. */
export interface ConditionForm {
  match: Match;
  rules: Array<RuleRow | GroupRow>;
}

/** A field path as the server accepts it (definition.ts fieldPath). */
export const FIELD_PATH = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;
/** Operators that only order numbers and dates (conditions.ts `ordered`). */
const ORDERED_OPS: ReadonlySet<ConditionOp> = new Set(['gt', 'gte', 'lt', 'lte']);

export const EMPTY_CONDITIONS: ConditionForm = { match: 'all', rules: [] };
/** A new rule on a field. */
export const newRule = (field: string): RuleRow => ({ kind: 'rule', field, op: 'eq', value: '' });

const isGroup = (
  r: ConditionTree['rules'][number],
): r is Extract<ConditionTree['rules'][number], { rules: unknown }> => 'rules' in r;
const ruleToRow = (r: ConditionRule): RuleRow => ({
  kind: 'rule',
  field: r.field,
  op: r.op,
  value: valueText(r.value),
});

/** The editor state of a tree (none: an empty "all" group). */
export function toConditionForm(tree: ConditionTree | null): ConditionForm {
  if (!tree) return EMPTY_CONDITIONS;
  return {
    match: tree.match,
    rules: tree.rules.map((r) =>
      isGroup(r) ? { kind: 'group', match: r.match, rules: r.rules.map(ruleToRow) } : ruleToRow(r),
    ),
  };
}

/** One rule of the definition: no value for isEmpty/isNotEmpty/changed, a list for `in`. */
export function rowToRule(row: RuleRow, kindOf: (field: string) => FieldKind): ConditionRule {
  const rule = { field: row.field.trim(), op: row.op };
  if (VALUELESS_OPS.has(row.op)) return rule;
  const kind = kindOf(rule.field);
  return {
    ...rule,
    value: row.op === 'in' ? parseList(row.value, kind) : parseScalar(row.value, kind),
  };
}

/** The definition's tree of an editor state. */
export function fromConditionForm(
  form: ConditionForm,
  kindOf: (field: string) => FieldKind,
): ConditionTree {
  return {
    match: form.match,
    rules: form.rules.map((r) =>
      r.kind === 'group'
        ? { match: r.match, rules: r.rules.map((x) => rowToRule(x, kindOf)) }
        : rowToRule(r, kindOf),
    ),
  };
}

/** Entry conditions: none when the editor has no rule (every triggering record runs). */
export const entryConditions = (
  form: ConditionForm,
  kindOf: (field: string) => FieldKind,
): ConditionTree | null => (form.rules.length === 0 ? null : fromConditionForm(form, kindOf));

/** What the engine can order: a number or an ISO date (conditions.ts `ordered`). */
const ORDERABLE = /^(-?\d+(\.\d+)?$|\d{4}-\d{2}-\d{2})/;

/** What is wrong with one rule's value, or null. */
function valueProblem(row: RuleRow): string | null {
  if (VALUELESS_OPS.has(row.op)) return null;
  const value = row.value.trim();
  if (row.op === 'in') {
    const items = parseList(value, 'text');
    if (items.length === 0) return 'list at least one value, separated by commas';
    return items.length > 100 ? 'at most 100 values' : null;
  }
  if (value === '') return 'enter a value (or use "is empty")';
  if (value.length > 1000) return 'at most 1,000 characters';
  if (ORDERED_OPS.has(row.op) && !ORDERABLE.test(value))
    return 'must be a number or a date (YYYY-MM-DD) to compare';
  return null;
}

const ruleRow = z
  .object({
    kind: z.literal('rule'),
    field: z.string(),
    op: z.enum(CONDITION_OPS as [ConditionOp, ...ConditionOp[]]),
    value: z.string(),
  })
  .superRefine((row, ctx) => {
    if (!row.field.trim())
      ctx.addIssue({ code: 'custom', path: ['field'], message: 'choose a field' });
    else if (!FIELD_PATH.test(row.field.trim()) || row.field.length > 80)
      ctx.addIssue({
        code: 'custom',
        path: ['field'],
        message: 'must be a field name such as status or custom.size',
      });
    const problem = valueProblem(row);
    if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
  });
const match = z.enum(['all', 'any']);
const groupRow = z.object({
  kind: z.literal('group'),
  match,
  rules: z
    .array(ruleRow)
    .min(1, 'an empty group matches everything: add a rule or remove the group')
    .max(50, 'at most 50 rules'),
});

/** The editor state's rules, with messages people understand (client-side; the server checks again). */
export const conditionFormSchema = z.object({
  match,
  rules: z.array(z.discriminatedUnion('kind', [ruleRow, groupRow])).max(50, 'at most 50 rules'),
});
