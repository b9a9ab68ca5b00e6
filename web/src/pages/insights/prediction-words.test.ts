import { describe, expect, it } from 'vitest';
import { metric, percent, reasonChip, recordPath } from './prediction-words';

describe('the words of the predictions pages', () => {
  it('shows a reason as its label and signed, rounded points', () => {
    expect(reasonChip({ field: 'source', label: 'source = Referral', points: 17.6 })).toBe(
      'source = Referral +18',
    );
    expect(reasonChip({ field: 'email', label: 'email is missing', points: -4.2 })).toBe(
      'email is missing −4',
    );
  });

  it('links a scored lead or deal to its own page', () => {
    expect(recordPath('lead', 'a1')).toBe('/leads/a1');
    expect(recordPath('deal', 'd1')).toBe('/deals/d1');
    expect(recordPath('company', 'c1')).toBe('/companies/c1');
  });

  it('formats rates and metrics, with a dash for what is not measured yet', () => {
    expect(percent(0.125)).toBe('12.5%');
    expect(percent(null)).toBe('—');
    expect(metric(0.81234)).toBe('0.812');
    expect(metric(null)).toBe('—');
  });
});
