import { forwardRef } from 'react';
import type { Task } from '../../api/tasks';
import { cn } from '../../lib/cn';
import { formatDateTime, formatRelative } from '../../lib/dates';
import { RecordName } from '../record-links';

/** The record a task is about, from its first link: resource and title field for its name. */
const LINKS = [
  ['dealId', 'deals', 'name'],
  ['ticketId', 'tickets', 'subject'],
  ['leadId', 'leads', 'name'],
  ['contactId', 'contacts', 'name'],
  ['companyId', 'companies', 'name'],
] as const;

function linkOf(task: Task): { resource: string; id: string; titleField: string } | null {
  for (const [field, resource, titleField] of LINKS) {
    const id = task[field];
    if (id) return { resource, id, titleField };
  }
  return null;
}

/** Whether an open task's due time has passed. */
export const isOverdue = (task: Task, now: Date): boolean =>
  task.status === 'open' && task.dueAt !== null && new Date(task.dueAt) < now;

/**
 * One task: a checkbox that completes it in place, its title, when it is due (relative, the exact
 * time on hover), the record it is about and, when asked, whose it is.
 */
export const TaskRow = forwardRef<
  HTMLLIElement,
  {
    task: Task;
    now: Date;
    onToggle: (task: Task, done: boolean) => void;
    /** The assignee's name, shown on team lists. */
    assignee?: string | null | undefined;
    active?: boolean;
    onFocus?: () => void;
  }
>(function TaskRow({ task, now, onToggle, assignee, active = false, onFocus }, ref) {
  const done = task.status === 'done';
  const overdue = isOverdue(task, now);
  const link = linkOf(task);
  const when = done ? task.doneAt : task.dueAt;
  return (
    <li
      ref={ref}
      tabIndex={-1}
      onFocus={onFocus}
      data-testid="task-row"
      data-task-id={task.id}
      data-status={task.status}
      aria-current={active ? 'true' : undefined}
      className={cn(
        'flex items-start gap-3 rounded-md px-2 py-2 outline-none',
        active && 'bg-accent-soft/60 ring-1 ring-accent/40',
      )}
    >
      <input
        type="checkbox"
        data-testid="task-done"
        className="mt-0.5 size-4 shrink-0 accent-[var(--accent)]"
        checked={done}
        onChange={(e) => onToggle(task, e.target.checked)}
        aria-label={done ? `Reopen task ${task.subject}` : `Mark task ${task.subject} done`}
      />
      <div className="min-w-0 flex-1">
        <p
          className={cn('truncate text-sm', done ? 'text-ink-soft line-through' : 'text-ink')}
          title={task.subject}
        >
          {task.subject}
        </p>
        <p className="mt-0.5 flex flex-wrap items-center gap-x-2 text-xs text-ink-soft">
          {when ? (
            <time
              dateTime={when}
              title={formatDateTime(when)}
              data-testid="task-due"
              className={cn(overdue && 'font-medium text-danger')}
            >
              {done ? 'Done ' : overdue ? 'Overdue, due ' : 'Due '}
              {formatRelative(when, now)}
            </time>
          ) : (
            // Tasks logged as done with no completion time (imports, demo data) say only that.
            <span>{done ? 'Done' : 'No due date'}</span>
          )}
          {link ? (
            <span className="truncate">
              · <RecordName resource={link.resource} id={link.id} titleField={link.titleField} />
            </span>
          ) : null}
          {assignee ? <span className="truncate">· {assignee}</span> : null}
        </p>
      </div>
    </li>
  );
});
