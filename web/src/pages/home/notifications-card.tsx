import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { Card, EmptyState, Skeleton } from '../../components/ui';
import { cn } from '../../lib/cn';
import { formatDateTime, formatRelative } from '../../lib/dates';
import { useNow } from '../tasks/use-now';
import { CardHeading } from './card-heading';

const LIMIT = 5;

/** My latest notifications; opening one marks it read, as the bell does. */
export function NotificationsCard() {
  const queryClient = useQueryClient();
  const now = useNow();
  const inbox = useQuery({
    queryKey: keys.notifications.latest(LIMIT),
    queryFn: () =>
      unwrap(http.GET('/api/v1/notifications', { params: { query: { limit: LIMIT } } })),
    refetchInterval: 60_000,
  });
  const markRead = async (id: string) => {
    await unwrap(http.POST('/api/v1/notifications/{id}/read', { params: { path: { id } } }));
    await queryClient.invalidateQueries({ queryKey: keys.notifications.all });
  };
  const items = inbox.data?.data ?? [];
  return (
    <Card className="p-4">
      <CardHeading title="Notifications" />
      {inbox.isPending ? (
        <Skeleton rows={3} />
      ) : items.length === 0 ? (
        <EmptyState
          title="No notifications"
          body="Tasks and records assigned to you, reminders and finished imports show up here."
          action={
            <Link to="/tasks" className="text-sm font-medium text-accent hover:underline">
              See your tasks
            </Link>
          }
        />
      ) : (
        <ul className="divide-y divide-line" data-testid="home-notifications">
          {items.map((n) => {
            const text = (
              <>
                <span
                  className={cn(
                    'block truncate',
                    n.read ? 'text-ink-soft' : 'font-medium text-ink',
                  )}
                >
                  {n.title}
                </span>
                <time
                  dateTime={n.createdAt}
                  title={formatDateTime(n.createdAt)}
                  className="text-xs text-ink-soft"
                >
                  {formatRelative(n.createdAt, now)}
                </time>
              </>
            );
            return (
              <li key={n.id} className="px-1 py-2 text-sm">
                {n.link ? (
                  <Link
                    to={n.link}
                    className="block hover:text-accent"
                    onClick={() => {
                      if (!n.read) void markRead(n.id);
                    }}
                  >
                    {text}
                  </Link>
                ) : (
                  text
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
