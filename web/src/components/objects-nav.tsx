import { NavLink } from 'react-router';
import { useObjects } from '../api/use-objects';
import { cn } from '../lib/cn';
import { objectsWithoutPage } from './nav';
import { ObjectIcon } from './object-icons';

/**
 * The sidebar's "Objects" group: the objects with no page of their own in the navigation above
 * (custom objects, notes, …), each opening its generic list. Hidden while there are none.
 */
export function ObjectsNav({ onNavigate }: { onNavigate: () => void }) {
  const objects = useObjects();
  const listed = objectsWithoutPage(objects.data ?? []);
  if (listed.length === 0) return null;
  return (
    <nav aria-label="Objects" className="mt-4 space-y-0.5" data-testid="objects-nav">
      <p className="px-2 pb-1 text-xs font-medium uppercase tracking-wide text-ink-soft">Objects</p>
      {listed.map((o) => (
        <NavLink
          key={o.key}
          to={`/${o.resource}`}
          data-testid={`nav-object-${o.key}`}
          onClick={onNavigate}
          className={({ isActive }) =>
            cn(
              'flex items-center gap-2 rounded-md px-2 py-1.5 text-sm',
              isActive
                ? 'bg-accent-soft font-medium text-accent'
                : 'text-ink-soft hover:bg-muted hover:text-ink',
            )
          }
        >
          <ObjectIcon name={o.icon} />
          {o.labels.plural}
        </NavLink>
      ))}
    </nav>
  );
}
