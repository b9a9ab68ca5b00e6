import { describe, expect, it } from 'vitest';
import { field } from './test-fields';
import type { ObjectRecord } from '../../api/records';
import type { ObjectDescription } from '../../api/types';
import {
  EMPTY_GROUP,
  flattenGroups,
  groupableFields,
  groupCountQuery,
  groupKeyOf,
  groupKeys,
  groupRows,
  sumField,
  sumOf,
} from './grouping';

const status = field('status', 'enum', { values: ['NEW', 'WON'] });
const owner = field('ownerId', 'relation', { relation: 'user' });
const tier = field('tier', 'enum', { custom: true, values: ['Gold'] });
const amount = field('amount', 'money');
const deal = {
  key: 'deal',
  resource: 'deals',
  titleField: 'name',
  fields: [
    field('name', 'text'),
    status,
    owner,
    tier,
    field('hot', 'boolean'),
    field('contacts', 'relation', { relation: 'contact', multiple: true }),
    field('secret', 'enum', { filterable: false }),
    field('probability', 'number'),
    amount,
  ],
} as unknown as ObjectDescription;
const rec = (id: string, extra: Record<string, unknown>): ObjectRecord => ({
  id,
  version: 1,
  createdAt: '2026-01-01T00:00:00Z',
  ...extra,
});

describe('grouping', () => {
  it('groups by filterable choices, yes/no and single relations only', () => {
    expect(groupableFields(deal).map((f) => f.key)).toEqual(['status', 'ownerId', 'tier', 'hot']);
  });

  it('lists declared choices, then values met in the rows, then the empty group', () => {
    const rows = [
      rec('a', { ownerId: 'u2' }),
      rec('b', { ownerId: 'u1' }),
      rec('c', { ownerId: null }),
      rec('d', { ownerId: 'u2' }),
    ];
    expect(groupKeys(status, rows)).toEqual(['NEW', 'WON', EMPTY_GROUP]);
    expect(groupKeys(owner, rows)).toEqual(['u2', 'u1', EMPTY_GROUP]);
    expect(groupKeyOf(tier, rec('e', { customFields: { tier: 'Gold' } }))).toBe('Gold');
    expect(groupKeyOf(field('hot', 'boolean'), rec('f', { hot: false }))).toBe('false');
  });

  it('buckets rows in list order and keeps unknown values in a group of their own', () => {
    const rows = [
      rec('a', { status: 'WON' }),
      rec('b', { status: 'NEW' }),
      rec('c', { status: 'WON' }),
      rec('d', { status: 'ODD' }),
    ];
    const groups = groupRows(['NEW', 'WON', EMPTY_GROUP], rows, (r) => groupKeyOf(status, r));
    expect(groups.map((g) => [g.key, g.rows.map((r) => r.id)])).toEqual([
      ['NEW', ['b']],
      ['WON', ['a', 'c']],
      [EMPTY_GROUP, []],
      ['ODD', ['d']],
    ]);
  });

  it('counts a group with the view query narrowed by its value', () => {
    const view = {
      limit: '100',
      count: 'true',
      q: 'acme',
      cursor: 'x',
      'filter[amount][gte]': '5',
    };
    expect(groupCountQuery(view, status, 'NEW')).toEqual({
      limit: '1',
      count: 'true',
      q: 'acme',
      'filter[amount][gte]': '5',
      'filter[status]': 'NEW',
    });
    expect(groupCountQuery(view, tier, EMPTY_GROUP)).toMatchObject({
      'filter[custom.tier][isNull]': 'true',
    });
    // The view already keeps only WON: other groups are empty without asking the server.
    const onlyWon = { ...view, 'filter[status]': 'WON' };
    expect(groupCountQuery(onlyWon, status, 'NEW')).toBeNull();
    expect(groupCountQuery(onlyWon, status, 'WON')).toMatchObject({ 'filter[status]': 'WON' });
  });

  it('sums the amount of the rows, ignoring what is not a number', () => {
    expect(sumField(deal)?.key).toBe('amount');
    expect(
      sumOf(amount, [
        rec('a', { amount: 1200 }),
        rec('b', { amount: null }),
        rec('c', { amount: 300 }),
      ]),
    ).toBe(1500);
    const noMoney = {
      ...deal,
      fields: [field('probability', 'number')],
    };
    expect(sumField(noMoney)).toBeUndefined();
  });

  it('flattens to headers and rows, hiding collapsed rows and empty groups', () => {
    const groups = [
      { key: 'NEW', rows: ['r1', 'r2'] },
      { key: 'WON', rows: [] },
      { key: 'LOST', rows: [] },
    ];
    const items = flattenGroups(groups, new Set(['NEW']), (k) => k === 'LOST');
    expect(items).toEqual([
      { kind: 'group', key: 'NEW', size: 2 },
      { kind: 'group', key: 'WON', size: 0 },
    ]);
    expect(flattenGroups(groups, new Set(), () => true)).toEqual([
      { kind: 'group', key: 'NEW', size: 2 },
      { kind: 'row', row: 'r1' },
      { kind: 'row', row: 'r2' },
    ]);
  });
});
