import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { keys } from '../api/keys';
import { getRecord } from '../api/records';

/** A record's title as its object names it: `name` for most, `subject` for tickets. */
export function titleOf(record: Record<string, unknown>, titleField = 'name'): string {
  const value = record[titleField];
  return typeof value === 'string' && value.trim()
    ? value
    : typeof value === 'number'
      ? String(value)
      : `(no ${titleField})`;
}

/**
 * A related record's name, read by id. The query key is the record page's own, so a name seen
 * once is cached for the page and the other way round.
 */
export function RecordName({
  resource,
  id,
  link = true,
  titleField = 'name',
}: {
  resource: string;
  id: string;
  link?: boolean;
  titleField?: string;
}) {
  const record = useQuery({
    queryKey: keys.records(resource).detail(id),
    queryFn: () => getRecord(resource, id),
    staleTime: 60_000,
  });
  if (record.isPending)
    return (
      <span
        className="inline-block h-3 w-24 animate-pulse rounded bg-muted align-middle"
        aria-label="Loading"
      />
    );
  // A deleted, merged or hidden record: say so instead of showing a bare id.
  if (!record.data) return <span className="text-ink-soft">Unavailable record</span>;
  const title = titleOf(record.data, titleField);
  if (!link) return <span>{title}</span>;
  return (
    <Link
      to={`/${resource}/${id}`}
      className="text-accent underline decoration-accent/40 underline-offset-2 hover:decoration-accent"
    >
      {title}
    </Link>
  );
}
