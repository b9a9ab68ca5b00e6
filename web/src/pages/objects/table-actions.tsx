import { useMutation } from '@tanstack/react-query';
import { Download } from 'lucide-react';
import { toast } from 'sonner';
import type { ListParams } from '../../api/records';
import { can, recordPermission, useMe } from '../../api/session';
import type { ObjectDescription } from '../../api/types';
import { Button, Select } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { filterKey } from './field-specs';
import { downloadExport, exportParams } from './export-view';
import { groupableFields } from './grouping';

/** The "Group by" choice of the table; the choice lives in the URL (`group=`). */
export function GroupBy({
  object,
  value,
  onChange,
}: {
  object: ObjectDescription;
  value: string;
  onChange: (group: string) => void;
}) {
  const fields = groupableFields(object);
  if (!fields.length) return null;
  return (
    <Select
      aria-label="Group by"
      className="w-44"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      data-testid="group-by"
    >
      <option value="">No grouping</option>
      {fields.map((f) => (
        <option key={f.key} value={filterKey(f)}>
          Group by {f.label.toLowerCase()}
        </option>
      ))}
    </Select>
  );
}

/** Exports what the table shows — its filters, search, sort and visible columns — as CSV. */
export function ExportButton({
  object,
  query,
  columns,
}: {
  object: ObjectDescription;
  query: ListParams;
  columns: readonly string[];
}) {
  const me = useMe().data;
  const run = useMutation({
    mutationFn: () => downloadExport(object.resource, exportParams(query, columns)),
    onSuccess: (name) => toast.success(`Exported ${name}`),
    onError: (e) => showApiError(e),
  });
  if (!object.capabilities.export || !can(me, recordPermission(object, 'export'))) return null;
  return (
    <Button
      variant="ghost"
      size="sm"
      disabled={run.isPending}
      onClick={() => run.mutate()}
      data-testid="export-view"
    >
      <Download size={14} aria-hidden />
      {run.isPending ? 'Exporting…' : 'Export'}
    </Button>
  );
}
