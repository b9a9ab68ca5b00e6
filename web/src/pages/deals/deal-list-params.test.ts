import { describe, expect, it } from 'vitest';
import { boardSearch, withoutNumber } from './deal-list-params';

describe('deal list parameters', () => {
  it('carries the board its own words, from the URL as linked or as the list rewrote it', () => {
    const linked = new URLSearchParams(
      'title=Best&owners=u1,u2&stages=s1&expectedFrom=2026-01-01&expectedTo=2026-04-01&q=acme',
    );
    expect(boardSearch(linked)).toBe('q=acme&owners=u1%2Cu2');
    const rewritten = new URLSearchParams(
      'filter[pipelineId]=p1&filter[expectedCloseDate][lte]=2026-03-31&filter[stageId][in]=s1',
    );
    expect(boardSearch(rewritten)).toBe('pipeline=p1&closeTo=2026-03-31');
  });

  it('drops only the number, keeping the filters a person chose', () => {
    expect(withoutNumber(new URLSearchParams('title=Best&owners=u1&stages=s1&q=acme'))).toBe(
      'owners=u1&q=acme',
    );
  });
});
