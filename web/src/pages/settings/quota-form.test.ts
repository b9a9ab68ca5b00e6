import { describe, expect, it } from 'vitest';
import {
  fromMinorUnits,
  periodLabel,
  periodStartOf,
  periodStarts,
  quotaFormSchema,
  targetOf,
  toMinorUnits,
} from './quota-form';

const day = new Date('2026-05-17T12:00:00Z');

describe('quota form', () => {
  it('finds the 1st of the month or quarter that holds a day', () => {
    expect(periodStartOf('month', day)).toBe('2026-05-01');
    expect(periodStartOf('quarter', day)).toBe('2026-04-01');
    expect(periodStartOf('quarter', new Date('2026-12-31T00:00:00Z'))).toBe('2026-10-01');
  });

  it('offers whole periods around today, across year ends', () => {
    expect(periodStarts('quarter', day, 2, 3)).toEqual([
      '2025-10-01',
      '2026-01-01',
      '2026-04-01',
      '2026-07-01',
      '2026-10-01',
      '2027-01-01',
    ]);
    expect(periodStarts('month', new Date('2026-01-05T00:00:00Z'), 1, 1)).toEqual([
      '2025-12-01',
      '2026-01-01',
      '2026-02-01',
    ]);
  });

  it('names periods as people say them', () => {
    expect(periodLabel('quarter', '2026-07-01')).toBe('Q3 2026');
    expect(periodLabel('month', '2026-02-01')).toBe('February 2026');
  });

  it('converts typed amounts to minor units and back without float drift', () => {
    expect(toMinorUnits('19.99')).toBe(1999);
    expect(toMinorUnits('0.1')).toBe(10);
    expect(toMinorUnits('50000')).toBe(5_000_000);
    expect(fromMinorUnits(1999)).toBe('19.99');
    expect(fromMinorUnits(5_000_000)).toBe('50000');
    expect(fromMinorUnits(105)).toBe('1.05');
  });

  it('turns the picked target into userId or teamId', () => {
    expect(targetOf('user:u-1')).toEqual({ userId: 'u-1' });
    expect(targetOf('team:t-1')).toEqual({ teamId: 't-1' });
  });

  it('refuses a missing target, a zero or negative amount, and separators', () => {
    const valid = {
      target: 'user:u-1',
      period: 'month',
      periodStart: '2026-05-01',
      amount: '1200',
    };
    expect(quotaFormSchema.safeParse(valid).success).toBe(true);
    const problems = (values: Record<string, string>) => {
      const result = quotaFormSchema.safeParse({ ...valid, ...values });
      return result.success
        ? []
        : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(problems({ target: '' })).toEqual(['target: Pick a user or a team']);
    expect(problems({ amount: '0' })).toContain('amount: Must be a positive amount');
    expect(problems({ amount: '-5' })).toContain('amount: Must be a positive amount');
    expect(problems({ amount: '1,200' })).toContain('amount: At most two decimals, no separators');
    expect(problems({ amount: '' })).toContain('amount: Enter an amount');
  });
});
