import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { toast } from 'sonner';
import { rollbackImport } from '../../api/imports';
import { keys } from '../../api/keys';
import type { ImportJob } from '../../api/types';
import { Badge, Button, Card, Dialog } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { ImportCounts, ImportProblems, ImportProgressBar } from './import-progress';
import { importWordsOf } from './kinds';

const toneOf = (status: ImportJob['status']) =>
  status === 'done'
    ? 'success'
    : status === 'failed'
      ? 'danger'
      : status === 'rolled_back'
        ? 'neutral'
        : 'accent';

/** Step 4: the real import's progress, then what it did, with a rollback of the whole import. */
export function RunStep({ job }: { job: ImportJob }) {
  const queryClient = useQueryClient();
  const words = importWordsOf(job.objectType);
  const [confirming, setConfirming] = useState(false);
  const rollback = useMutation({
    mutationFn: () => rollbackImport(job.id),
    onSuccess: (rolled) => {
      queryClient.setQueryData(keys.imports.detail(job.id), rolled);
      setConfirming(false);
      toast.success('Import rolled back: the records it created are in the trash for 30 days');
    },
    onError: (e) => (setConfirming(false), showApiError(e)),
  });
  return (
    <div className="space-y-4">
      <Card>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 className="font-medium text-ink">{job.fileName}</h2>
          <Badge tone={toneOf(job.status)}>{job.status.replace('_', ' ')}</Badge>
        </div>
        <div className="mt-4 space-y-4">
          <ImportProgressBar job={job} label="Import progress" />
          {job.status === 'failed' ? (
            <p role="alert" className="text-sm text-danger">
              The import stopped: {job.error ?? 'unknown reason'}
            </p>
          ) : null}
          <ImportCounts job={job} />
        </div>
        <div className="mt-4 flex flex-wrap gap-2">
          {job.status === 'done' ? (
            <Button
              variant="secondary"
              onClick={() => setConfirming(true)}
              data-testid="import-rollback"
            >
              Roll back this import
            </Button>
          ) : null}
          {words.path ? (
            <Link className="inline-flex h-9 items-center px-2 text-sm text-accent" to={words.path}>
              Go to {words.plural}
            </Link>
          ) : null}
        </div>
      </Card>
      <ImportProblems job={job} />
      <Dialog
        open={confirming}
        onOpenChange={setConfirming}
        title="Roll back this import?"
        description="Undo what this import did, as one step."
      >
        <ul className="list-disc space-y-1 pl-5 text-sm text-ink-soft">
          <li>
            The {job.created.toLocaleString()} {words.plural} it created move to the trash; you can
            restore them for 30 days.
          </li>
          {job.updated > 0 ? (
            <li>The {job.updated.toLocaleString()} it updated get their earlier values back.</li>
          ) : null}
          <li>
            You need the right to delete (and edit) every one of them; otherwise nothing changes.
          </li>
        </ul>
        <div className="mt-5 flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
          <Button
            onClick={() => rollback.mutate()}
            disabled={rollback.isPending}
            data-testid="import-rollback-confirm"
          >
            Roll back
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
