import { describe, expect, it } from 'vitest';
import { EVENT_PATTERN, matchesAny, matchesPattern } from './event-patterns.js';

describe('event type patterns', () => {
  it("matches everything, a resource's verbs, or one exact type", () => {
    expect(matchesPattern('*', 'deal.stage_changed')).toBe(true);
    expect(matchesPattern('deal.*', 'deal.stage_changed')).toBe(true);
    expect(matchesPattern('deal.*', 'deal.created')).toBe(true);
    expect(matchesPattern('deal.*', 'dealer.created')).toBe(false);
    expect(matchesPattern('deal.*', 'contact.created')).toBe(false);
    expect(matchesPattern('contact.created', 'contact.created')).toBe(true);
    expect(matchesPattern('contact.created', 'contact.updated')).toBe(false);
    expect(matchesAny(['contact.created', 'company.*'], 'company.updated')).toBe(true);
    expect(matchesAny(['contact.created', 'company.*'], 'contact.updated')).toBe(false);
  });

  it('accepts only well-formed patterns', () => {
    for (const ok of [
      '*',
      'deal.*',
      'contact.created',
      'deal.stage_changed',
      'email-template.created',
    ])
      expect(EVENT_PATTERN.test(ok), ok).toBe(true);
    for (const bad of [
      '',
      '**',
      'deal',
      'deal.',
      '*.created',
      'Deal.created',
      'deal.created.x',
      'deal.*.x',
      ' deal.created',
    ])
      expect(EVENT_PATTERN.test(bad), bad).toBe(false);
  });
});
