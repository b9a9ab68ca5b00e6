import { can, useMe } from '../api/session';
import { MyTasksCard } from './home/my-tasks-card';
import { NotificationsCard } from './home/notifications-card';
import { PipelineCard } from './home/pipeline-card';
import { RecentRecordsCard } from './home/recent-records-card';

/**
 * Home, per user: my tasks due, my pipeline, my recently changed records and my notifications.
 * "Next best actions" is left out on purpose until there is a model that ranks them: an empty
 * placeholder card would read as a broken feature.
 */
export default function Home() {
  const me = useMe().data;
  const tasks = can(me, 'activities:read');
  return (
    <div className="mx-auto max-w-6xl">
      <h1 className="text-xl font-semibold text-ink">
        Good to see you, {me?.user.name.split(' ')[0]}
      </h1>
      <p className="mt-1 text-sm text-ink-soft">{me?.organization.name}</p>
      <div className="mt-5 grid gap-4 lg:grid-cols-3">
        {/* min-w-0: a grid item is otherwise as wide as its longest unbroken line. */}
        <div className="min-w-0 space-y-4 lg:col-span-2">
          {tasks ? <MyTasksCard /> : null}
          <RecentRecordsCard />
        </div>
        <div className="min-w-0 space-y-4">
          <PipelineCard />
          <NotificationsCard />
        </div>
      </div>
    </div>
  );
}
