import { describe, expect, it } from 'vitest';
import { objectsWithoutPage } from './nav';

describe('the objects group of the sidebar', () => {
  it('lists the objects the main navigation has no page for, custom or built-in', () => {
    const objects = [
      { key: 'contact', resource: 'contacts', custom: false },
      { key: 'deal', resource: 'deals', custom: false },
      { key: 'note', resource: 'notes', custom: false },
      { key: 'project', resource: 'projects', custom: true },
    ];
    expect(objectsWithoutPage(objects).map((o) => o.key)).toEqual(['note', 'project']);
  });
});
