import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { Company, Contact } from '../api/types';

/**
 * A related record's name, read by id. The query key is the record page's own, so a name seen
 * once is cached for the page and the other way round.
 */
export function RecordName({
  resource,
  id,
  link = true,
}: {
  resource: 'contacts' | 'companies';
  id: string;
  link?: boolean;
}) {
  const record = useQuery({
    queryKey: [resource, id],
    queryFn: () => api<Contact | Company>('GET', `/${resource}/${id}`),
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
  if (!record.data)
    return (
      <span className="text-ink-soft">
        {resource === 'companies' ? 'Unavailable company' : 'Unavailable contact'}
      </span>
    );
  if (!link) return <span>{record.data.name}</span>;
  return (
    <Link to={`/${resource}/${id}`} className="text-accent hover:underline">
      {record.data.name}
    </Link>
  );
}
