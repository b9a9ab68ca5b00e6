import { describe, expect, it } from 'vitest';
import {
  aliasParams,
  conditionParams,
  listQuery,
  listStateParams,
  nextSort,
  parseConditions,
  readListState,
} from './list-query';

describe('list query', () => {
  it('spells conditions as the API filters and reads them back', () => {
    const conditions = [
      { field: 'status', op: 'eq', value: 'CUSTOMER' },
      { field: 'custom.tier', op: 'in', value: 'Gold,Silver' },
      { field: 'email', op: 'isNull', value: '' },
      { field: 'name', op: 'contains', value: '' },
    ];
    const params = conditionParams(conditions);
    expect(params).toEqual({
      'filter[status]': 'CUSTOMER',
      'filter[custom.tier][in]': 'Gold,Silver',
      'filter[email][isNull]': 'true',
    });
    expect(parseConditions(Object.entries(params))).toEqual([
      { field: 'status', op: 'eq', value: 'CUSTOMER' },
      { field: 'custom.tier', op: 'in', value: 'Gold,Silver' },
      { field: 'email', op: 'isNull', value: 'true' },
    ]);
  });

  it('keeps search, sort and filters in the URL and builds the page query from them', () => {
    const state = readListState(
      new URLSearchParams('q=acme&sort=-createdAt&filter[size]=50&view=x&group=status'),
    );
    expect(state).toEqual({
      q: 'acme',
      sort: '-createdAt',
      conditions: [{ field: 'size', op: 'eq', value: '50' }],
      group: 'status',
    });
    // The grouping stays in the URL but is not a list parameter the API is sent.
    expect(listStateParams(state)).toMatchObject({ group: 'status' });
    expect(listQuery(state, 100)).toEqual({
      limit: '100',
      count: 'true',
      q: 'acme',
      sort: '-createdAt',
      'filter[size]': '50',
    });
  });

  it('reads URL aliases as conditions, writes them back as API filters, and finds them again', () => {
    const aliases = {
      stages: { field: 'stageId', op: 'in' },
      closeFrom: { field: 'expectedCloseDate', op: 'gte' },
      expectedFrom: { field: 'expectedCloseDate', op: 'gte' },
    };
    const state = readListState(
      new URLSearchParams(
        'stages=a,b&expectedFrom=2026-01-01&title=x&filter[ownerId]=u&closeFrom=',
      ),
      aliases,
    );
    expect(state.conditions).toEqual([
      { field: 'ownerId', op: 'eq', value: 'u' },
      { field: 'stageId', op: 'in', value: 'a,b' },
      { field: 'expectedCloseDate', op: 'gte', value: '2026-01-01' },
    ]);
    expect(listStateParams(state)).toEqual({
      'filter[ownerId]': 'u',
      'filter[stageId][in]': 'a,b',
      'filter[expectedCloseDate][gte]': '2026-01-01',
    });
    expect(aliasParams(state.conditions, aliases)).toEqual({
      stages: 'a,b',
      closeFrom: '2026-01-01',
    });
  });

  it('cycles a column sort through ascending, descending and none', () => {
    expect(nextSort('', 'name')).toBe('name');
    expect(nextSort('name', 'name')).toBe('-name');
    expect(nextSort('-name', 'name')).toBe('');
    expect(nextSort('-createdAt', 'name')).toBe('name');
  });
});
