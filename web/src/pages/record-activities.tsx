import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Bell } from 'lucide-react';
import { Tabs } from 'radix-ui';
import { ApiError } from '../api/client';
import { http, ifMatch, plainQuery, unwrap } from '../api/http';
import type { Activity, TimelineEntry } from '../api/types';
import { activitiesKey, type ActivityTarget } from './activity-composer';
import { Badge, Card, EmptyState, formatDate, Skeleton } from '../components/ui';
import { showApiError } from '../lib/form-errors';
import { useUsers } from '../lib/use-users';
import { toast } from 'sonner';

const isOpenTask = (a: Activity) => a.type === 'task' && a.status === 'open';
const time = (iso: string | null) => (iso ? new Date(iso).getTime() : 0);

/** Open tasks first, the soonest due on top (undated ones after them); then everything else, newest first. */
export function orderActivities(list: readonly Activity[]): Activity[] {
  return [...list].sort((a, b) => {
    if (isOpenTask(a) !== isOpenTask(b)) return isOpenTask(a) ? -1 : 1;
    if (isOpenTask(a)) {
      if (Boolean(a.dueAt) !== Boolean(b.dueAt)) return a.dueAt ? -1 : 1;
      return time(a.dueAt) - time(b.dueAt);
    }
    return time(b.doneAt ?? b.createdAt) - time(a.doneAt ?? a.createdAt);
  });
}

function ActivityItem({ activity, onChanged }: { activity: Activity; onChanged: () => void }) {
  const task = activity.type === 'task';
  const overdue =
    isOpenTask(activity) && activity.dueAt !== null && time(activity.dueAt) < Date.now();
  const toggle = async (done: boolean) => {
    try {
      await unwrap(
        http.PATCH('/api/v1/activities/{id}', {
          params: { path: { id: activity.id } },
          headers: ifMatch(activity.version),
          body: { status: done ? 'done' : 'open' },
        }),
      );
    } catch (e) {
      if (e instanceof ApiError && e.status === 412)
        toast.error('This task changed meanwhile; the latest version is now shown.');
      else showApiError(e);
    }
    onChanged();
  };
  return (
    <li className="flex gap-3 py-2.5" data-testid="activity-item">
      {task ? (
        <input
          type="checkbox"
          className="mt-0.5 size-4 shrink-0 accent-[var(--accent)]"
          checked={activity.status === 'done'}
          onChange={(e) => void toggle(e.target.checked)}
          aria-label={
            activity.status === 'done'
              ? `Reopen task ${activity.subject}`
              : `Mark task ${activity.subject} done`
          }
        />
      ) : (
        <span className="mt-1.5 size-2 shrink-0 rounded-full bg-accent/60" aria-hidden />
      )}
      <div className="min-w-0 flex-1 text-sm">
        <p className="flex flex-wrap items-center gap-1.5 text-ink">
          <Badge tone={task ? 'accent' : 'neutral'}>{activity.type}</Badge>
          <span
            className={
              activity.status === 'done' && task ? 'text-ink-soft line-through' : 'font-medium'
            }
          >
            {activity.subject}
          </span>
          {overdue ? <Badge tone="danger">Overdue</Badge> : null}
          {activity.status === 'canceled' ? <Badge>canceled</Badge> : null}
        </p>
        {activity.body ? (
          <p className="mt-0.5 line-clamp-3 whitespace-pre-wrap text-ink-soft">{activity.body}</p>
        ) : null}
        <p className="mt-0.5 flex flex-wrap gap-x-3 text-xs text-ink-soft">
          {isOpenTask(activity) ? (
            <span>{activity.dueAt ? `Due ${formatDate(activity.dueAt)}` : 'No due date'}</span>
          ) : (
            <span>{formatDate(activity.doneAt ?? activity.createdAt)}</span>
          )}
          {isOpenTask(activity) && activity.remindAt ? (
            <span className="inline-flex items-center gap-1">
              <Bell size={11} aria-hidden />
              Reminder {formatDate(activity.remindAt)}
            </span>
          ) : null}
        </p>
      </div>
    </li>
  );
}

const fieldNames = (diff: unknown): string => {
  if (!diff || typeof diff !== 'object') return '';
  const keys = Object.keys(diff).flatMap((k) => {
    const v = (diff as Record<string, unknown>)[k];
    // Custom fields change as one `customFields` entry holding every value; name the ones that differ.
    if (k === 'customFields' && v && typeof v === 'object' && 'from' in v && 'to' in v) {
      const from = (v.from ?? {}) as Record<string, unknown>;
      const to = (v.to ?? {}) as Record<string, unknown>;
      return [...new Set([...Object.keys(from), ...Object.keys(to)])].filter(
        (c) => JSON.stringify(from[c]) !== JSON.stringify(to[c]),
      );
    }
    return [k];
  });
  return keys.length && keys.length <= 6 ? keys.join(', ') : '';
};

function TimelineItem({ entry, actorName }: { entry: TimelineEntry; actorName: string | null }) {
  const d = entry.data;
  const action =
    typeof d.action === 'string' ? d.action.split('.').slice(1).join(' ').replace(/_/g, ' ') : '';
  const fields = fieldNames(d.diff);
  return (
    <li className="border-l-2 border-line py-1 pl-3 text-sm">
      <p className="text-xs text-ink-soft">
        {formatDate(entry.occurredAt)}
        {actorName ? ` · ${actorName}` : ''}
      </p>
      {entry.kind === 'activity' ? (
        <p className="text-ink">
          <Badge>{typeof d.type === 'string' ? d.type : 'activity'}</Badge>{' '}
          {typeof d.subject === 'string' ? d.subject : ''}
        </p>
      ) : (
        <p className="text-ink-soft">
          {action ? action[0]?.toUpperCase() + action.slice(1) : 'Changed'}
          {fields ? `: ${fields}` : ''}
        </p>
      )}
    </li>
  );
}

/**
 * A record's activities and tasks (open tasks by due date on top) and, in a second tab, its full
 * history: activities plus field changes from the audit log (for records with a timeline endpoint).
 */
export function RecordActivities({
  target,
  timelineKey,
  timelineOf,
}: {
  /** The record whose activities these are, of any object. */
  target: ActivityTarget;
  timelineKey: readonly unknown[];
  /** The record whose history the second tab shows, for objects with a timeline endpoint. */
  timelineOf?: { resource: string; id: string };
}) {
  const queryClient = useQueryClient();
  const { nameOf } = useUsers();
  const activities = useQuery({
    queryKey: activitiesKey(target),
    queryFn: () =>
      unwrap(
        http.GET('/api/v1/activities', {
          params: {
            query: {
              'filter[linkedTo]': `${target.objectType}:${target.recordId}`,
              limit: '100',
              sort: '-createdAt',
            },
          },
          querySerializer: plainQuery,
        }),
      ),
  });
  const timeline = useQuery({
    queryKey: timelineKey,
    queryFn: () =>
      unwrap(
        http.GET('/api/v1/{resource}/{id}/timeline', {
          params: {
            path: { resource: timelineOf?.resource ?? '', id: timelineOf?.id ?? '' },
            query: { limit: 50 },
          },
        }),
      ),
    enabled: timelineOf !== undefined,
  });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: activitiesKey(target) });
    void queryClient.invalidateQueries({ queryKey: timelineKey });
  };
  const ordered = orderActivities(activities.data?.data ?? []);
  const openTasks = ordered.filter(isOpenTask).length;
  const tab =
    'rounded-md px-2.5 py-1 text-sm text-ink-soft data-[state=active]:bg-accent-soft data-[state=active]:font-medium data-[state=active]:text-accent';
  return (
    <Card className="p-4">
      <Tabs.Root defaultValue="activities">
        <Tabs.List aria-label="Activities and history" className="mb-2 flex gap-1">
          <Tabs.Trigger value="activities" className={tab}>
            Activities and tasks{openTasks ? ` (${openTasks} open)` : ''}
          </Tabs.Trigger>
          {timelineOf ? (
            <Tabs.Trigger value="history" className={tab}>
              History
            </Tabs.Trigger>
          ) : null}
        </Tabs.List>
        <Tabs.Content value="activities">
          {activities.isPending ? (
            <Skeleton rows={3} />
          ) : ordered.length === 0 ? (
            <EmptyState
              title="Nothing logged yet"
              body="Use the form above to log a call, meeting, email or note, or to add a task with a due date."
            />
          ) : (
            <ul className="divide-y divide-line" data-testid="activities-list">
              {ordered.map((a) => (
                <ActivityItem key={a.id} activity={a} onChanged={refresh} />
              ))}
            </ul>
          )}
        </Tabs.Content>
        <Tabs.Content value="history">
          {timeline.isPending ? (
            <Skeleton rows={3} />
          ) : !timeline.data?.data.length ? (
            <EmptyState
              title="No history yet"
              body="Edits, merges and activities appear here as they happen."
            />
          ) : (
            <ol className="space-y-2" data-testid="timeline">
              {timeline.data.data.map((e) => (
                <TimelineItem key={e.id} entry={e} actorName={nameOf(e.actorId)} />
              ))}
            </ol>
          )}
        </Tabs.Content>
      </Tabs.Root>
    </Card>
  );
}
