import { describe, expect, it } from 'vitest';
import {
  MIN_OUTCOMES_PER_CLASS,
  PRIOR_SOURCE_QUALITY,
  PRIOR_WEIGHTS,
  isReadyToTrain,
  priorScore,
} from './prior.ts';

describe('priorScore', () => {
  it('is the documented weighted sum of its signals', () => {
    const s = priorScore({ completeness: 0.5, engagementCount: 5, source: 'Referral' });
    const expected =
      PRIOR_WEIGHTS.completeness * 0.5 +
      PRIOR_WEIGHTS.engagement * (1 - Math.exp(-1)) +
      PRIOR_WEIGHTS.source * (PRIOR_SOURCE_QUALITY.referral ?? 0);
    expect(s.score).toBe(Math.round(expected));
    expect(Object.values(PRIOR_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('rises with each signal and explains itself', () => {
    const low = priorScore({ completeness: 0.1, engagementCount: 0, source: 'Cold Outreach' });
    const high = priorScore({ completeness: 1, engagementCount: 20, source: 'referral' });
    expect(high.score).toBeGreaterThan(low.score);
    expect(high.band).toBe('hot');
    expect(low.band).toBe('cold');
    expect(low.reasonsDown.map((r) => r.field)).toContain('engagement');
    expect(high.reasonsUp[0]?.field).toBe('engagement');
  });

  it('treats missing, negative or non-finite inputs as none', () => {
    const s = priorScore({ completeness: Number.NaN, engagementCount: -3, source: null });
    const expected = PRIOR_WEIGHTS.source * (PRIOR_SOURCE_QUALITY.default ?? 0);
    expect(s.score).toBe(Math.round(expected));
  });
});

describe('isReadyToTrain', () => {
  it('needs the minimum count of both outcomes', () => {
    const make = (yes: number, no: number) => [
      ...Array<boolean>(yes).fill(true),
      ...Array<boolean>(no).fill(false),
    ];
    expect(isReadyToTrain(make(MIN_OUTCOMES_PER_CLASS, MIN_OUTCOMES_PER_CLASS))).toBe(true);
    expect(isReadyToTrain(make(MIN_OUTCOMES_PER_CLASS - 1, 1000))).toBe(false);
    expect(isReadyToTrain([])).toBe(false);
  });
});
