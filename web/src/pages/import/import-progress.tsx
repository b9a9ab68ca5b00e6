import type { ImportJob } from '../../api/types';
import { Table, Td } from '../../components/ui';

/** How far an import has got, as a bar and in rows. */
export function ImportProgressBar({ job, label }: { job: ImportJob; label: string }) {
  const share = job.total ? Math.round((job.processed / job.total) * 100) : 0;
  return (
    <div>
      <div
        className="h-2.5 overflow-hidden rounded-full bg-muted"
        role="progressbar"
        aria-valuenow={share}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-label={label}
        data-testid="import-progress"
      >
        <div
          className="h-full rounded-full bg-accent transition-[width]"
          style={{ width: `${share}%` }}
        />
      </div>
      <p className="mt-2 text-sm text-ink-soft">
        {job.processed.toLocaleString()} of {job.total?.toLocaleString() ?? '…'} rows ({share}%)
      </p>
    </div>
  );
}

/** What an import did (or, for a dry run, would do) with the rows. */
export function ImportCounts({ job }: { job: ImportJob }) {
  const verb = job.dryRun ? 'Would be ' : '';
  const counts = [
    ['created', `${verb}created`, job.created, 'text-emerald-700 dark:text-emerald-400'],
    ['updated', `${verb}updated`, job.updated, 'text-accent'],
    ['skipped', `${verb}skipped`, job.skipped, 'text-ink-soft'],
    ['failed', 'Rejected', job.failed, 'text-danger'],
  ] as const;
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
      {counts.map(([key, label, n, tone]) => (
        <div key={key} className="rounded-md border border-line p-3">
          <dt className="text-xs text-ink-soft first-letter:uppercase">{label}</dt>
          <dd className={`text-2xl font-semibold ${tone}`} data-testid={`import-count-${key}`}>
            {n.toLocaleString()}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** The rows an import rejects, with the column and the reason, and all of them as CSV. */
export function ImportProblems({ job }: { job: ImportJob }) {
  if (job.failed === 0) return null;
  return (
    <section aria-labelledby="import-problems-title" className="space-y-2">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="import-problems-title" className="text-sm font-semibold text-ink">
          {job.failed.toLocaleString()}{' '}
          {job.failed === 1 ? 'row has a problem' : 'rows have problems'}
        </h2>
        <a
          className="text-sm text-accent underline-offset-2 hover:underline"
          href={`/api/v1/imports/${job.id}/errors.csv`}
          data-testid="import-errors-csv"
        >
          Download the problems (CSV)
        </a>
      </div>
      <div data-testid="import-problems">
        <Table head={['Row', 'Column', 'Problem']}>
          {job.errors.map((e, i) => (
            <tr key={`${e.row}-${i}`}>
              <Td>{e.row}</Td>
              <Td>{e.column ?? '—'}</Td>
              <Td className="text-ink-soft">{e.message}</Td>
            </tr>
          ))}
        </Table>
      </div>
      {job.errors.length < job.failed ? (
        <p className="text-xs text-ink-soft">
          The first {job.errors.length} are shown; the CSV has them all.
        </p>
      ) : null}
    </section>
  );
}
