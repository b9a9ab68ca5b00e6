import { describe, expect, it } from 'vitest';
import { matchesQuery, paletteEntries } from './palette-entries';

const PAGES = [
  { path: '/', label: 'Home' },
  { path: '/contacts', label: 'Contacts' },
  { path: '/sales', label: 'Sales dashboard' },
  { path: '/settings/profile', label: 'Settings' },
];
const ACTIONS = [
  { key: 'theme', label: 'Toggle dark mode' },
  { key: 'logout', label: 'Log out' },
];

describe('the command palette rows', () => {
  it('puts the found record first, so Enter opens it rather than Home', () => {
    const rows = paletteEntries(
      'acme labs',
      [{ type: 'companies', id: 'c1', title: 'Acme Labs', subtitle: 'acme.example' }],
      PAGES,
      ACTIONS,
    );
    expect(rows[0]).toMatchObject({ value: 'record:companies:c1', label: 'Acme Labs' });
    expect(rows.map((r) => r.label)).not.toContain('Home');
  });

  it('answers "settings" with the Settings page, not the sales dashboard', () => {
    const rows = paletteEntries(
      'settings',
      [{ type: 'contacts', id: 'p1', title: 'Settings Person' }],
      PAGES,
      ACTIONS,
    );
    expect(rows[0]).toMatchObject({ value: 'page:/settings/profile' });
    expect(rows.map((r) => r.label)).not.toContain('Sales dashboard');
  });

  it('shows every page and action for an empty query, and no records', () => {
    const rows = paletteEntries('', [{ type: 'contacts', id: 'x', title: 'X' }], PAGES, ACTIONS);
    expect(rows.map((r) => r.group)).toEqual([
      'Go to',
      'Go to',
      'Go to',
      'Go to',
      'Actions',
      'Actions',
    ]);
  });

  it('matches word starts in any order of words typed', () => {
    expect(matchesQuery('Sales dashboard', 'sales dash')).toBe(true);
    expect(matchesQuery('Sales dashboard', 'dash')).toBe(true);
    expect(matchesQuery('Sales dashboard', 'ales')).toBe(false);
    expect(matchesQuery('Toggle dark mode', 'dark')).toBe(true);
  });
});
