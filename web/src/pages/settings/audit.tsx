import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import {
  Badge,
  Button,
  EmptyState,
  formatDate,
  Input,
  PageHeader,
  Skeleton,
  Table,
  Td,
} from '../../components/ui';
import { showApiError } from '../../lib/form-errors';

function diffText(diff: unknown): string {
  if (!diff || typeof diff !== 'object') return '';
  return Object.entries(diff as Record<string, unknown>)
    .map(([k, v]) => {
      const change = v as { from?: unknown; to?: unknown } | null;
      return change && typeof change === 'object' && 'to' in change
        ? `${k}: ${JSON.stringify(change.from)} → ${JSON.stringify(change.to)}`
        : `${k}: ${JSON.stringify(v)}`;
    })
    .join('; ');
}

export default function Audit() {
  const [action, setAction] = useState('');
  const log = useInfiniteQuery({
    queryKey: keys.audit.list(action),
    queryFn: ({ pageParam }) =>
      unwrap(
        http.GET('/api/v1/audit-log', {
          params: {
            query: {
              limit: 50,
              ...(action ? { 'filter[action]': action } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.meta.nextCursor ?? undefined,
  });
  const verify = useMutation({
    mutationFn: () => unwrap(http.GET('/api/v1/audit-log/verify')),
    onError: (e) => showApiError(e),
  });
  const rows = log.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <div className="space-y-4">
      <PageHeader
        title="Audit log"
        description="Every change, who made it and what changed. Entries are hash-chained: editing or deleting one breaks the chain."
        actions={
          <Button
            variant="secondary"
            data-testid="verify-audit"
            onClick={() => verify.mutate()}
            disabled={verify.isPending}
          >
            {verify.isPending ? 'Verifying…' : 'Verify integrity'}
          </Button>
        }
      />
      {verify.data ? (
        <p role="status" className="text-sm">
          {verify.data.valid ? (
            <Badge tone="success">Intact</Badge>
          ) : (
            <Badge tone="danger">Broken</Badge>
          )}{' '}
          <span className="text-ink-soft">
            {verify.data.valid ? `${verify.data.checked} entries verified.` : verify.data.reason}
          </span>
        </p>
      ) : null}
      <Input
        className="max-w-xs"
        aria-label="Filter by action"
        placeholder="Filter by action, e.g. user.* or contact.updated"
        value={action}
        onChange={(e) => setAction(e.target.value)}
      />
      {log.isPending ? (
        <Skeleton rows={8} />
      ) : rows.length === 0 ? (
        <EmptyState
          title="Nothing recorded yet"
          body="Changes to users, roles, records and settings appear here as they happen."
        />
      ) : (
        <Table head={['#', 'When', 'Who', 'Action', 'Target', 'Changes']}>
          {rows.map((e) => (
            <tr key={e.id}>
              <Td className="text-ink-soft">{e.seq}</Td>
              <Td className="whitespace-nowrap">{formatDate(e.occurredAt)}</Td>
              <Td>{e.actor.name ?? e.actor.type}</Td>
              <Td>
                <code className="text-xs">{e.action}</code>
              </Td>
              <Td className="text-ink-soft">{e.targetType}</Td>
              <Td className="max-w-md truncate text-xs text-ink-soft">{diffText(e.diff)}</Td>
            </tr>
          ))}
        </Table>
      )}
      {log.hasNextPage ? (
        <Button
          variant="secondary"
          onClick={() => void log.fetchNextPage()}
          disabled={log.isFetchingNextPage}
        >
          Load more
        </Button>
      ) : null}
    </div>
  );
}
