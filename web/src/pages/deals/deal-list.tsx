import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, type Page } from '../../api/client';
import { keys } from '../../api/keys';
import type { Deal } from '../../api/types';
import { Badge, Button, EmptyState, Skeleton, Table, Td } from '../../components/ui';
import { formatMoney } from '../../lib/money';
import { useUsers } from '../../lib/use-users';

/**
 * URL parameters this list understands, each turned into the API filter of the same meaning: the
 * page's filters (pipeline, owners, search, close dates) and those a dashboard number adds.
 */
const FILTERS: Record<string, (v: string) => string> = {
  pipeline: (v) => `filter[pipelineId]=${v}`,
  q: (v) => `q=${encodeURIComponent(v)}`,
  closeFrom: (v) => `filter[expectedCloseDate][gte]=${v}`,
  closeTo: (v) => `filter[expectedCloseDate][lte]=${v}`,
  stages: (v) => `filter[stageId][in]=${v}`,
  owners: (v) => `filter[ownerId][in]=${v}`,
  closedFrom: (v) => `filter[closedAt][gte]=${v}`,
  closedTo: (v) => `filter[closedAt][lt]=${v}`,
  expectedFrom: (v) => `filter[expectedCloseDate][gte]=${v}`,
  expectedTo: (v) => `filter[expectedCloseDate][lt]=${v}`,
};

/** The deals as a table, biggest first: the deals page's list view, and what a dashboard number opens. */
export function DealList() {
  const [params] = useSearchParams();
  const { nameOf } = useUsers();
  const filters = [...params.entries()].flatMap(([k, v]) =>
    FILTERS[k] && v ? [FILTERS[k](v)] : [],
  );
  const list = useInfiniteQuery({
    queryKey: [...keys.records('deals').lists(), 'deal-list', filters],
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
