import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState, type CSSProperties } from 'react';
import { toast } from 'sonner';
import { api } from '../api/client';
import type { MergeResult } from '../api/types';
import { Button, Dialog, formatDate } from '../components/ui';
import { showApiError } from '../lib/form-errors';
import { useUsers } from '../lib/use-users';
import { formatValue, isBlank } from './field-values';
import {
  COMBINE,
  defaultChoice,
  describeCustomValues,
  isAllBlank,
  isUniform,
  mergeRows,
  type MergeChoice,
  type MergeRecord,
  type MergeRow,
} from './merge-fields';
import { useCustomFieldDefs } from './record-page';
import { RecordName } from './record-links';

const RESOURCE = { contact: 'contacts', company: 'companies' } as const;

/** After a merge or its undo, every view of these records may be stale: lists, pages, duplicates, activities. */
function refreshAfterMerge(queryClient: QueryClient, kind: 'contact' | 'company') {
  void queryClient.invalidateQueries({ queryKey: [RESOURCE[kind]] });
  void queryClient.invalidateQueries({ queryKey: ['duplicates'] });
  void queryClient.invalidateQueries({ queryKey: ['activities'] });
}

/** Undoes a merge from the toast that announced it. */
async function undoMerge(queryClient: QueryClient, kind: 'contact' | 'company', mergeId: string) {
  try {
    const r = await api<{ restoredIds: string[] }>('POST', `/merges/${mergeId}/undo`);
    toast.success(
      `Merge undone: ${r.restoredIds.length} ${r.restoredIds.length === 1 ? kind : RESOURCE[kind]} restored`,
    );
  } catch (e) {
    showApiError(e);
  }
  refreshAfterMerge(queryClient, kind);
}

function Value({ row, value, defsText }: { row: MergeRow; value: unknown; defsText: string }) {
  const { nameOf } = useUsers();
  if (isBlank(value)) return <span className="italic text-ink-soft">empty</span>;
  if (row.kind === 'company' && typeof value === 'string')
    return <RecordName resource="companies" id={value} link={false} />;
  if (row.kind === 'user' && typeof value === 'string') return <>{nameOf(value)}</>;
  if (row.field === 'customFields') return <span className="whitespace-pre-line">{defsText}</span>;
  return (
    <>
      {formatValue(
        { kind: row.kind, ...(row.choiceLabels ? { choiceLabels: row.choiceLabels } : {}) },
        value,
      )}
    </>
  );
}

/**
 * Compares duplicate records side by side: the user picks the record that survives and, per field,
 * whose value it keeps. The merge answers with an id the toast's Undo uses for 30 days.
 */
export function MergeDialog({
  open,
  onOpenChange,
  kind,
  records,
  onMerged,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  kind: 'contact' | 'company';
  records: MergeRecord[];
  onMerged?: (survivorId: string, sourceIds: string[]) => void;
}) {
  const queryClient = useQueryClient();
  const defs = useCustomFieldDefs(kind).data?.data ?? [];
  const [survivorId, setSurvivorId] = useState(records[0]?.id ?? '');
  const [picked, setPicked] = useState<Record<string, MergeChoice>>({});
  const ids = records.map((r) => r.id).join(',');
  useEffect(() => {
    // A new set of records starts from the API's defaults again.
    setSurvivorId(ids.split(',')[0] ?? '');
    setPicked({});
  }, [ids, open]);

  const rows = mergeRows(kind).filter((row) => !isAllBlank(row, records));
  const choiceOf = (row: MergeRow) => picked[row.field] ?? defaultChoice(row, records, survivorId);
  const survivor = records.find((r) => r.id === survivorId);
  const sources = records.filter((r) => r.id !== survivorId);

  const merge = useMutation({
    mutationFn: () => {
      const fields = Object.fromEntries(
        rows
          .filter((row) => !isUniform(row, records) && choiceOf(row) !== COMBINE)
          .map((row) => [row.field, choiceOf(row)]),
      );
      return api<MergeResult>('POST', `/${RESOURCE[kind]}/${survivorId}/merge`, {
        sourceIds: sources.map((s) => s.id),
        fields,
      });
    },
    onSuccess: (result) => {
      onOpenChange(false);
      refreshAfterMerge(queryClient, kind);
      toast.success(
        `Merged ${sources.length} ${sources.length === 1 ? kind : RESOURCE[kind]} into ${result.survivor.name}`,
        {
          description: 'Their activities and links moved to it.',
          duration: 20_000,
          action: {
            label: 'Undo',
            onClick: () => void undoMerge(queryClient, kind, result.mergeId),
          },
        },
      );
      onMerged?.(
        result.survivor.id,
        sources.map((s) => s.id),
      );
    },
    onError: (e) => showApiError(e),
  });

  // On a phone the field name takes its own line so two records still fit side by side.
  const columns = { '--records': records.length } as CSSProperties;
  const grid =
    'grid min-w-fit gap-x-3 text-sm grid-cols-[repeat(var(--records),minmax(9rem,1fr))] sm:grid-cols-[9rem_repeat(var(--records),minmax(11rem,1fr))]';
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      size="lg"
      title={`Merge ${records.length} ${RESOURCE[kind]}`}
      description={`Choose the ${kind} that stays, then for each field whose value it keeps. The others are merged into it; you can undo this for 30 days.`}
    >
      <div className="overflow-x-auto" data-testid="merge-dialog">
        <div
          className={`${grid} border-b border-line`}
          style={columns}
          role="radiogroup"
          aria-label={`The ${kind} that stays`}
        >
          <div className="col-span-full py-2 text-xs sm:col-span-1 font-medium uppercase tracking-wide text-ink-soft">
            Record that stays
          </div>
          {records.map((r) => (
            <label
              key={r.id}
              className={`flex cursor-pointer items-start gap-2 rounded-t-md p-2 ${r.id === survivorId ? 'bg-accent-soft' : ''}`}
            >
              <input
                type="radio"
                name="merge-survivor"
                className="mt-1 accent-[var(--accent)]"
                checked={r.id === survivorId}
                onChange={() => setSurvivorId(r.id)}
                aria-label={`Keep ${r.name}`}
              />
              <span className="min-w-0">
                <span className="block truncate font-medium text-ink">{r.name}</span>
                <span className="block text-xs text-ink-soft">
                  {r.id === survivorId ? 'Stays' : 'Merged into the one that stays'} · created{' '}
                  {formatDate(r.createdAt)}
                </span>
              </span>
            </label>
          ))}
        </div>
        {rows.map((row) => {
          const uniform = isUniform(row, records);
          const choice = choiceOf(row);
          const name = `merge-${row.field}`;
          return (
            <div
              key={row.field}
              className={`${grid} border-b border-line`}
              style={columns}
              role="radiogroup"
              aria-label={row.label}
            >
              <div className="col-span-full flex gap-3 pt-2 sm:col-span-1 sm:block sm:space-y-1 sm:py-2">
                <p className="text-xs font-medium text-ink-soft">{row.label}</p>
                {row.combinable && !uniform ? (
                  <label className="flex items-center gap-1.5 text-xs text-ink">
                    <input
                      type="radio"
                      name={name}
                      checked={choice === COMBINE}
                      onChange={() => setPicked({ ...picked, [row.field]: COMBINE })}
                    />
                    Keep all
                  </label>
                ) : null}
              </div>
              {records.map((r) => (
                <label
                  key={r.id}
                  className={`flex min-w-0 items-start gap-2 p-2 ${uniform ? 'text-ink-soft' : 'cursor-pointer'} ${!uniform && choice === r.id ? 'bg-accent-soft/60' : ''}`}
                >
                  {uniform ? (
                    <span className="w-3.5 shrink-0" aria-hidden />
                  ) : (
                    <input
                      type="radio"
                      name={name}
                      className="mt-1 accent-[var(--accent)]"
                      checked={choice === r.id}
                      onChange={() => setPicked({ ...picked, [row.field]: r.id })}
                      aria-label={`${row.label} from ${r.name}`}
                    />
                  )}
                  <span className="min-w-0 break-words">
                    <Value
                      row={row}
                      value={row.valueOf(r)}
                      defsText={describeCustomValues(row.valueOf(r), defs)}
                    />
                  </span>
                </label>
              ))}
            </div>
          );
        })}
      </div>
      <div className="mt-4 flex flex-wrap items-center justify-end gap-2">
        <p className="mr-auto text-xs text-ink-soft">
          {survivor
            ? `${survivor.name} stays; ${sources.map((s) => s.name).join(', ')} will be merged into it.`
            : null}
        </p>
        <Button variant="secondary" onClick={() => onOpenChange(false)}>
          Cancel
        </Button>
        <Button
          onClick={() => merge.mutate()}
          disabled={merge.isPending || !survivor || sources.length === 0}
          data-testid="merge-confirm"
        >
          {merge.isPending ? 'Merging…' : `Merge into ${survivor?.name ?? '…'}`}
        </Button>
      </div>
    </Dialog>
  );
}
