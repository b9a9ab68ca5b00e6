import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { http, plainQuery, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import type { ListParams } from '../../api/records';
import { Badge, Button, EmptyState, Skeleton, Table, Td } from '../../components/ui';
import { formatMoney } from '../../lib/money';
import { useUsers } from '../../lib/use-users';

/**
 * URL parameters this list understands, each turned into the API filter of the same meaning: the
 * page's filters (pipeline, owners, search, close dates) and those a dashboard number adds.
 */
const FILTERS: Record<string, string> = {
  pipeline: 'filter[pipelineId]',
  q: 'q',
  closeFrom: 'filter[expectedCloseDate][gte]',
  closeTo: 'filter[expectedCloseDate][lte]',
  stages: 'filter[stageId][in]',
  owners: 'filter[ownerId][in]',
  closedFrom: 'filter[closedAt][gte]',
  closedTo: 'filter[closedAt][lt]',
  expectedFrom: 'filter[expectedCloseDate][gte]',
  expectedTo: 'filter[expectedCloseDate][lt]',
};

/** The deals as a table, biggest first: the deals page's list view, and what a dashboard number opens. */
export function DealList() {
  const [params] = useSearchParams();
  const { nameOf } = useUsers();
  const query: ListParams = { limit: '100', count: 'true', sort: '-amount' };
  for (const [k, v] of params.entries()) {
    const name = FILTERS[k];
    if (name && v) query[name] = v;
  }
  const list = useInfiniteQuery({
    queryKey: keys.dealTable(query),
    queryFn: ({ pageParam }) =>
      unwrap(
        http.GET('/api/v1/deals', {
          params: { query: pageParam ? { ...query, cursor: pageParam } : query },
          querySerializer: plainQuery,
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.meta.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  const sum = rows.reduce((s, d) => s + d.amount, 0);
  if (list.isPending) return <Skeleton rows={8} />;
  return (
    <div className="space-y-3" data-testid="deal-list">
      <p className="text-sm text-ink-soft" data-testid="deal-list-summary">
        {list.data?.pages[0]?.meta.total ?? 0} deals
        {rows[0] ? ` · ${formatMoney(sum, rows[0].currency)} shown` : ''}
      </p>
      {rows.length === 0 ? (
        <EmptyState
          title="No deals here"
          body="Nothing matches these filters among the deals you can see."
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
