import { describe, expect, it } from 'vitest';
import type { ConditionTree } from '../definition-types';
import {
  conditionFormSchema,
  entryConditions,
  fromConditionForm,
  toConditionForm,
  type ConditionForm,
} from './condition-model';
import type { FieldKind } from './field-catalog';

const KINDS: Record<string, FieldKind> = { amount: 'number', rotting: 'boolean', status: 'enum' };
const kindOf = (f: string): FieldKind => KINDS[f] ?? 'text';
const messages = (form: ConditionForm) =>
  (conditionFormSchema.safeParse(form).error?.issues ?? []).map(
    (i) => `${i.path.join('.')}: ${i.message}`,
  );

describe('the conditions editor model', () => {
  it('turns typed values into what the engine compares: numbers, yes/no, comma lists, no value for isEmpty', () => {
    const form: ConditionForm = {
      match: 'any',
      rules: [
        { kind: 'rule', field: 'amount', op: 'gte', value: ' 5000 ' },
        { kind: 'rule', field: 'rotting', op: 'eq', value: 'true' },
        { kind: 'rule', field: 'status', op: 'in', value: 'open, won,, ' },
        {
          kind: 'group',
          match: 'all',
          rules: [
            { kind: 'rule', field: 'email', op: 'isEmpty', value: 'ignored' },
            { kind: 'rule', field: 'title', op: 'contains', value: 'VP' },
          ],
        },
      ],
    };
    expect(fromConditionForm(form, kindOf)).toEqual({
      match: 'any',
      rules: [
        { field: 'amount', op: 'gte', value: 5000 },
        { field: 'rotting', op: 'eq', value: true },
        { field: 'status', op: 'in', value: ['open', 'won'] },
        {
          match: 'all',
          rules: [
            { field: 'email', op: 'isEmpty' },
            { field: 'title', op: 'contains', value: 'VP' },
          ],
        },
      ],
    });
  });

  it('reads a stored tree back into rows, lists as a comma list, so a round trip keeps it', () => {
    const tree: ConditionTree = {
      match: 'all',
      rules: [
        { field: 'amount', op: 'in', value: [100, 200] },
        { match: 'any', rules: [{ field: 'status', op: 'changed' }] },
      ],
    };
    const form = toConditionForm(tree);
    expect(form.rules[0]).toEqual({ kind: 'rule', field: 'amount', op: 'in', value: '100, 200' });
    expect(fromConditionForm(form, kindOf)).toEqual(tree);
  });

  it('has no entry conditions when there is no rule, and an empty "all" group for none stored', () => {
    expect(toConditionForm(null)).toEqual({ match: 'all', rules: [] });
    expect(entryConditions({ match: 'any', rules: [] }, kindOf)).toBeNull();
  });

  it('names each bad row: no field, no value, an empty list for "is one of", an unordered value, an empty group', () => {
    expect(
      messages({
        match: 'all',
        rules: [
          { kind: 'rule', field: '', op: 'eq', value: 'x' },
          { kind: 'rule', field: 'title', op: 'eq', value: '  ' },
          { kind: 'rule', field: 'status', op: 'in', value: ' , ' },
          { kind: 'rule', field: 'amount', op: 'gt', value: 'lots' },
          { kind: 'group', match: 'any', rules: [] },
          { kind: 'rule', field: 'bad field!', op: 'isEmpty', value: '' },
        ],
      }),
    ).toEqual([
      'rules.0.field: choose a field',
      'rules.1.value: enter a value (or use "is empty")',
      'rules.2.value: list at least one value, separated by commas',
      'rules.3.value: must be a number or a date (YYYY-MM-DD) to compare',
      'rules.4.rules: an empty group matches everything: add a rule or remove the group',
      'rules.5.field: must be a field name such as status or custom.size',
    ]);
  });

  it('accepts valueless operators without a value and dates for ordering', () => {
    expect(
      messages({
        match: 'all',
        rules: [
          { kind: 'rule', field: 'email', op: 'isNotEmpty', value: '' },
          { kind: 'rule', field: 'closedAt', op: 'lt', value: '2025-01-31' },
          { kind: 'rule', field: 'tags', op: 'changed', value: '' },
        ],
      }),
    ).toEqual([]);
  });
});
