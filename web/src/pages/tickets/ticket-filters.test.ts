import { describe, expect, it } from 'vitest';
import { listStateParams, readListState, type ListState } from '../objects/list-query';
import { quickValue, UNSOLVED, withQuickValue } from './ticket-filters';

const OFFERED = [UNSOLVED, 'new', 'open', 'solved'];
const empty: ListState = { q: '', sort: '', conditions: [], group: '' };

describe('ticket quick filters', () => {
  it('writes one status as filter[status] and Unsolved as filter[status][in], keeping other filters', () => {
    const tagged = { ...empty, conditions: [{ field: 'tags', op: 'contains', value: 'vip' }] };
    expect(listStateParams(withQuickValue(tagged, 'status', 'solved'))).toEqual({
      'filter[tags][contains]': 'vip',
      'filter[status]': 'solved',
    });
    expect(listStateParams(withQuickValue(tagged, 'status', UNSOLVED))).toEqual({
      'filter[tags][contains]': 'vip',
      'filter[status][in]': UNSOLVED,
    });
  });

  it('replaces earlier conditions on the field and clears them with an empty choice', () => {
    const two = withQuickValue(withQuickValue(empty, 'status', 'open'), 'status', 'new');
    expect(two.conditions).toEqual([{ field: 'status', op: 'eq', value: 'new' }]);
    expect(withQuickValue(two, 'status', '').conditions).toEqual([]);
  });

  it('reads the value back from the URL, and nothing when the filter is not one it offers', () => {
    const url = (q: string) => readListState(new URLSearchParams(q));
    expect(quickValue(url(`filter[status][in]=${UNSOLVED}`), 'status', OFFERED)).toBe(UNSOLVED);
    expect(quickValue(url('filter[status]=solved'), 'status', OFFERED)).toBe('solved');
    expect(quickValue(url('filter[status][ne]=solved'), 'status', OFFERED)).toBe('');
    expect(quickValue(url('filter[status][in]=new,solved'), 'status', OFFERED)).toBe('');
    expect(quickValue(url('filter[status]=new&filter[status][ne]=open'), 'status', OFFERED)).toBe(
      '',
    );
    expect(quickValue(url('filter[priority]=high'), 'status', OFFERED)).toBe('');
  });
});
