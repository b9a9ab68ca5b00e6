import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { runFromDryRun } from '../../api/imports';
import type { ImportJob, ImportPreview } from '../../api/types';
import { Badge, Button, Card, Select, Skeleton, Table, Td } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { isSettled } from './kinds';
import {
  choicesOf,
  fieldsMappedTwice,
  isSameMapping,
  mappingOf,
  type ColumnChoices,
} from './mapping';
import { useImportPreview } from './use-import-preview';

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;

/**
 * Step 2: every column of the file with a field to import it into (the suggestion preselected, or
 * "don't import"), and the first rows as they would be read. Checking an unchanged mapping shows
 * the dry run that already ran; an edited one starts another dry run of the same upload.
 */
export function MappingStep({
  job,
  onBack,
  onCheck,
}: {
  /** The dry run of the upload. */
  job: ImportJob;
  onBack: () => void;
  /** Goes on to the check step with the dry run of the chosen mapping. */
  onCheck: (dryRunId: string) => void;
}) {
  const preview = useImportPreview(job.id);
  if (!preview.data) return <Skeleton rows={6} />;
  return <MappingForm job={job} preview={preview.data} onBack={onBack} onCheck={onCheck} />;
}

function MappingForm({
  job,
  preview,
  onBack,
  onCheck,
}: {
  job: ImportJob;
  preview: ImportPreview;
  onBack: () => void;
  onCheck: (dryRunId: string) => void;
}) {
  const [choices, setChoices] = useState<ColumnChoices>(() =>
    choicesOf(preview.headers, job.mapping),
  );
  const labels = new Map(preview.fields.map((f) => [f.key, f.label]));
  const twice = fieldsMappedTwice(choices);
  const mapping = mappingOf(choices);
  const unchanged = isSameMapping(mapping, job.mapping);
  const check = useMutation({
    mutationFn: () => runFromDryRun(job.id, { dryRun: true, mapping }),
    onSuccess: (next) => onCheck(next.id),
    onError: (e) => showApiError(e),
  });
  // Another dry run starts from a finished one (the server answers 409 before then).
  const waiting = !unchanged && !isSettled(job.status);
  const handleCheck = () => (unchanged ? onCheck(job.id) : check.mutate());
  return (
    <div className="space-y-4">
      <Card>
        <h2 className="text-base font-semibold text-ink">Match the columns to fields</h2>
        <p className="mt-1 text-sm text-ink-soft">
          {job.fileName}: {plural(preview.headers.length, 'column')},{' '}
          {plural(job.total ?? 0, 'row')}. Columns set to “Don’t import” are left out.
        </p>
        {/* A list rather than a table: on a phone each column's choice stays on screen. */}
        <ul className="mt-4 divide-y divide-line rounded-lg border border-line">
          {preview.headers.map((header, i) => {
            const suggested = preview.suggested[header];
            const sample = preview.rows.find((r) => r[header])?.[header] ?? '';
            const id = `import-map-${i}`;
            return (
              <li
                key={header}
                data-testid={`import-column-${header}`}
                className="flex flex-col gap-2 px-3 py-2.5 sm:flex-row sm:items-center sm:justify-between"
              >
                <label htmlFor={id} className="min-w-0">
                  <span className="block text-sm font-medium text-ink">{header}</span>
                  <span className="block truncate text-xs text-ink-soft">
                    {sample ? `e.g. ${sample}` : 'empty in the first rows'}
                  </span>
                </label>
                <div className="flex items-center gap-2">
                  <Select
                    id={id}
                    data-testid={`import-map-${header}`}
                    className="w-full sm:w-60"
                    value={choices[header] ?? ''}
                    onChange={(e) => setChoices({ ...choices, [header]: e.target.value })}
                  >
                    <option value="">Don’t import</option>
                    {preview.fields.map((f) => (
                      <option key={f.key} value={f.key}>
                        {f.label}
                        {f.required ? ' (required)' : ''}
                        {f.key === suggested ? ' — suggested' : ''}
                      </option>
                    ))}
                  </Select>
                  {/* A fixed slot, so the selects line up whether or not a badge is shown. */}
                  <span className="shrink-0 sm:w-20">
                    {suggested && choices[header] === suggested ? <Badge>Suggested</Badge> : null}
                  </span>
                </div>
              </li>
            );
          })}
        </ul>
        {twice.length > 0 ? (
          <p role="alert" className="mt-3 text-sm text-danger" data-testid="import-map-twice">
            {twice.map((f) => labels.get(f) ?? f).join(', ')}: choose one column for each field.
          </p>
        ) : null}
      </Card>
      <section aria-labelledby="import-preview-title">
        <h2 id="import-preview-title" className="mb-2 text-sm font-semibold text-ink">
          {preview.rows.length === 1
            ? 'The first row as it will be read'
            : `The first ${preview.rows.length} rows as they will be read`}
        </h2>
        <div data-testid="import-preview">
          <Table
            head={preview.headers.map((h) => {
              const field = choices[h];
              return field ? `${labels.get(field) ?? field} (${h})` : `${h} (not imported)`;
            })}
          >
            {preview.rows.map((row, i) => (
              <tr key={i}>
                {preview.headers.map((h) => (
                  <Td key={h} className={choices[h] ? '' : 'text-ink-soft line-through'}>
                    {row[h] ?? ''}
                  </Td>
                ))}
              </tr>
            ))}
          </Table>
        </div>
      </section>
      <div className="flex flex-wrap justify-between gap-2">
        <Button variant="secondary" onClick={onBack}>
          Upload another file
        </Button>
        <Button
          data-testid="import-check"
          onClick={handleCheck}
          disabled={
            twice.length > 0 || Object.keys(mapping).length === 0 || check.isPending || waiting
          }
        >
          {waiting || check.isPending ? 'Checking the file…' : 'Next: check the rows'}
        </Button>
      </div>
    </div>
  );
}
