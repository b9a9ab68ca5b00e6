import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Tabs } from 'radix-ui';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { toast } from 'sonner';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { can, useMe } from '../../api/session';
import type { Job } from '../../api/types';
import {
  Badge,
  Button,
  Dialog,
  EmptyState,
  formatDate,
  PageHeader,
  Skeleton,
  Table,
  Td,
} from '../../components/ui';
import { showApiError } from '../../lib/form-errors';

type Status = Job['status'];

/** The tabs, the dead-letter list first; what an empty tab means in words. */
const TABS: ReadonlyArray<{
  status: Status;
  label: string;
  empty: { title: string; body: string };
}> = [
  {
    status: 'failed',
    label: 'Failed',
    empty: {
      title: 'No failed jobs — everything ran',
      body: 'A job that fails every attempt lands here with its error, so you can retry it once the cause is fixed or discard it.',
    },
  },
  {
    status: 'pending',
    label: 'Pending',
    empty: {
      title: 'Nothing waiting',
      body: 'Jobs that are due soon, scheduled for later or waiting to retry after a failed attempt show up here.',
    },
  },
  {
    status: 'running',
    label: 'Running',
    empty: {
      title: 'Nothing running right now',
      body: 'Jobs a worker is running at this moment show up here.',
    },
  },
  {
    status: 'succeeded',
    label: 'Succeeded',
    empty: { title: 'No finished jobs yet', body: 'Jobs that succeeded are kept here for 7 days.' },
  },
  {
    status: 'discarded',
    label: 'Discarded',
    empty: {
      title: 'Nothing discarded',
      body: 'Failed jobs you discard are kept here; you can still retry them.',
    },
  },
];

const isStatus = (v: string | null): v is Status => TABS.some((t) => t.status === v);

const tabClass =
  'inline-flex items-center gap-1.5 rounded-md px-2.5 py-1 text-sm text-ink-soft hover:text-ink data-[state=active]:bg-accent-soft data-[state=active]:font-medium data-[state=active]:text-accent';

/** When the job last ran, or for one that is waiting, when it will. */
function timing(job: Job): string {
  if (job.status === 'pending')
    return `${job.attempts > 0 ? 'Retries' : 'Runs'} ${formatDate(job.runAt)}`;
  return job.startedAt ? formatDate(job.startedAt) : '—';
}

export default function Jobs() {
  const me = useMe().data;
  const mayUpdate = can(me, 'jobs:update');
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const requested = params.get('status');
  const status: Status = isStatus(requested) ? requested : 'failed';
  const [details, setDetails] = useState<Job | null>(null);

  const stats = useQuery({
    queryKey: keys.jobs.stats,
    queryFn: () => unwrap(http.GET('/api/v1/jobs/stats')),
    refetchInterval: 10_000,
  });
  const list = useInfiniteQuery({
    queryKey: keys.jobs.list(status),
    queryFn: ({ pageParam }) =>
      unwrap(
        http.GET('/api/v1/jobs', {
          params: {
            query: {
              'filter[status]': status,
              limit: 50,
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.meta.nextCursor ?? undefined,
    refetchInterval: 10_000,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: keys.jobs.all });
  const retry = useMutation({
    mutationFn: (id: string) =>
      unwrap(http.POST('/api/v1/jobs/{id}/retry', { params: { path: { id } } })),
    onSuccess: (job) => (toast.success(`${job.name} will run again now`), refresh()),
    onError: (e) => (showApiError(e), refresh()),
  });
  const discard = useMutation({
    mutationFn: (id: string) =>
      unwrap(http.POST('/api/v1/jobs/{id}/discard', { params: { path: { id } } })),
    onSuccess: (job) => (toast.success(`${job.name} discarded`), refresh()),
    onError: (e) => (showApiError(e), refresh()),
  });
  const busy = (id: string) =>
    (retry.isPending && retry.variables === id) || (discard.isPending && discard.variables === id);
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  const tab = TABS.find((t) => t.status === status) ?? TABS[0];

  const body = (
    <>
      {list.isPending ? (
        <Skeleton rows={6} />
      ) : rows.length === 0 ? (
        <EmptyState title={tab?.empty.title ?? ''} body={tab?.empty.body ?? ''} />
      ) : (
        <Table
          head={['Job', 'Error', 'Attempts', status === 'pending' ? 'Next run' : 'Last run', '']}
        >
          {rows.map((job) => (
            <tr key={job.id} data-testid={`job-row-${job.id}`}>
              <Td>
                <code className="whitespace-nowrap text-xs font-medium text-ink">{job.name}</code>
                <p className="text-xs text-ink-soft">Queued {formatDate(job.createdAt)}</p>
              </Td>
              <Td className="max-w-md">
                {job.lastError ? (
                  <p className="line-clamp-2 break-words text-xs text-danger" title={job.lastError}>
                    {job.lastError}
                  </p>
                ) : (
                  <span className="text-ink-soft">—</span>
                )}
              </Td>
              <Td className="whitespace-nowrap tabular-nums">
                {job.attempts} / {job.maxAttempts}
              </Td>
              <Td className="whitespace-nowrap text-ink-soft">{timing(job)}</Td>
              <Td className="whitespace-nowrap text-right">
                <div className="flex justify-end gap-1.5">
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() => setDetails(job)}
                    data-testid={`job-details-${job.id}`}
                  >
                    Details
                  </Button>
                  {mayUpdate && (job.status === 'failed' || job.status === 'discarded') ? (
                    <Button
                      size="sm"
                      variant="secondary"
                      disabled={busy(job.id)}
                      onClick={() => retry.mutate(job.id)}
                      data-testid={`job-retry-${job.id}`}
                    >
                      Retry
                    </Button>
                  ) : null}
                  {mayUpdate && job.status === 'failed' ? (
                    <Button
                      size="sm"
                      variant="ghost"
                      disabled={busy(job.id)}
                      onClick={() => discard.mutate(job.id)}
                      data-testid={`job-discard-${job.id}`}
                    >
                      Discard
                    </Button>
                  ) : null}
                </div>
              </Td>
            </tr>
          ))}
        </Table>
      )}
      {list.hasNextPage ? (
        <Button
          variant="secondary"
          onClick={() => void list.fetchNextPage()}
          disabled={list.isFetchingNextPage}
        >
          Load more
        </Button>
      ) : null}
      <Dialog
        open={details !== null}
        onOpenChange={(open) => !open && setDetails(null)}
        title={details?.name ?? 'Job'}
        description={details ? `Job ${details.id}` : undefined}
        size="lg"
      >
        {details ? (
          <dl
            className="grid grid-cols-[8rem_1fr] gap-x-4 gap-y-2 text-sm"
            data-testid="job-details"
          >
            <dt className="text-ink-soft">Status</dt>
            <dd>{details.status}</dd>
            <dt className="text-ink-soft">Attempts</dt>
            <dd>
              {details.attempts} of {details.maxAttempts}
            </dd>
            <dt className="text-ink-soft">Queued</dt>
            <dd>{formatDate(details.createdAt)}</dd>
            <dt className="text-ink-soft">Last started</dt>
            <dd>{formatDate(details.startedAt)}</dd>
            <dt className="text-ink-soft">Finished</dt>
            <dd>{formatDate(details.finishedAt)}</dd>
            {details.key ? (
              <>
                <dt className="text-ink-soft">Key</dt>
                <dd>
                  <code className="text-xs">{details.key}</code>
                </dd>
              </>
            ) : null}
            <dt className="text-ink-soft">Last error</dt>
            <dd>
              <pre className="whitespace-pre-wrap break-words text-xs text-danger">
                {details.lastError ?? '—'}
              </pre>
            </dd>
            <dt className="text-ink-soft">Payload</dt>
            <dd>
              <pre className="max-h-64 overflow-auto rounded-md bg-muted p-2 text-xs text-ink">
                {JSON.stringify(details.payload, null, 2)}
              </pre>
            </dd>
          </dl>
        ) : null}
      </Dialog>
    </>
  );

  return (
    <div className="space-y-4">
      <PageHeader
        title="Background jobs"
        description="Work Cerebro does behind the scenes, retried with backoff when it fails. Jobs that failed every attempt wait here for you to retry or discard them."
      />
      <Tabs.Root
        value={status}
        onValueChange={(v) => setParams(v === 'failed' ? {} : { status: v }, { replace: true })}
      >
        <Tabs.List aria-label="Jobs by status" className="flex flex-wrap gap-1">
          {TABS.map((t) => (
            <Tabs.Trigger
              key={t.status}
              value={t.status}
              className={tabClass}
              data-testid={`jobs-tab-${t.status}`}
            >
              {t.label}
              {stats.data ? (
                <Badge tone={t.status === 'failed' && stats.data.failed > 0 ? 'danger' : 'neutral'}>
                  <span data-testid={`jobs-count-${t.status}`}>{stats.data[t.status]}</span>
                </Badge>
              ) : null}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        {/* Every tab has its panel (the list shows in the selected one), so each trigger controls an element that exists. */}
        {TABS.map((t) => (
          <Tabs.Content
            key={t.status}
            value={t.status}
            forceMount
            className="mt-4 data-[state=inactive]:hidden"
          >
            {t.status === status ? body : null}
          </Tabs.Content>
        ))}
      </Tabs.Root>
    </div>
  );
}
