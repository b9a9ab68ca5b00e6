import { Columns3, List } from 'lucide-react';
import { Link } from 'react-router';
import { cn } from '../../lib/cn';

/** The two views of the deals page. */
export type DealsView = 'board' | 'list';

/** Board and list, one link each, carrying the filters across (`search`, without the `?`). */
export function ViewToggle({ view, search }: { view: DealsView; search: string }) {
  const items = [
    { view: 'board', to: '/deals', label: 'Board', Icon: Columns3 },
    { view: 'list', to: '/deals/list', label: 'List', Icon: List },
  ] as const;
  return (
    <nav aria-label="Deals view" className="flex rounded-md border border-line bg-panel p-0.5">
      {items.map(({ view: v, to, label, Icon }) => (
        <Link
          key={v}
          to={{ pathname: to, search }}
          aria-current={view === v ? 'page' : undefined}
          data-testid={`view-${v}`}
          className={cn(
            'flex items-center gap-1.5 rounded px-2.5 py-1 text-sm',
            view === v ? 'bg-accent-soft font-medium text-accent' : 'text-ink-soft hover:text-ink',
          )}
        >
          <Icon aria-hidden className="size-4" />
          {label}
        </Link>
      ))}
    </nav>
  );
}
