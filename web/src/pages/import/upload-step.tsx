import { useMutation } from '@tanstack/react-query';
import { Upload } from 'lucide-react';
import { useState } from 'react';
import { uploadForDryRun, type UploadInput } from '../../api/imports';
import type { ImportJob } from '../../api/types';
import { Button, Card, Field, Select } from '../../components/ui';
import { formatBytes, importFileProblem } from '../../lib/file-size';
import { showApiError } from '../../lib/form-errors';
import { importWordsOf } from './kinds';

const OBJECT_TYPES = [
  ['contact', 'Contact'],
  ['company', 'Company'],
  ['lead', 'Lead'],
] as const;

const isDedupe = (v: string): v is UploadInput['dedupe'] =>
  v === 'skip' || v === 'update' || v === 'create';

/** Step 1: pick a file, what its rows are and what a duplicate does; uploading starts a dry run. */
export function UploadStep({
  objectType: initialObjectType,
  onUploaded,
}: {
  objectType: string;
  onUploaded: (job: ImportJob) => void;
}) {
  const [objectType, setObjectType] = useState(initialObjectType);
  const words = importWordsOf(objectType);
  const [file, setFile] = useState<File | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [dedupe, setDedupe] = useState<UploadInput['dedupe']>('skip');
  const [dragging, setDragging] = useState(false);
  // A file the server would refuse is refused here, before a long upload that ends in an error.
  const handleFile = (chosen: File | null) => {
    const problem = chosen ? importFileProblem(chosen) : null;
    setFileProblem(problem);
    setFile(problem ? null : chosen);
  };
  const start = useMutation({
    mutationFn: (chosen: File) => uploadForDryRun({ file: chosen, objectType, dedupe }),
    onSuccess: onUploaded,
    onError: (e) => showApiError(e),
  });
  const isKnownType = OBJECT_TYPES.some(([key]) => key === objectType);
  return (
    <Card>
      <label
        htmlFor="import-file"
        onDragOver={(e) => (e.preventDefault(), setDragging(true))}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => (
          e.preventDefault(),
          setDragging(false),
          handleFile(e.dataTransfer.files[0] ?? null)
        )}
        className={`flex cursor-pointer flex-col items-center justify-center gap-2 rounded-lg border-2 border-dashed px-6 py-10 text-center ${dragging ? 'border-accent bg-accent-soft' : 'border-line'}`}
      >
        <Upload className="text-ink-soft" aria-hidden="true" />
        <span className="text-sm text-ink">
          {file ? file.name : 'Drop a .csv or .xlsx file here, or click to choose one'}
        </span>
        {fileProblem ? (
          <span role="alert" data-testid="import-file-problem" className="text-xs text-danger">
            {fileProblem}
          </span>
        ) : (
          <span className="text-xs text-ink-soft" data-testid="import-file-size">
            {file ? formatBytes(file.size) : 'The first row holds the column names'}
          </span>
        )}
        <input
          id="import-file"
          data-testid="import-file"
          type="file"
          accept=".csv,.xlsx"
          className="sr-only"
          onChange={(e) => handleFile(e.target.files?.[0] ?? null)}
        />
      </label>
      <div className="mt-5 grid gap-4 sm:grid-cols-2">
        <Field label="Each row is a" id="import-object-type">
          <Select
            id="import-object-type"
            data-testid="import-object-type"
            value={objectType}
            onChange={(e) => setObjectType(e.target.value)}
          >
            {OBJECT_TYPES.map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
            {/* A custom object's import keeps its own type selectable. */}
            {isKnownType ? null : <option value={objectType}>{objectType}</option>}
          </Select>
        </Field>
        <Field label={words.match} id="import-dedupe">
          <Select
            id="import-dedupe"
            value={dedupe}
            onChange={(e) => isDedupe(e.target.value) && setDedupe(e.target.value)}
          >
            <option value="skip">Skip the row</option>
            <option value="update">{words.update}</option>
            <option value="create">{words.create}</option>
          </Select>
        </Field>
      </div>
      <p className="mt-4 text-sm text-ink-soft">
        Nothing is imported yet: next you match the columns to fields and see what a trial run would
        do.
      </p>
      <div className="mt-5 flex justify-end">
        <Button
          data-testid="import-start"
          onClick={() => file && start.mutate(file)}
          disabled={!file || start.isPending}
        >
          {start.isPending ? 'Uploading…' : 'Next: map columns'}
        </Button>
      </div>
    </Card>
  );
}
