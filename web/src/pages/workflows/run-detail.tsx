import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import type { WorkflowRunDetail } from '../../api/types';
import { Badge, Card, EmptyState, formatDate, PageHeader, Skeleton } from '../../components/ui';
import { formatDuration, RUN_TONE } from './trigger-words';

const STEP_TONE = {
  succeeded: 'success',
  failed: 'danger',
  retrying: 'accent',
  waiting: 'accent',
} as const;

function Json({ label, value }: { label: string; value: unknown }) {
  return (
    <div className="min-w-0">
      <p className="text-xs font-medium text-ink-soft">{label}</p>
      <pre className="mt-1 max-h-64 overflow-auto rounded bg-muted p-2 text-xs text-ink">
        {JSON.stringify(value ?? null, null, 2)}
      </pre>
    </div>
  );
}

/** How long a step took; a wait still in progress says until when (its row turns succeeded when it ends). */
function stepTiming(s: WorkflowRunDetail['steps'][number]): string {
  if (s.status !== 'waiting') return formatDuration(s.durationMs);
  const until = (s.input as { until?: unknown } | null)?.until;
  return `waiting until ${formatDate(typeof until === 'string' ? until : null)}`;
}

/** One run: each step attempt with its status, input, output, error and times (the failure notification links here). */
export default function RunDetail() {
  const { id = '', runId = '' } = useParams();
  const run = useQuery({
    queryKey: keys.workflowRuns.detail(runId),
    queryFn: () =>
      unwrap(http.GET('/api/v1/workflow-runs/{id}', { params: { path: { id: runId } } })),
    refetchInterval: (q) =>
      q.state.data?.status === 'running' || q.state.data?.status === 'waiting' ? 2000 : false,
  });
  if (run.isPending) return <Skeleton rows={6} />;
  if (!run.data)
    return (
      <EmptyState
        title="Run not found"
        body="It may belong to another workflow or have been deleted."
        action={
          <Link className="text-accent" to={`/workflows/${id}/runs`}>
            All runs
          </Link>
        }
      />
    );
  const r = run.data;
  return (
    <div className="mx-auto max-w-5xl space-y-4">
      <PageHeader
        title="Workflow run"
        description={`Version ${r.version} · started ${formatDate(r.startedAt)} · finished ${formatDate(r.finishedAt)}`}
        actions={
          <Link to={`/workflows/${id}/runs`} className="text-sm text-accent">
            ← All runs
          </Link>
        }
      />
      <p className="flex items-center gap-2 text-sm" data-testid="run-status">
        <Badge tone={RUN_TONE[r.status]}>{r.status}</Badge>
        {r.error ?? r.stopReason ?? ''}
      </p>
      {r.steps.length === 0 ? (
        <EmptyState title="No steps ran" body="The run stopped before its first step." />
      ) : (
        r.steps.map((s) => (
          <Card key={s.seq} className="space-y-2 p-4">
            <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="run-step">
              <span className="font-medium text-ink">{s.stepId}</span>
              <span className="text-ink-soft">{s.stepType}</span>
              <Badge tone={STEP_TONE[s.status]}>{s.status}</Badge>
              <span className="text-ink-soft">
                attempt {s.attempt} · {stepTiming(s)} · {formatDate(s.startedAt)}
              </span>
            </div>
            {s.error ? (
              <p className="text-sm text-danger" role="alert">
                {s.error}
              </p>
            ) : null}
            <div className="grid gap-3 md:grid-cols-2">
              <Json label="Input" value={s.input} />
              <Json label="Output" value={s.output} />
            </div>
          </Card>
        ))
      )}
    </div>
  );
}
