import { useMutation } from '@tanstack/react-query';
import { runFromDryRun } from '../../api/imports';
import type { ImportJob } from '../../api/types';
import { Button, Card } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { ImportCounts, ImportProblems, ImportProgressBar } from './import-progress';
import { importWordsOf } from './kinds';

/**
 * Step 3: the dry run of the chosen mapping — what would happen and which rows have problems —
 * and the real import of the same upload, with the same mapping.
 */
export function CheckStep({
  job,
  onBack,
  onImported,
}: {
  /** The dry run of the chosen mapping. */
  job: ImportJob;
  onBack: () => void;
  onImported: (importId: string) => void;
}) {
  const words = importWordsOf(job.objectType);
  const run = useMutation({
    mutationFn: () => runFromDryRun(job.id, { dryRun: false }),
    onSuccess: (next) => onImported(next.id),
    onError: (e) => showApiError(e),
  });
  const finished = job.status === 'done';
  const importable = job.created + job.updated;
  return (
    <div className="space-y-4">
      <Card>
        <h2 className="text-base font-semibold text-ink">Trial run</h2>
        <p className="mt-1 text-sm text-ink-soft">
          Nothing has changed yet: this is what importing {job.fileName} would do.
        </p>
        <div className="mt-4 space-y-4">
          {finished ? (
            <ImportCounts job={job} />
          ) : job.status === 'failed' ? (
            <p role="alert" className="text-sm text-danger">
              The check stopped: {job.error ?? 'unknown reason'}
            </p>
          ) : (
            <ImportProgressBar job={job} label="Trial run progress" />
          )}
        </div>
      </Card>
      {finished ? <ImportProblems job={job} /> : null}
      <div className="flex flex-wrap justify-between gap-2">
        <Button variant="secondary" onClick={onBack} data-testid="import-back-to-mapping">
          Back to the columns
        </Button>
        <Button
          data-testid="import-run"
          onClick={() => run.mutate()}
          disabled={!finished || importable === 0 || run.isPending}
        >
          {run.isPending
            ? 'Starting…'
            : `Import ${importable.toLocaleString()} ${importable === 1 ? 'row' : 'rows'}`}
        </Button>
      </div>
      {finished && importable === 0 ? (
        <p className="text-right text-sm text-ink-soft">
          No {words.plural} would be imported: fix the file or the columns first.
        </p>
      ) : null}
    </div>
  );
}
