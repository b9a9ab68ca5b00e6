import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState, type CSSProperties } from 'react';
import { toast } from 'sonner';
import { http, unwrap } from '../api/http';
import { keys } from '../api/keys';
import type { ObjectDescription } from '../api/types';
import { useObjects } from '../api/use-objects';
import { Button, Dialog, formatDate } from '../components/ui';
import { showApiError } from '../lib/form-errors';
import { useUsers } from '../lib/use-users';
import { formatValue, isBlank } from './field-values';
import { fieldSpec } from './objects/field-specs';
import {
  COMBINE,
  defaultChoice,
  describeCustomValues,
  isAllBlank,
  isUniform,
  mergeRowsOf,
  type MergeChoice,
  type MergeRecord,
  type MergeRow,
} from './merge-fields';
import { RecordName, titleOf } from './record-links';

/** The object a merge component works on: given, or found by key among the described ones. */
export function useMergeObject(
  object: ObjectDescription | undefined,
  key: string | undefined,
): { object: ObjectDescription | undefined; objects: readonly ObjectDescription[] } {
  const objects = useObjects().data ?? [];
  return { object: object ?? objects.find((o) => o.key === key), objects };
}

/** "1 contact", "2 leads": a count in the object's own words. */
const counted = (object: ObjectDescription, n: number) =>
  `${n} ${(n === 1 ? object.labels.singular : object.labels.plural).toLowerCase()}`;

/** After a merge or its undo, every view of these records may be stale: lists, pages, duplicates, activities. */
function refreshAfterMerge(queryClient: QueryClient, object: ObjectDescription) {
  void queryClient.invalidateQueries({ queryKey: keys.records(object.resource).all });
  void queryClient.invalidateQueries({ queryKey: keys.duplicates.all });
  void queryClient.invalidateQueries({ queryKey: keys.records('activities').all });
}

/** Undoes a merge from the toast that announced it. */
async function undoMerge(queryClient: QueryClient, object: ObjectDescription, mergeId: string) {
  try {
    const r = await unwrap(
      http.POST('/api/v1/merges/{id}/undo', { params: { path: { id: mergeId } } }),
    );
    toast.success(`Merge undone: ${counted(object, r.restoredIds.length)} restored`);
  } catch (e) {
    showApiError(e);
  }
  refreshAfterMerge(queryClient, object);
}

function Value({
  row,
  value,
  defsText,
  object,
  objects,
}: {
  row: MergeRow;
  value: unknown;
  defsText: string;
  object: ObjectDescription;
  objects: readonly ObjectDescription[];
}) {
  const { nameOf } = useUsers();
  if (isBlank(value)) return <span className="italic text-ink-soft">empty</span>;
  if (row.field === 'customFields' && !row.described)
    return <span className="whitespace-pre-line">{defsText}</span>;
  if (!row.described) return <>{formatValue({ kind: 'text' }, value)}</>;
  if (row.combinable && Array.isArray(value)) return <>{value.join(', ')}</>;
  const spec = fieldSpec(row.described, { [row.field]: value } as never, objects);
  if (spec.kind === 'user' && typeof value === 'string') return <>{nameOf(value)}</>;
  if (spec.relation && typeof value === 'string')
    return <RecordName resource={spec.relation.resource} id={value} link={false} />;
  void object;
  return (
    <>
      {formatValue(
        {
          kind: spec.kind,
          ...(spec.currency ? { currency: spec.currency } : {}),
          ...(spec.keys ? { keys: spec.keys } : {}),
        },
        spec.value,
      )}
    </>
  );
}

/**
 * Compares duplicate records of any object that merges side by side: the user picks the record
 * that survives and, per field (the object's own, from `GET /api/v1/objects`), whose value it
 * keeps. The merge answers with an id the toast's Undo uses for 30 days.
 */
export function MergeDialog({
  open,
  onOpenChange,
  object: given,
  kind,
  records,
  onMerged,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The object merged; or `kind`, its key, to look it up among the described objects. */
  object?: ObjectDescription;
  kind?: string;
  records: MergeRecord[];
  onMerged?: (survivorId: string, sourceIds: string[]) => void;
}) {
  const queryClient = useQueryClient();
  const { object, objects } = useMergeObject(given, kind);
  const defs = object?.fields ?? [];
  const [survivorId, setSurvivorId] = useState(records[0]?.id ?? '');
  const [picked, setPicked] = useState<Record<string, MergeChoice>>({});
  const ids = records.map((r) => r.id).join(',');
  useEffect(() => {
    // A new set of records starts from the API's defaults again.
    setSurvivorId(ids.split(',')[0] ?? '');
    setPicked({});
  }, [ids, open]);

  const rows = object
    ? mergeRowsOf(object, records).filter((row) => !isAllBlank(row, records))
    : [];
  const choiceOf = (row: MergeRow) => picked[row.field] ?? defaultChoice(row, records, survivorId);
  const survivor = records.find((r) => r.id === survivorId);
  const sources = records.filter((r) => r.id !== survivorId);
  const nameOf = (r: MergeRecord) => titleOf(r, object?.titleField);

  const merge = useMutation({
    mutationFn: () => {
      if (!object) throw new Error('the object is still loading');
      const fields = Object.fromEntries(
        rows
          .filter((row) => !isUniform(row, records) && choiceOf(row) !== COMBINE)
          .map((row) => [row.field, choiceOf(row)]),
      );
      return unwrap(
        http.POST('/api/v1/{resource}/{id}/merge', {
          params: { path: { resource: object.resource, id: survivorId } },
          body: { sourceIds: sources.map((s) => s.id), fields },
        }),
      );
    },
    onSuccess: (result) => {
      if (!object) return;
      onOpenChange(false);
      refreshAfterMerge(queryClient, object);
      const survivorRecord = result.survivor as MergeRecord;
      toast.success(`Merged ${counted(object, sources.length)} into ${nameOf(survivorRecord)}`, {
        description: 'Their activities and links moved to it.',
        duration: 20_000,
        action: {
          label: 'Undo',
          onClick: () => void undoMerge(queryClient, object, result.mergeId),
        },
      });
      onMerged?.(
        survivorRecord.id,
        sources.map((s) => s.id),
      );
    },
    onError: (e) => showApiError(e),
  });
  const singular = object?.labels.singular.toLowerCase() ?? 'record';

  // On a phone the field name takes its own line so two records still fit side by side.
  const columns = { '--records': records.length } as CSSProperties;
  const grid =
    'grid min-w-fit gap-x-3 text-sm grid-cols-[repeat(var(--records),minmax(9rem,1fr))] sm:grid-cols-[9rem_repeat(var(--records),minmax(11rem,1fr))]';
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      size="lg"
      title={object ? `Merge ${counted(object, records.length)}` : 'Merge'}
      description={`Choose the ${singular} that stays, then for each field whose value it keeps. The others are merged into it; you can undo this for 30 days.`}
    >
      <div className="overflow-x-auto" data-testid="merge-dialog">
        <div
          className={`${grid} border-b border-line`}
          style={columns}
          role="radiogroup"
          aria-label={`The ${singular} that stays`}
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
                aria-label={`Keep ${nameOf(r)}`}
              />
              <span className="min-w-0">
                <span className="block truncate font-medium text-ink">{nameOf(r)}</span>
                <span className="block text-xs text-ink-soft">
                  {r.id === survivorId ? 'Stays' : 'Merged into the one that stays'} · created{' '}
                  {r.createdAt ? formatDate(r.createdAt) : ''}
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
                      aria-label={`${row.label} from ${nameOf(r)}`}
                    />
                  )}
                  <span className="min-w-0 break-words">
                    <Value
                      object={object as ObjectDescription}
                      objects={objects}
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
            ? `${nameOf(survivor)} stays; ${sources.map(nameOf).join(', ')} will be merged into it.`
            : null}
        </p>
        <Button variant="secondary" onClick={() => onOpenChange(false)}>
          Cancel
        </Button>
        <Button
          onClick={() => merge.mutate()}
          disabled={merge.isPending || !object || !survivor || sources.length === 0}
          data-testid="merge-confirm"
        >
          {merge.isPending ? 'Merging…' : `Merge into ${survivor ? nameOf(survivor) : '…'}`}
        </Button>
      </div>
    </Dialog>
  );
}
