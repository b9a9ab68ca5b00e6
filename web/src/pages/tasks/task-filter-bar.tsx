import { cn } from '../../lib/cn';
import { DUE_FILTERS, type DueFilter, type TaskScope } from './task-filters';

const SEGMENT =
  'h-8 rounded px-3 text-sm font-medium transition-colors aria-pressed:bg-panel aria-pressed:text-ink aria-pressed:shadow-sm';

/** The Tasks page's toggles: whose tasks (mine or my teams'), and which by due date. */
export function TaskFilterBar({
  due,
  scope,
  onDue,
  onScope,
}: {
  due: DueFilter;
  scope: TaskScope;
  onDue: (due: DueFilter) => void;
  onScope: (scope: TaskScope) => void;
}) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <div role="group" aria-label="Whose tasks" className="flex rounded-md bg-muted p-0.5">
        {(
          [
            ['me', 'Mine'],
            ['team', 'Team'],
          ] as const
        ).map(([key, label]) => (
          <button
            key={key}
            type="button"
            data-testid={`task-scope-${key}`}
            aria-pressed={scope === key}
            onClick={() => onScope(key)}
            className={cn(SEGMENT, 'text-ink-soft hover:text-ink')}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="group" aria-label="Due" className="flex flex-wrap gap-1">
        {DUE_FILTERS.map((f) => (
          <button
            key={f.key}
            type="button"
            data-testid={`task-filter-${f.key}`}
            aria-pressed={due === f.key}
            onClick={() => onDue(f.key)}
            className={cn(
              'h-8 rounded-full border px-3 text-sm',
              due === f.key
                ? 'border-accent bg-accent-soft font-medium text-accent'
                : 'border-line text-ink-soft hover:bg-muted hover:text-ink',
            )}
          >
            {f.label}
          </button>
        ))}
      </div>
    </div>
  );
}
