import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, type Page } from '../api/client';
import { can, useMe } from '../api/session';
import type { Company } from '../api/types';
import {
  EmptyState,
  formatDate,
  Button,
  Input,
  PageHeader,
  Skeleton,
  Table,
  Td,
} from '../components/ui';
import { CompanyRecord } from './company-record';

export default function Companies() {
  const { id } = useParams();
  if (id) return <CompanyRecord id={id} />;
  return <CompanyList />;
}

function CompanyList() {
  const [q, setQ] = useState('');
  const list = useInfiniteQuery({
    queryKey: ['companies', 'list', q],
    queryFn: ({ pageParam }) =>
      api<Page<Company>>(
        'GET',
        `/companies?limit=50&count=true&sort=name${q ? `&q=${encodeURIComponent(q)}` : ''}${pageParam ? `&cursor=${pageParam}` : ''}`,
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.meta.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  const me = useMe().data;
  return (
    <div className="mx-auto max-w-6xl space-y-4">
      <PageHeader
        title="Companies"
        description={list.data ? `${list.data.pages[0]?.meta.total ?? 0} companies` : undefined}
        actions={
          <>
            <Link
              to="/duplicates?type=companies"
              className="inline-flex h-9 items-center rounded-md border border-line bg-panel px-3.5 text-sm font-medium text-ink hover:bg-muted"
            >
              Duplicates
            </Link>
            {can(me, 'companies:create') ? (
              <Link
                to="/companies/import"
                className="inline-flex h-9 items-center rounded-md border border-line bg-panel px-3.5 text-sm font-medium text-ink hover:bg-muted"
                data-testid="import-companies"
              >
                Import
              </Link>
            ) : null}
          </>
        }
      />
      <Input
        className="max-w-xs"
        aria-label="Search companies"
        placeholder="Search name or domain"
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      {list.isPending ? (
        <Skeleton rows={8} />
      ) : rows.length === 0 ? (
        <EmptyState
          title={q ? 'No company matches' : 'No companies yet'}
          body={
            q
              ? 'Try another name or domain.'
              : 'Companies appear here as you add them through the API, imports or lead conversion.'
          }
        />
      ) : (
        <Table head={['Name', 'Domain', 'Industry', 'Size', 'Created']}>
          {rows.map((c) => (
            <tr key={c.id}>
              <Td className="font-medium">
                <Link to={`/companies/${c.id}`} className="text-ink hover:text-accent">
                  {c.name}
                </Link>
              </Td>
              <Td className="text-ink-soft">{c.domain ?? '—'}</Td>
              <Td>{c.industry ?? '—'}</Td>
              <Td>{c.size ?? '—'}</Td>
              <Td className="whitespace-nowrap text-ink-soft">{formatDate(c.createdAt)}</Td>
            </tr>
          ))}
        </Table>
      )}
      {list.hasNextPage ? (
        <Button variant="secondary" onClick={() => void list.fetchNextPage()}>
          Load more
        </Button>
      ) : null}
    </div>
  );
}
