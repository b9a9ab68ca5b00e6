import { Link } from 'react-router';
import { Card, EmptyState, Skeleton } from '../../components/ui';
import { formatDateTime, formatRelative } from '../../lib/dates';
import { useNow } from '../tasks/use-now';
import { titleOf } from '../record-links';
import { CardHeading } from './card-heading';
import { useRecentRecords } from './use-recent-records';

/** Records I own that changed last, across objects, to pick up where I left off. */
export function RecentRecordsCard() {
  const now = useNow();
  const { records, isPending } = useRecentRecords();
  return (
    <Card className="p-4">
      <CardHeading title="Recently updated records of yours" />
      {isPending ? (
        <Skeleton rows={4} />
      ) : records.length === 0 ? (
        <EmptyState
          title="No records of yours yet"
          body="Contacts, companies and deals you own show up here, the latest change first."
          action={
            <Link to="/contacts" className="text-sm font-medium text-accent hover:underline">
              Add a contact
            </Link>
          }
        />
      ) : (
        <ul className="divide-y divide-line" data-testid="home-recent">
          {records.map(({ record, object }) => {
            const when = record.updatedAt ?? record.createdAt;
            return (
              <li
                key={`${object.key}:${record.id}`}
                className="flex items-baseline gap-2 px-1 py-2"
              >
                <Link
                  to={`/${object.resource}/${record.id}`}
                  className="min-w-0 flex-1 truncate text-sm text-ink hover:text-accent"
                >
                  {titleOf(record, object.titleField)}
                </Link>
                <span className="shrink-0 text-xs text-ink-soft">{object.labels.singular}</span>
                <time
                  dateTime={when}
                  title={formatDateTime(when)}
                  className="w-24 shrink-0 text-right text-xs text-ink-soft"
                >
                  {formatRelative(when, now)}
                </time>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
