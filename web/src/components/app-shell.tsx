import { useQueryClient } from '@tanstack/react-query';
import {
  BarChart3,
  Building2,
  CopyCheck,
  Handshake,
  Home,
  Inbox,
  ListTodo,
  Lightbulb,
  LifeBuoy,
  Menu,
  Workflow,
  Moon,
  Search,
  Settings,
  Sun,
  Trash2,
  Users,
} from 'lucide-react';
import { DropdownMenu } from 'radix-ui';
import { Suspense, useEffect, useState, type ReactNode } from 'react';
import { Navigate, NavLink, Outlet, useNavigate } from 'react-router';
import { toast } from 'sonner';
import { http, unwrap } from '../api/http';
import { keys } from '../api/keys';
import { can, useMe } from '../api/session';
import { cn } from '../lib/cn';
import { NotificationBell } from './notification-bell';
import { currentTheme, toggleTheme } from '../lib/theme';
import { CommandPalette } from './command-palette';
import { NAV } from './nav';
import { ObjectsNav } from './objects-nav';
import { Dialog, Skeleton } from './ui';

const ICONS: Record<string, ReactNode> = {
  home: <Home size={16} />,
  tasks: <ListTodo size={16} />,
  contacts: <Users size={16} />,
  companies: <Building2 size={16} />,
  duplicates: <CopyCheck size={16} />,
  leads: <Inbox size={16} />,
  deals: <Handshake size={16} />,
  sales: <BarChart3 size={16} />,
  insights: <Lightbulb size={16} />,
  tickets: <LifeBuoy size={16} />,
  workflows: <Workflow size={16} />,
  trash: <Trash2 size={16} />,
  settings: <Settings size={16} />,
};

const SHORTCUTS: Array<[string, string]> = [
  ['Ctrl/⌘ K', 'Command palette and search'],
  ['g h', 'Go home'],
  ['g c', 'Go to contacts'],
  ['g t', 'Go to tasks'],
  ['g s', 'Go to settings'],
  ['n', 'New item, on pages that offer one (e.g. webhooks)'],
  ['?', 'Show these shortcuts'],
];

/** The frame of every signed-in page: sidebar, top bar, user menu, palette and shortcuts. */
export function AppShell() {
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [palette, setPalette] = useState(false);
  const [help, setHelp] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  const [dark, setDark] = useState(currentTheme() === 'dark');

  // The phone drawer closes on Escape, like the dialogs.
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setMenuOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  useEffect(() => {
    let pendingG = false;
    const onKey = (e: KeyboardEvent) => {
      const typing =
        e.target instanceof HTMLElement &&
        (e.target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.target.tagName));
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setPalette((o) => !o);
        return;
      }
      if (typing) return;
      if (e.key === '?') setHelp(true);
      else if (pendingG) {
        const target = { h: '/', c: '/contacts', t: '/tasks', s: '/settings/profile' }[e.key];
        if (target) void navigate(target);
        pendingG = false;
      } else if (e.key === 'g') {
        pendingG = true;
        setTimeout(() => (pendingG = false), 1000);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate]);

  const logout = async () => {
    try {
      await unwrap(http.POST('/api/v1/auth/logout'));
    } catch {
      toast.error('Could not reach the server; you are logged out on this device');
    }
    queryClient.setQueryData(keys.me, null);
    queryClient.clear();
    void navigate('/login');
  };

  if (me.isPending || (me.isFetching && !me.data))
    return (
      <div className="p-8">
        <Skeleton rows={6} />
      </div>
    );
  if (!me.data) return <Navigate to="/login" replace />;
  const user = me.data;

  return (
    <div className="flex min-h-screen" data-testid="app-shell">
      {/* The first stop of the keyboard: past the sidebar's links straight to the page. */}
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-accent px-3 py-2 text-sm text-on-accent focus:not-sr-only focus:fixed focus:left-3 focus:top-3"
      >
        Skip to main content
      </a>
      <aside
        className={cn(
          'fixed inset-y-0 left-0 z-30 w-56 border-r border-line bg-panel p-3 transition-[transform,visibility] md:visible md:static md:translate-x-0',
          // Closed on a phone it is hidden too, not only slid away: its links leave the tab order.
          menuOpen ? 'visible translate-x-0' : 'invisible -translate-x-full',
        )}
      >
        <div className="mb-5 flex items-center gap-2 px-2 pt-1">
          <span className="grid size-7 place-items-center rounded-md bg-accent text-sm font-bold text-on-accent">
            C
          </span>
          <span className="font-semibold text-ink">Cerebro</span>
        </div>
        <nav aria-label="Main" className="space-y-0.5">
          {NAV.filter((n) => !n.permission || can(user, n.permission)).map((n) => (
            <NavLink
              key={n.path}
              to={n.path}
              end={n.path === '/'}
              data-testid={`nav-${n.name}`}
              onClick={() => setMenuOpen(false)}
              className={({ isActive }) =>
                cn(
                  'flex items-center gap-2 rounded-md px-2 py-1.5 text-sm',
                  isActive
                    ? 'bg-accent-soft font-medium text-accent'
                    : 'text-ink-soft hover:bg-muted hover:text-ink',
                )
              }
            >
              {ICONS[n.name]}
              {n.label}
            </NavLink>
          ))}
        </nav>
        <ObjectsNav onNavigate={() => setMenuOpen(false)} />
        <p
          className="absolute bottom-3 left-3 right-3 truncate px-2 text-xs text-ink-soft"
          title={user.organization.name}
        >
          {user.organization.name}
        </p>
      </aside>
      {menuOpen ? (
        <button
          type="button"
          aria-label="Close menu"
          data-testid="close-menu"
          className="fixed inset-0 z-20 bg-black/40 md:hidden"
          onClick={() => setMenuOpen(false)}
        />
      ) : null}
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 items-center gap-2 border-b border-line bg-panel px-4">
          <button
            type="button"
            className="rounded p-1.5 text-ink-soft hover:bg-muted md:hidden"
            aria-label="Open menu"
            onClick={() => setMenuOpen((o) => !o)}
          >
            <Menu size={18} />
          </button>
          <button
            type="button"
            onClick={() => setPalette(true)}
            data-testid="open-command-palette"
            className="flex h-9 w-full max-w-md items-center gap-2 rounded-md border border-line bg-surface px-3 text-sm text-ink-soft hover:border-accent/40"
          >
            <Search size={15} /> Search or jump to…{' '}
            <kbd className="ml-auto rounded border border-line px-1.5 text-[10px]">Ctrl K</kbd>
          </button>
          <div className="ml-auto flex items-center gap-1">
            <NotificationBell />
            <button
              type="button"
              className="rounded p-2 text-ink-soft hover:bg-muted"
              aria-label="Toggle dark mode"
              data-testid="theme-toggle"
              onClick={() => (toggleTheme(), setDark(!dark))}
            >
              {dark ? <Sun size={16} /> : <Moon size={16} />}
            </button>
            <DropdownMenu.Root>
              <DropdownMenu.Trigger
                data-testid="user-menu"
                className="flex items-center gap-2 rounded-md px-2 py-1.5 text-sm text-ink hover:bg-muted"
              >
                <span className="grid size-7 place-items-center rounded-full bg-accent-soft text-xs font-semibold text-accent">
                  {user.user.name.slice(0, 1).toUpperCase()}
                </span>
                <span className="hidden sm:inline">{user.user.name}</span>
              </DropdownMenu.Trigger>
              <DropdownMenu.Portal>
                <DropdownMenu.Content
                  align="end"
                  sideOffset={6}
                  className="z-50 min-w-48 rounded-md border border-line bg-panel p-1 text-sm shadow-lg"
                >
                  <DropdownMenu.Label className="px-2 py-1.5 text-xs text-ink-soft">
                    {user.user.email}
                  </DropdownMenu.Label>
                  <DropdownMenu.Item
                    className="cursor-pointer rounded px-2 py-1.5 text-ink outline-none data-[highlighted]:bg-muted"
                    onSelect={() => void navigate('/settings/profile')}
                  >
                    Profile and security
                  </DropdownMenu.Item>
                  <DropdownMenu.Item
                    className="cursor-pointer rounded px-2 py-1.5 text-ink outline-none data-[highlighted]:bg-muted"
                    onSelect={() => setHelp(true)}
                  >
                    Keyboard shortcuts
                  </DropdownMenu.Item>
                  <DropdownMenu.Separator className="my-1 h-px bg-line" />
                  <DropdownMenu.Item
                    data-testid="logout"
                    className="cursor-pointer rounded px-2 py-1.5 text-danger outline-none data-[highlighted]:bg-muted"
                    onSelect={() => void logout()}
                  >
                    Log out
                  </DropdownMenu.Item>
                </DropdownMenu.Content>
              </DropdownMenu.Portal>
            </DropdownMenu.Root>
          </div>
        </header>
        <main id="main" tabIndex={-1} className="flex-1 p-4 outline-none md:p-6">
          <Suspense fallback={<Skeleton rows={6} />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
      <CommandPalette open={palette} onOpenChange={setPalette} onLogout={() => void logout()} />
      <Dialog open={help} onOpenChange={setHelp} title="Keyboard shortcuts">
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          {SHORTCUTS.map(([k, v]) => (
            <div key={k} className="contents">
              <dt>
                <kbd className="rounded border border-line bg-muted px-1.5 py-0.5 text-xs">{k}</kbd>
              </dt>
              <dd className="text-ink-soft">{v}</dd>
            </div>
          ))}
        </dl>
      </Dialog>
    </div>
  );
}
