import { useQueries } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { keys } from '../../api/keys';
import { listTasks } from '../../api/tasks';
import { Card, EmptyState, Skeleton } from '../../components/ui';
import { homeTaskParams, type DueBucket } from '../tasks/task-filters';
import { TaskRow } from '../tasks/task-row';
import { useCompleteTask } from '../tasks/use-complete-task';
import { useNow } from '../tasks/use-now';
import { CardHeading } from './card-heading';

/** Each group, and the Tasks page view that lists all of it. */
const GROUPS: Array<{ bucket: DueBucket; label: string; due: string }> = [
  { bucket: 'overdue', label: 'Overdue', due: 'overdue' },
  { bucket: 'today', label: 'Later today', due: 'today' },
  { bucket: 'upcoming', label: 'Next 7 days', due: 'week' },
];

/** My open tasks on Home: overdue, the rest of today and the coming week, a few each. */
export function MyTasksCard() {
  const now = useNow();
  // Asked once per visit: the groups' boundaries must not move (and refetch) with the clock.
  const params = useMemo(() => homeTaskParams(new Date()), []);
  const complete = useCompleteTask();
  const lists = useQueries({
    queries: GROUPS.map((g) => ({
      queryKey: keys.tasks.list(params[g.bucket]),
      queryFn: () => listTasks(params[g.bucket]),
    })),
  });
  const pending = lists.some((l) => l.isPending);
  const shown = GROUPS.map((g, i) => ({ ...g, page: lists[i]?.data })).filter(
    (g) => g.page && g.page.data.length > 0,
  );
  return (
    <Card className="p-4">
      <CardHeading title="My tasks" to="/tasks" linkLabel="All tasks" />
      {pending ? (
        <Skeleton rows={3} />
      ) : shown.length === 0 ? (
        <EmptyState
          title="Nothing due this week"
          body="Plan your next step with a client: a call to make, a proposal to send."
          action={
            <Link
              to="/tasks?new=1"
              className="inline-flex items-center gap-1 text-sm font-medium text-accent hover:underline"
            >
              <Plus size={14} /> New task
            </Link>
          }
        />
      ) : (
        <div className="space-y-3" data-testid="home-tasks">
          {shown.map((g) => (
            <section key={g.bucket} aria-label={g.label} data-testid={`home-tasks-${g.bucket}`}>
              <h3 className="flex items-baseline justify-between px-2 text-xs font-medium uppercase tracking-wide text-ink-soft">
                <span className={g.bucket === 'overdue' ? 'text-danger' : undefined}>
                  {g.label}
                </span>
                <Link
                  to={`/tasks?due=${g.due}`}
                  className="normal-case tracking-normal text-accent hover:underline"
                  data-testid={`home-tasks-${g.bucket}-count`}
                  aria-label={`All ${g.label.toLowerCase()} tasks: ${g.page?.meta.total ?? g.page?.data.length}`}
                >
                  {g.page?.meta.total ?? g.page?.data.length}
                </Link>
              </h3>
              <ul className="divide-y divide-line">
                {g.page?.data.map((task) => (
                  <TaskRow key={task.id} task={task} now={now} onToggle={complete} />
                ))}
              </ul>
            </section>
          ))}
        </div>
      )}
    </Card>
  );
}
