import { useQuery } from '@tanstack/react-query';
import { Command } from 'cmdk';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { http, unwrap } from '../api/http';
import { keys } from '../api/keys';
import { can, useMe } from '../api/session';
import { toggleTheme } from '../lib/theme';
import { useObjects } from '../api/use-objects';
import { NAV, objectsWithoutPage } from './nav';
import { paletteEntries, type PaletteEntry } from './palette-entries';
import { SETTINGS_SECTIONS } from './settings-sections';

const ACTIONS = [
  { key: 'new-task', label: 'New task' },
  { key: 'theme', label: 'Toggle dark mode' },
  { key: 'logout', label: 'Log out' },
];
const ITEM =
  'flex cursor-pointer justify-between rounded px-3 py-2 text-ink aria-selected:bg-accent-soft';

/** Ctrl/⌘-K: jump to any page, search records, toggle the theme, log out. */
export function CommandPalette({
  open,
  onOpenChange,
  onLogout,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onLogout: () => void;
}) {
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [selected, setSelected] = useState('');
  const hits = useQuery({
    queryKey: keys.search(q),
    // Passing the signal lets TanStack Query abort the previous keystroke's request when the
    // next one replaces it; the server then stops that search between statements.
    queryFn: ({ signal }) =>
      unwrap(http.GET('/api/v1/search', { params: { query: { q, limit: 8 } }, signal })),
    enabled: q.trim().length >= 2,
  });
  // The palette filters and orders its rows itself (cmdk's own filter knows nothing of search hits).
  const objects = useObjects();
  // Objects without a page of their own (custom objects, notes) are pages too, as in the sidebar.
  // Every settings page is a page too ("Settings: Pipelines"); what the user cannot open is left out.
  const me = useMe().data;
  const pages = useMemo(() => {
    const allowed = (p: { permission?: string }) =>
      !p.permission || (me ? can(me, p.permission) : false);
    const all = [
      ...NAV.filter(allowed),
      ...objectsWithoutPage(objects.data ?? []).map((o) => ({
        path: `/${o.resource}`,
        label: o.labels.plural,
      })),
      ...SETTINGS_SECTIONS.filter(allowed).map((s) => ({
        path: `/settings/${s.path}`,
        label: `Settings: ${s.label}`,
      })),
    ];
    // One row per address: a row's value is its path ("Settings" is the profile page already).
    return all.filter((p, i) => all.findIndex((o) => o.path === p.path) === i);
  }, [objects.data, me]);
  const entries = useMemo(
    () => paletteEntries(q, hits.data?.data ?? [], pages, ACTIONS),
    [q, hits.data, pages],
  );
  useEffect(() => {
    if (!open) setQ('');
  }, [open]);
  // Enter runs the best row: select the first one whenever the rows change.
  useEffect(() => setSelected(entries[0]?.value ?? ''), [entries]);
  const run = (entry: PaletteEntry) => {
    onOpenChange(false);
    const [kind, ...rest] = entry.value.split(':');
    const target = rest.join(':');
    if (kind === 'page') void navigate(target);
    else if (kind === 'record') void navigate(`/${target.replace(':', '/')}`);
    else if (target === 'new-task') void navigate('/tasks?new=1');
    else if (target === 'theme') toggleTheme();
    else onLogout();
  };
  const groups = (['Records', 'Go to', 'Actions'] as const)
    .map((g) => ({ heading: g, rows: entries.filter((e) => e.group === g) }))
    .filter((g) => g.rows.length > 0);
  return (
    <Command.Dialog
      open={open}
      onOpenChange={onOpenChange}
      label="Command palette"
      shouldFilter={false}
      value={selected}
      onValueChange={setSelected}
      data-testid="command-palette"
      overlayClassName="fixed inset-0 z-40 bg-black/40"
      contentClassName="fixed left-1/2 top-[14vh] z-50 w-[min(92vw,36rem)] -translate-x-1/2 overflow-hidden rounded-lg border border-line bg-panel shadow-2xl"
    >
      <Command.Input
        value={q}
        onValueChange={setQ}
        placeholder="Search records or type a command…"
        className="h-12 w-full border-b border-line bg-transparent px-4 text-sm text-ink outline-none"
      />
      <Command.List className="max-h-80 overflow-y-auto p-2 text-sm">
        <Command.Empty className="px-3 py-6 text-center text-ink-soft">
          {hits.isFetching ? 'Searching…' : 'Nothing found. Try another name, email or company.'}
        </Command.Empty>
        {/* Groups are ordered by the first row they hold, so the selected first row is also the top one. */}
        {groups
          .sort(
            (a, b) =>
              entries.indexOf(a.rows[0] as PaletteEntry) -
              entries.indexOf(b.rows[0] as PaletteEntry),
          )
          .map((g) => (
            <Command.Group key={g.heading} heading={g.heading} className="text-xs text-ink-soft">
              {g.rows.map((e) => (
                <Command.Item
                  key={e.value}
                  value={e.value}
                  onSelect={() => run(e)}
                  className={ITEM}
                >
                  <span>{e.label}</span>
                  {e.hint ? <span className="text-xs text-ink-soft">{e.hint}</span> : null}
                </Command.Item>
              ))}
            </Command.Group>
          ))}
      </Command.List>
    </Command.Dialog>
  );
}
