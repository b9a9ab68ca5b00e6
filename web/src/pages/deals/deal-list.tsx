import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, type Page } from '../../api/client';
import type { Deal } from '../../api/types';
import { Badge, Button, EmptyState, PageHeader, Skeleton, Table, Td } from '../../components/ui';
import { formatMoney } from '../../lib/money';
import { useUsers } from '../../lib/use-users';

/** URL parameters this list understands, each turned into the API filter of the same meaning. */
const FILTERS: Record<string, (v: string) => string> = {
  stages: (v) => `filter[stageId][in]=${v}`,
  owners: (v) => `filter[ownerId][in]=${v}`,
  closedFrom: (v) => `filter[closedAt][gte]=${v}`,
  closedTo: (v) => `filter[closedAt][lt]=${v}`,
  expectedFrom: (v) => `filter[expectedCloseDate][gte]=${v}`,
  expectedTo: (v) => `filter[expectedCloseDate][lt]=${v}`,
};

/** The deals behind a dashboard number: the same filters, as a list with its total. */
export default function DealList() {
  const [params] = useSearchParams();
  const { nameOf } = useUsers();
  const filters = [...params.entries()].flatMap(([k, v]) =>
    FILTERS[k] && v ? [FILTERS[k](v)] : [],
  );
  const list = useInfiniteQuery({
    queryKey: ['deals', 'list', filters],
    queryFn: ({ pageParam }) =>
      api<Page<Deal>>(
        'GET',
        `/deals?limit=100&count=true&sort=-amount${filters.map((f) => `&${f}`).join('')}${pageParam ? `&cursor=${pageParam}` : ''}`,
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.meta.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  const sum = rows.reduce((s, d) => s + d.amount, 0);
  return (
    <div className="mx-auto max-w-6xl space-y-4">
      <PageHeader
        title={params.get('title') ?? 'Deals'}
        description={
          list.data
            ? `${list.data.pages[0]?.meta.total ?? 0} deals${rows[0] ? ` · ${formatMoney(sum, rows[0].currency)} shown` : ''}`
            : undefined
        }
        actions={
          <Link to="/sales" className="text-sm text-accent">
            ← Sales dashboard
          </Link>
        }
      />
      {list.isPending ? (
        <Skeleton rows={8} />
      ) : rows.length === 0 ? (
        <EmptyState
          title="No deals here"
          body="Nothing matches this number's filters for the records you can see."
        />
      ) : (
        <Table
          head={['Deal', 'Stage', 'Amount', 'Probability', 'Owner', 'Expected close', 'Closed']}
        >
          {rows.map((d) => (
            <tr key={d.id} data-testid="deal-row">
              <Td className="font-medium">
                <Link className="hover:text-accent" to={`/deals/${d.id}`}>
                  {d.name}
                </Link>
              </Td>
              <Td>
                <Badge
                  tone={d.status === 'won' ? 'success' : d.status === 'lost' ? 'danger' : 'accent'}
                >
                  {d.stage.name}
                </Badge>
              </Td>
              <Td>{formatMoney(d.amount, d.currency)}</Td>
              <Td>{d.probability}%</Td>
              <Td>{nameOf(d.ownerId) ?? 'Unassigned'}</Td>
              <Td>{d.expectedCloseDate ?? '—'}</Td>
              <Td>{d.closedAt ? new Date(d.closedAt).toLocaleDateString() : '—'}</Td>
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
