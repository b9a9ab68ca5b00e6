import { describe, expect, it } from 'vitest';
import { encodeRecord, encodeRows, fitEncoder } from './features.ts';
import type { FeatureSpec, SourceRecord } from './types.ts';

const specs: FeatureSpec[] = [
  { name: 'employees', kind: 'numeric' },
  { name: 'source', kind: 'categorical' },
  { name: 'vip', kind: 'boolean' },
  { name: 'createdAt', kind: 'date' },
  { name: 'tags', kind: 'tags' },
  { name: 'secret', kind: 'numeric', excluded: true },
];

const rows: SourceRecord[] = [
  {
    employees: 10,
    source: 'Referral',
    vip: true,
    createdAt: '2026-01-10T00:00:00Z',
    tags: ['a'],
    secret: 1,
  },
  {
    employees: null,
    source: 'Referral',
    vip: false,
    createdAt: '2026-01-01T00:00:00Z',
    tags: ['a', 'b'],
  },
  { employees: 30, source: 'Web', vip: null, createdAt: null, tags: [] },
  { employees: '20', source: 'Event', vip: 'true', createdAt: '2026-01-05T00:00:00Z', tags: null },
];

function column(values: Float64Array, cols: number, j: number): number[] {
  return Array.from({ length: values.length / cols }, (_, i) => values[i * cols + j] ?? NaN);
}

describe('fitEncoder / encodeRows', () => {
  const encoder = fitEncoder(rows, specs, { topK: 2 });
  const x = encodeRows(encoder, rows);
  const indexOf = (label: string) => encoder.columns.findIndex((c) => c.label === label);

  it('maps every column back to its source field, leaving excluded fields out', () => {
    expect(x.cols).toBe(encoder.columns.length);
    expect(new Set(encoder.columns.map((c) => c.field))).toEqual(
      new Set(specs.filter((s) => s.excluded !== true).map((s) => s.name)),
    );
  });

  it('imputes the median of present numbers and flags the missing one', () => {
    const present = [10, 30, 20].sort((a, b) => a - b);
    expect(column(x.values, x.cols, indexOf('employees'))).toEqual([10, present[1], 30, 20]);
    expect(column(x.values, x.cols, indexOf('employees is missing'))).toEqual([0, 1, 0, 0]);
  });

  it('keeps the top-K levels one-hot and sends the rest to "other"', () => {
    expect(indexOf('source = Referral')).toBeGreaterThanOrEqual(0);
    expect(column(x.values, x.cols, indexOf('source = Referral'))).toEqual([1, 1, 0, 0]);
    const other = column(x.values, x.cols, indexOf('source = other'));
    const levels = encoder.columns.filter((c) => c.field === 'source' && c.role === 'level');
    expect(levels).toHaveLength(2);
    // Each row is in exactly one source column.
    const sums = rows.map((_, i) =>
      encoder.columns.reduce(
        (s, c, j) => s + (c.field === 'source' ? (x.values[i * x.cols + j] ?? 0) : 0),
        0,
      ),
    );
    expect(sums).toEqual([1, 1, 1, 1]);
    // Referral (twice) first; Event beats Web on the name tie-break, so Web is "other".
    expect(levels.map((l) => l.value)).toEqual(['Referral', 'Event']);
    expect(other).toEqual([0, 0, 1, 0]);
  });

  it('turns dates into days before the latest training date', () => {
    expect(encoder.referenceTime).toBe('2026-01-10T00:00:00.000Z');
    const days = column(x.values, x.cols, indexOf('createdAt'));
    expect(days[0]).toBe(0);
    expect(days[1]).toBe(9);
    expect(days[3]).toBe(5);
    expect(days[2]).toBe(5); // median of 0, 9, 5
  });

  it('reads booleans from true/false and their strings, and multi-hots tags', () => {
    // The missing one takes the median of the present 1, 0, 1.
    expect(column(x.values, x.cols, indexOf('vip'))).toEqual([1, 0, 1, 1]);
    expect(column(x.values, x.cols, indexOf('vip is missing'))).toEqual([0, 0, 1, 0]);
    expect(column(x.values, x.cols, indexOf('tags has b'))).toEqual([0, 1, 0, 0]);
  });

  it('encodes an unseen level as other and an unseen tag as nothing', () => {
    const row = encodeRecord(encoder, { source: 'Brand new', tags: ['zzz'], employees: 'n/a' });
    expect(row[indexOf('source = other')]).toBe(1);
    expect(row[indexOf('employees is missing')]).toBe(1);
    const tagColumns = encoder.columns.flatMap((c, j) => (c.field === 'tags' ? [row[j]] : []));
    expect(tagColumns.every((v) => v === 0)).toBe(true);
  });

  it('encodes no rows into an empty matrix with the same columns', () => {
    const empty = encodeRows(encoder, []);
    expect(empty.rows).toBe(0);
    expect(empty.cols).toBe(encoder.columns.length);
  });

  it('drops a level present in every row: it carries no information', () => {
    const constant = fitEncoder([{ s: 'x' }, { s: 'x' }], [{ name: 's', kind: 'categorical' }]);
    expect(constant.columns.map((c) => c.role)).toEqual(['other']);
  });
});
