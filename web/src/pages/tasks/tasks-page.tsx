import { Plus } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { Task } from '../../api/tasks';
import { Button, Card, EmptyState, PageHeader, Skeleton } from '../../components/ui';
import { firstDayOfWeek } from '../../lib/dates';
import { useUsers } from '../../lib/use-users';
import { NewTaskDialog } from './new-task-dialog';
import { DUE_FILTERS, isDueFilter, taskListParams, type DueFilter } from './task-filters';
import { TaskFilterBar } from './task-filter-bar';
import { TaskRow } from './task-row';
import { useCompleteTask } from './use-complete-task';
import { useNow } from './use-now';
import { useTaskList } from './use-task-list';
import { useTaskShortcuts } from './use-task-shortcuts';

/** What an empty view says, and whether it offers to add a task. */
const EMPTY: Record<DueFilter, { title: string; body: string }> = {
  open: {
    title: 'No open tasks',
    body: 'Add a task for your next step with a client: a call to make, a proposal to send.',
  },
  overdue: { title: 'Nothing overdue', body: 'Every open task is due later, or has no date.' },
  today: {
    title: 'Nothing due today',
    body: 'Add a task for today, or look at what is due this week.',
  },
  week: { title: 'Nothing due this week', body: 'Add a task with a due date to plan the week.' },
  none: { title: 'Every open task has a due date', body: 'Tasks without a date show up here.' },
  done: { title: 'No finished tasks yet', body: 'Tick a task off in any list and it moves here.' },
};

const KBD = 'rounded border border-line bg-muted px-1 text-[11px] text-ink';

/** `/tasks`: my (or my teams') tasks by due date; tick off in place, add, and move with the keys. */
export default function TasksPage() {
  const [params, setParams] = useSearchParams();
  const due: DueFilter = isDueFilter(params.get('due')) ? (params.get('due') as DueFilter) : 'open';
  const scope = params.get('scope') === 'team' ? 'team' : 'me';
  const creating = params.get('new') === '1';
  const now = useNow();
  // The request's "now" stays put while the view does: a ticking clock would refetch every minute.
  const asked = useMemo(() => new Date(), [due, scope]);
  const segments = useMemo(
    () => taskListParams(due, scope, asked, firstDayOfWeek()),
    [due, scope, asked],
  );
  const list = useTaskList(segments);
  const { nameOf } = useUsers();
  const complete = useCompleteTask();
  const [active, setActive] = useState(-1);
  const rows = useRef<Array<HTMLLIElement | null>>([]);

  const setParam = useCallback(
    (key: string, value: string | null) =>
      setParams(
        (p) => {
          const next = new URLSearchParams(p);
          if (value === null) next.delete(key);
          else next.set(key, value);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  useEffect(() => setActive(-1), [due, scope]);

  const moveTo = useCallback((index: number) => {
    setActive(index);
    rows.current[index]?.focus();
  }, []);
  const toggleAt = useCallback(
    (index: number) => {
      const task = list.tasks[index];
      if (task) complete(task, task.status !== 'done');
    },
    [list.tasks, complete],
  );
  const openNew = useCallback(() => setParam('new', '1'), [setParam]);
  useTaskShortcuts({
    count: list.tasks.length,
    active,
    setActive: moveTo,
    onToggle: toggleAt,
    onNew: openNew,
  });

  const empty = EMPTY[due];
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader
        title="Tasks"
        description={scope === 'me' ? 'Tasks assigned to you.' : 'Tasks of everyone in your teams.'}
        actions={
          <Button onClick={openNew} data-testid="new-task">
            <Plus size={15} /> New task
          </Button>
        }
      />
      <TaskFilterBar
        due={due}
        scope={scope}
        onDue={(d) => setParam('due', d === 'open' ? null : d)}
        onScope={(s) => setParam('scope', s === 'me' ? null : s)}
      />
      <p className="mt-2 hidden text-xs text-ink-soft sm:block" data-testid="task-shortcuts">
        Keys: <kbd className={KBD}>j</kbd> <kbd className={KBD}>k</kbd> move ·{' '}
        <kbd className={KBD}>x</kbd> complete or reopen · <kbd className={KBD}>n</kbd> new task ·{' '}
        <kbd className={KBD}>?</kbd> all shortcuts
      </p>
      <Card className="mt-3 p-2">
        {list.isPending ? (
          <Skeleton rows={5} />
        ) : list.tasks.length === 0 ? (
          <EmptyState
            title={empty.title}
            body={empty.body}
            action={
              due === 'done' ? null : (
                <Button onClick={openNew} variant="secondary">
                  <Plus size={15} /> New task
                </Button>
              )
            }
          />
        ) : (
          <ul
            aria-label={`${DUE_FILTERS.find((f) => f.key === due)?.label ?? ''} tasks`}
            data-testid="task-list"
            className="divide-y divide-line"
          >
            {list.tasks.map((task: Task, i) => (
              <TaskRow
                key={task.id}
                ref={(el) => {
                  rows.current[i] = el;
                }}
                task={task}
                now={now}
                active={i === active}
                onFocus={() => setActive(i)}
                onToggle={complete}
                assignee={scope === 'team' ? nameOf(task.assigneeId) : null}
              />
            ))}
          </ul>
        )}
        {list.hasMore ? (
          <div className="p-2 text-center">
            <Button
              variant="secondary"
              size="sm"
              onClick={list.loadMore}
              disabled={list.isLoadingMore}
            >
              {list.isLoadingMore ? 'Loading…' : 'Load more'}
            </Button>
          </div>
        ) : null}
      </Card>
      <NewTaskDialog open={creating} onOpenChange={(o) => setParam('new', o ? '1' : null)} />
    </div>
  );
}
