import { describe, expect, it } from 'vitest';
import type { DomainError } from '../errors/index.js';
import { jsonField, parseListQuery, type FieldMap } from './index.js';

const FIELDS: FieldMap = {
  lastName: { column: 'last_name', type: 'text' },
  status: { column: 'status', type: 'enum', values: ['LEAD', 'CUSTOMER'] },
  score: { column: 'score', type: 'number' },
  createdAt: { column: 'created_at', type: 'datetime', notNull: true },
  tags: { column: 'tags', type: 'tags', sortable: false },
  'custom.size': jsonField('custom_fields', 'size', 'number'),
};

function problems(raw: Record<string, unknown>): Array<{ path: string; message: string }> {
  try {
    parseListQuery(raw, FIELDS);
  } catch (e) {
    return (e as DomainError).details as Array<{ path: string; message: string }>;
  }
  return [];
}

describe('list query parsing', () => {
  it('reads limit, sort, filters with operators and custom fields', () => {
    const req = parseListQuery(
      {
        limit: '10',
        sort: '-score,lastName',
        'filter[status]': 'LEAD',
        'filter[score][gte]': '5',
        'filter[custom.size][lt]': '100',
        'filter[status][in]': 'LEAD,CUSTOMER',
        q: ' ada ',
      },
      FIELDS,
    );
    expect(req.limit).toBe(10);
    expect(req.sort.map((s) => [s.field, s.desc])).toEqual([
      ['score', true],
      ['lastName', false],
    ]);
    expect(req.filters.map((f) => [f.field, f.op, f.value])).toEqual([
      ['status', 'eq', 'LEAD'],
      ['score', 'gte', '5'],
      ['custom.size', 'lt', '100'],
      ['status', 'in', ['LEAD', 'CUSTOMER']],
    ]);
    expect(req.q).toBe('ada');
  });

  it('defaults to 50 newest first', () => {
    const req = parseListQuery({}, FIELDS);
    expect(req.limit).toBe(50);
    expect(req.sort).toMatchObject([{ field: 'createdAt', desc: true }]);
  });

  it('names every bad parameter', () => {
    const found = problems({
      limit: '500',
      sort: 'password',
      'filter[nope]': 'x',
      'filter[score][contains]': '1',
      'filter[score]': 'abc',
      'filter[status]': 'WHALE',
      cursor: '!!',
      count: 'maybe',
    });
    expect(found.map((p) => p.path).sort()).toEqual(
      [
        'count',
        'cursor',
        'filter[nope]',
        'filter[score]',
        'filter[score][contains]',
        'filter[status]',
        'limit',
        'sort',
      ].sort(),
    );
  });

  it('refuses sorting on fields that cannot be sorted', () => {
    expect(problems({ sort: 'tags' })).toEqual([{ path: 'sort', message: 'cannot sort by tags' }]);
  });

  it('rejects a cursor made for another sort', () => {
    const cursor = Buffer.from(JSON.stringify(['a', 'b', 'c'])).toString('base64url');
    expect(problems({ cursor })[0]?.path).toBe('cursor');
  });
});
