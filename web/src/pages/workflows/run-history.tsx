import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import type { WorkflowRun } from '../../api/types';
import { useObjects } from '../../api/use-objects';
import {
  Badge,
  EmptyState,
  formatDate,
  PageHeader,
  Select,
  Skeleton,
  Table,
  Td,
} from '../../components/ui';
import { RUN_TONE } from './trigger-words';

const STATUSES = ['running', 'waiting', 'succeeded', 'failed', 'stopped'] as const;

const duration = (r: WorkflowRun) =>
  r.finishedAt
    ? `${((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000).toFixed(1)} s`
    : '—';

/** The runs of one workflow, newest first; polls while any is still running or waiting. */
export default function RunHistory() {
  const { id = '' } = useParams();
  const [status, setStatus] = useState<WorkflowRun['status'] | ''>('');
  // A run's record type is an object key: its page is at the object's resource, whatever the object.
  const objects = useObjects().data ?? [];
  const objectOf = (key: string | null) => objects.find((o) => o.key === key);
  const workflow = useQuery({
    queryKey: keys.workflows.detail(id),
    queryFn: () => unwrap(http.GET('/api/v1/workflows/{id}', { params: { path: { id } } })),
  });
  const runs = useQuery({
    queryKey: keys.workflowRuns.list(id, status),
    queryFn: () =>
      unwrap(
        http.GET('/api/v1/workflow-runs', {
          params: { query: { workflowId: id, limit: 100, ...(status ? { status } : {}) } },
        }),
      ),
    refetchInterval: (q) =>
      q.state.data?.data.some((r) => r.status === 'running' || r.status === 'waiting')
        ? 2000
        : false,
  });
  return (
    <div className="mx-auto max-w-6xl space-y-4">
      <PageHeader
        title={`Runs of ${workflow.data?.name ?? 'workflow'}`}
        actions={
          <Link to={`/workflows/${id}`} className="text-sm text-accent">
            ← Builder
          </Link>
        }
      />
      <Select
        aria-label="Status"
        className="w-40"
        value={status}
        onChange={(e) => setStatus(STATUSES.find((s) => s === e.target.value) ?? '')}
        data-testid="run-status-filter"
      >
        <option value="">Any status</option>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </Select>
      {runs.isPending ? (
        <Skeleton rows={6} />
      ) : (runs.data?.data.length ?? 0) === 0 ? (
        <EmptyState
          title="No runs yet"
          body="Runs appear here once the published, enabled workflow is triggered."
        />
      ) : (
        <Table head={['Status', 'Started', 'Trigger', 'Record', 'Duration', 'Error / stop reason']}>
          {runs.data?.data.map((r) => (
            <tr key={r.id} data-testid="run-row">
              <Td>
                <Link to={`/workflows/${id}/runs/${r.id}`}>
                  <Badge tone={RUN_TONE[r.status]}>{r.status}</Badge>
                </Link>
              </Td>
              <Td>
                <Link className="hover:text-accent" to={`/workflows/${id}/runs/${r.id}`}>
                  {formatDate(r.startedAt)}
                </Link>
              </Td>
              <Td className="text-ink-soft">{r.triggerType}</Td>
              <Td>
                {r.recordId && objectOf(r.recordType) ? (
                  <Link
                    className="text-accent"
                    to={`/${objectOf(r.recordType)?.resource ?? ''}/${r.recordId}`}
                    data-testid="run-record"
                  >
                    {objectOf(r.recordType)?.labels.singular}
                  </Link>
                ) : (
                  '—'
                )}
              </Td>
              <Td>{duration(r)}</Td>
              <Td className="text-ink-soft">{r.error ?? r.stopReason ?? ''}</Td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
