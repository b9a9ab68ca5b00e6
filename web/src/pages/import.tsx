import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Upload } from 'lucide-react';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { toast } from 'sonner';
import { api, upload } from '../api/client';
import type { ImportJob } from '../api/types';
import {
  Badge,
  Button,
  Card,
  Dialog,
  Field,
  PageHeader,
  Select,
  Skeleton,
  Table,
  Td,
} from '../components/ui';
import { formatBytes, importFileProblem } from '../lib/file-size';
import { showApiError } from '../lib/form-errors';

type ObjectType = ImportJob['objectType'];

interface Kind {
  plural: string;
  path: string;
  match: string;
  update: string;
  create: string;
}

/** The words and places that differ between what is imported. */
const KINDS: Record<string, Kind> = {
  contact: {
    plural: 'contacts',
    path: '/contacts',
    match: 'When a contact with the same email exists',
    update: 'Update the existing contact',
    create: 'Create another contact anyway',
  },
  company: {
    plural: 'companies',
    path: '/companies',
    match: 'When a company with the same domain (or, without a domain, the same name) exists',
    update: 'Update the existing company',
    create: 'Create another company (rows whose domain is taken are rejected)',
  },
  lead: {
    plural: 'leads',
    path: '/leads',
    match: 'When an open lead with the same email exists',
    update: 'Update the existing lead',
    create: 'Create another lead anyway',
  },
};

/** The words of an object type; an import of another object (a custom one) speaks of records. */
const kindOf = (objectType: ObjectType): Kind =>
  KINDS[objectType] ?? {
    plural: 'records',
    path: '',
    match: 'When a matching record exists',
    update: 'Update the existing record',
    create: 'Create another record anyway',
  };

/** The progress of one import, polled while it runs. */
function ImportProgress({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const job = useQuery({
    queryKey: ['imports', id],
    queryFn: () => api<ImportJob>('GET', `/imports/${id}`),
    refetchInterval: (q) =>
      q.state.data && ['done', 'failed', 'rolled_back'].includes(q.state.data.status)
        ? false
        : 1000,
  });
  const [confirming, setConfirming] = useState(false);
  const rollback = useMutation({
    mutationFn: () => api<ImportJob>('POST', `/imports/${id}/rollback`),
    onSuccess: (j) => (
      queryClient.setQueryData(['imports', id], j),
      setConfirming(false),
      toast.success('Import rolled back: the records it created are in the trash for 30 days')
    ),
    onError: (e) => (setConfirming(false), showApiError(e)),
  });
  if (!job.data) return <Skeleton rows={3} />;
  const j = job.data;
  const share = j.total ? Math.round((j.processed / j.total) * 100) : 0;
  return (
    <div className="space-y-4">
      <Card>
        <div className="flex items-center justify-between">
          <p className="font-medium text-ink">
            {j.fileName} {j.dryRun ? <Badge>Dry run</Badge> : null}
          </p>
          <Badge
            tone={j.status === 'done' ? 'success' : j.status === 'failed' ? 'danger' : 'accent'}
          >
            {j.status.replace('_', ' ')}
          </Badge>
        </div>
        <div
          className="mt-4 h-2.5 overflow-hidden rounded-full bg-muted"
          role="progressbar"
          aria-valuenow={share}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-label="Import progress"
          data-testid="import-progress"
        >
          <div
            className="h-full rounded-full bg-accent transition-[width]"
            style={{ width: `${share}%` }}
          />
        </div>
        <p className="mt-2 text-sm text-ink-soft">
          {j.processed.toLocaleString()} of {j.total?.toLocaleString() ?? '…'} rows ({share}%)
        </p>
        <dl className="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-4">
          {(
            [
              ['Created', j.created, 'text-emerald-600 dark:text-emerald-400'],
              ['Updated', j.updated, 'text-accent'],
              ['Skipped', j.skipped, 'text-ink-soft'],
              ['Rejected', j.failed, 'text-danger'],
            ] as const
          ).map(([label, n, tone]) => (
            <div key={label} className="rounded-md border border-line p-3">
              <dt className="text-xs text-ink-soft">{label}</dt>
              <dd className={`text-2xl font-semibold ${tone}`}>{n.toLocaleString()}</dd>
            </div>
          ))}
        </dl>
        <div className="mt-4 flex flex-wrap gap-2">
          {j.failed > 0 ? (
            <a
              className="inline-flex h-9 items-center rounded-md border border-line px-3.5 text-sm text-ink hover:bg-muted"
              href={`/api/v1/imports/${j.id}/errors.csv`}
            >
              Download rejected rows
            </a>
          ) : null}
          {j.status === 'done' && !j.dryRun ? (
            <Button
              variant="secondary"
              onClick={() => setConfirming(true)}
              data-testid="import-rollback"
            >
              Roll back this import
            </Button>
          ) : null}
          <Link
            className="inline-flex h-9 items-center px-2 text-sm text-accent"
            to={kindOf(j.objectType).path}
          >
            Go to {kindOf(j.objectType).plural}
          </Link>
        </div>
      </Card>
      <Dialog
        open={confirming}
        onOpenChange={setConfirming}
        title="Roll back this import?"
        description="Undo what this import did, as one step."
      >
        <ul className="list-disc space-y-1 pl-5 text-sm text-ink-soft">
          <li>
            The {j.created.toLocaleString()} {kindOf(j.objectType).plural} it created move to the
            trash; you can restore them for 30 days.
          </li>
          {j.updated > 0 ? (
            <li>The {j.updated.toLocaleString()} it updated get their earlier values back.</li>
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
      {j.errors.length > 0 ? (
        <Table head={['Row', 'Column', 'Problem']}>
          {j.errors.map((e, i) => (
            <tr key={`${e.row}-${i}`}>
              <Td>{e.row}</Td>
              <Td>{e.column ?? '—'}</Td>
              <Td className="text-ink-soft">{e.message}</Td>
            </tr>
          ))}
        </Table>
      ) : null}
    </div>
  );
}

/** The import wizard: pick what the rows are, a file and how duplicates are handled, then watch it run. */
export default function ImportPage({ objectType: routeObjectType }: { objectType: ObjectType }) {
  const { id } = useParams();
  const navigate = useNavigate();
  const [objectType, setObjectType] = useState<ObjectType>(routeObjectType);
  const kind = kindOf(objectType);
  const [file, setFile] = useState<File | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [dedupe, setDedupe] = useState('skip');
  const [dryRun, setDryRun] = useState(true);
  const [dragging, setDragging] = useState(false);
  // A file the server would refuse is refused here, before a long upload that ends in an error.
  const handleFile = (chosen: File | null) => {
    const problem = chosen ? importFileProblem(chosen) : null;
    setFileProblem(problem);
    setFile(problem ? null : chosen);
  };
  const start = useMutation({
    mutationFn: () => {
      const form = new FormData();
      form.append('objectType', objectType);
      form.append('dedupe', dedupe);
      form.append('dryRun', String(dryRun));
      if (file) form.append('file', file);
      return upload<ImportJob>('/imports', form);
    },
    onSuccess: (j) => void navigate(`${kindOf(j.objectType).path}/import/${j.id}`),
    onError: (e) => showApiError(e),
  });
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader
        title={`Import ${kind.plural}`}
        description="CSV or Excel. Exports from HubSpot, Salesforce and Pipedrive are recognized; bad rows are reported and never stop the good ones."
      />
      {id ? (
        <ImportProgress id={id} />
      ) : (
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
            <Upload className="text-ink-soft" />
            <span className="text-sm text-ink">
              {file ? file.name : 'Drop a .csv or .xlsx file here, or click to choose one'}
            </span>
            {fileProblem ? (
              <span role="alert" data-testid="import-file-problem" className="text-xs text-danger">
                {fileProblem}
              </span>
            ) : (
              <span className="text-xs text-ink-soft">
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
                onChange={(e) =>
                  setObjectType(
                    e.target.value === 'company'
                      ? 'company'
                      : e.target.value === 'lead'
                        ? 'lead'
                        : 'contact',
                  )
                }
              >
                <option value="contact">Contact</option>
                <option value="company">Company</option>
                <option value="lead">Lead</option>
              </Select>
            </Field>
            <Field label={kind.match} id="import-dedupe">
              <Select id="import-dedupe" value={dedupe} onChange={(e) => setDedupe(e.target.value)}>
                <option value="skip">Skip the row</option>
                <option value="update">{kind.update}</option>
                <option value="create">{kind.create}</option>
              </Select>
            </Field>
            <label className="flex items-center gap-2 self-end pb-2 text-sm text-ink">
              <input
                type="checkbox"
                checked={dryRun}
                onChange={(e) => setDryRun(e.target.checked)}
              />{' '}
              Dry run first (report what would happen, change nothing)
            </label>
          </div>
          <div className="mt-5 flex justify-end">
            <Button
              data-testid="import-start"
              onClick={() => start.mutate()}
              disabled={!file || start.isPending}
            >
              {start.isPending ? 'Uploading…' : dryRun ? 'Check the file' : 'Import'}
            </Button>
          </div>
        </Card>
      )}
    </div>
  );
}
