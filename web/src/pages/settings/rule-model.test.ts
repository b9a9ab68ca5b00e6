import { describe, expect, it } from 'vitest';
import {
  describeCondition,
  ruleBodyOf,
  ruleFormSchema,
  ruleValuesOf,
  swapSteps,
  type AssignmentRule,
} from './rule-model';

const USER = '0190a5c4-0000-7000-8000-0000000000aa';
const TEAM = '0190a5c4-0000-7000-8000-0000000000bb';

const rule = (id: string, position: number): AssignmentRule => ({
  id,
  name: `Rule ${id}`,
  position,
  active: true,
  conditions: [{ field: 'country', op: 'in', value: ['DE', 'AT'] }],
  strategy: 'user',
  userId: USER,
  teamId: null,
  reminderMinutes: null,
  lastAssignedUserId: null,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('swapSteps', () => {
  const rules = [rule('a', 0), rule('b', 3), rule('c', 7)];

  it('parks the moving rule on a free position, then trades positions', () => {
    expect(swapSteps(rules, 2, -1)).toEqual([
      { id: 'c', position: 8 },
      { id: 'b', position: 7 },
      { id: 'c', position: 3 },
    ]);
    expect(swapSteps(rules, 0, 1)).toEqual([
      { id: 'a', position: 8 },
      { id: 'b', position: 0 },
      { id: 'a', position: 3 },
    ]);
  });

  it('does nothing past either end', () => {
    expect(swapSteps(rules, 0, -1)).toEqual([]);
    expect(swapSteps(rules, 2, 1)).toEqual([]);
  });
});

describe('the rule form', () => {
  it('round-trips a rule: a list condition is typed comma separated and sent as a list', () => {
    const values = ruleValuesOf(rule('a', 0));
    expect(values.conditions[0]?.value).toBe('DE, AT');
    expect(
      ruleBodyOf({ ...values, conditions: [{ field: 'country', op: 'in', value: ' DE,, AT ,' }] }),
    ).toMatchObject({ conditions: [{ field: 'country', op: 'in', value: ['DE', 'AT'] }] });
    expect(
      ruleBodyOf({ ...values, conditions: [{ field: 'source', op: 'equals', value: ' ads ' }] }),
    ).toMatchObject({ conditions: [{ field: 'source', op: 'equals', value: 'ads' }] });
  });

  it('needs a person for a fixed owner and a team for the team strategies', () => {
    const base = { ...ruleValuesOf(null), name: 'Germany' };
    const paths = (v: typeof base) =>
      ruleFormSchema.safeParse(v).error?.issues.map((i) => i.path.join('.')) ?? [];
    expect(paths(base)).toEqual(['userId']);
    expect(paths({ ...base, strategy: 'round_robin' })).toEqual(['teamId']);
    expect(paths({ ...base, strategy: 'least_loaded', teamId: TEAM })).toEqual([]);
    expect(
      ruleBodyOf({ ...base, strategy: 'round_robin', userId: USER, teamId: TEAM }).userId,
    ).toBeNull();
  });

  it('refuses an empty condition value and a reminder out of range', () => {
    const v = {
      ...ruleValuesOf(null),
      name: 'x',
      userId: USER,
      conditions: [{ field: 'tags', op: 'in' as const, value: ' , ' }],
      reminderMinutes: '0',
    };
    const issues = ruleFormSchema.safeParse(v).error?.issues.map((i) => i.path.join('.'));
    expect(issues).toEqual(['conditions.0.value', 'reminderMinutes']);
  });

  it('says a condition in words', () => {
    expect(describeCondition({ field: 'emailDomain', op: 'equals', value: 'acme.com' })).toBe(
      'Email domain is acme.com',
    );
    expect(describeCondition({ field: 'custom.region', op: 'in', value: ['EU', 'UK'] })).toBe(
      'region is one of EU, UK',
    );
  });
});
