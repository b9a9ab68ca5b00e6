import { useState } from 'react';
import { http, unwrap } from '../../api/http';
import type { components } from '../../api/schema';
import { Button, Card, Input } from '../../components/ui';

type TestRun = components['schemas']['WorkflowTestRun'];

/** A dry run of the draft on a record picked by id: each step's summary, input and problems. */
export function TestRunPanel({ workflowId }: { workflowId: string }) {
  const [recordId, setRecordId] = useState('');
  const [result, setResult] = useState<TestRun | null>(null);
  const [error, setError] = useState<string | null>(null);
  const handleRun = async () => {
    try {
      setError(null);
      setResult(
        await unwrap(
          http.POST('/api/v1/workflows/{id}/test', {
            params: { path: { id: workflowId } },
            body: recordId ? { recordId } : {},
          }),
        ),
      );
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Test run failed');
    }
  };
  return (
    <Card className="space-y-2 p-3">
      <h2 className="text-sm font-medium text-ink">Test run</h2>
      <div className="flex gap-2">
        <Input
          aria-label="Record id"
          placeholder="Record id"
          value={recordId}
          onChange={(e) => setRecordId(e.target.value)}
        />
        <Button variant="secondary" onClick={() => void handleRun()} data-testid="test-run">
          Run
        </Button>
      </div>
      {error ? (
        <p className="text-xs text-danger" role="alert">
          {error}
        </p>
      ) : null}
      {result ? (
        <div className="space-y-1 text-xs" data-testid="test-result">
          <p>
            {result.conditionsMet ? 'Entry conditions met' : 'Entry conditions not met'}
            {result.note ? ` · ${result.note}` : ''}
          </p>
          {result.steps.map((s) => (
            <div key={s.stepId} className="rounded bg-muted p-2">
              <p className="font-medium">
                {s.name ?? s.stepId}: {s.summary}
              </p>
              <pre className="overflow-auto">{JSON.stringify(s.input, null, 2)}</pre>
              {s.problems.map((p) => (
                <p key={p.path} className="text-danger">
                  {p.path}: {p.message}
                </p>
              ))}
            </div>
          ))}
        </div>
      ) : null}
    </Card>
  );
}
