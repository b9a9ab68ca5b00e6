import { useQuery } from '@tanstack/react-query';
import { Command } from 'cmdk';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/client';
import type { SearchHit } from '../api/types';
import { toggleTheme } from '../lib/theme';
import { NAV } from './nav';

/** Ctrl/⌘-K: jump to any page, search records, toggle the theme, log out. */
export function CommandPalette({ open, onOpenChange, onLogout }: { open: boolean; onOpenChange: (open: boolean) => void; onLogout: () => void }) {
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const hits = useQuery({
    queryKey: ['search', q],
    queryFn: () => api<{ data: SearchHit[] }>('GET', `/search?q=${encodeURIComponent(q)}&limit=8`),
    enabled: q.trim().length >= 2,
  });
  useEffect(() => {
    if (!open) setQ('');
  }, [open]);
  const go = (path: string) => {
    onOpenChange(false);
    void navigate(path);
  };
  return (
    <Command.Dialog open={open} onOpenChange={onOpenChange} label="Command palette" shouldFilter={q.trim().length < 2} data-testid="command-palette"
      overlayClassName="fixed inset-0 z-40 bg-black/40"
      contentClassName="fixed left-1/2 top-[14vh] z-50 w-[min(92vw,36rem)] -translate-x-1/2 overflow-hidden rounded-lg border border-line bg-panel shadow-2xl">
      <Command.Input value={q} onValueChange={setQ} placeholder="Search records or type a command…" className="h-12 w-full border-b border-line bg-transparent px-4 text-sm text-ink outline-none" />
      <Command.List className="max-h-80 overflow-y-auto p-2 text-sm">
        <Command.Empty className="px-3 py-6 text-center text-ink-soft">{hits.isFetching ? 'Searching…' : 'Nothing found. Try another name, email or company.'}</Command.Empty>
        {hits.data?.data.length ? (
          <Command.Group heading="Records" className="text-xs text-ink-soft">
            {hits.data.data.map((h) => (
              <Command.Item key={`${h.type}:${h.id}`} value={`${h.title} ${h.id}`} onSelect={() => go(`/${h.type}/${h.id}`)} className="flex cursor-pointer justify-between rounded px-3 py-2 text-ink aria-selected:bg-accent-soft">
                <span>{h.title}</span>
                <span className="text-xs text-ink-soft">{h.subtitle ?? h.type}</span>
              </Command.Item>
            ))}
          </Command.Group>
        ) : null}
        <Command.Group heading="Go to" className="text-xs text-ink-soft">
          {NAV.map((n) => (
            <Command.Item key={n.path} onSelect={() => go(n.path)} className="cursor-pointer rounded px-3 py-2 text-ink aria-selected:bg-accent-soft">
              {n.label}
            </Command.Item>
          ))}
        </Command.Group>
        <Command.Group heading="Actions" className="text-xs text-ink-soft">
          <Command.Item onSelect={() => (toggleTheme(), onOpenChange(false))} className="cursor-pointer rounded px-3 py-2 text-ink aria-selected:bg-accent-soft">
            Toggle dark mode
          </Command.Item>
          <Command.Item onSelect={() => (onOpenChange(false), onLogout())} className="cursor-pointer rounded px-3 py-2 text-ink aria-selected:bg-accent-soft">
            Log out
          </Command.Item>
        </Command.Group>
      </Command.List>
    </Command.Dialog>
  );
}
