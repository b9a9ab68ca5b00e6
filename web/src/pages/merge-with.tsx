import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { http, unwrap } from '../api/http';
import { keys } from '../api/keys';
import { getRecord } from '../api/records';
import type { ObjectDescription } from '../api/types';
import { Dialog, Skeleton } from '../components/ui';
import { showApiError } from '../lib/form-errors';
import { MergeDialog, useMergeObject } from './merge-dialog';
import { DUPLICATE_REASONS, type DuplicateGroup, type MergeRecord } from './merge-fields';
import { titleSort } from './objects/field-specs';
import { RecordPicker } from './record-picker';
import { titleOf } from './record-links';

/**
 * The API's duplicate finders, by resource: the objects it looks for likely duplicates of. Any
 * other object that merges is merged with a record found by search.
 */
const DUPLICATE_FINDERS: Readonly<Record<string, () => Promise<{ data: DuplicateGroup[] }>>> = {
  contacts: () => unwrap(http.GET('/api/v1/contacts/duplicates')),
  companies: () => unwrap(http.GET('/api/v1/companies/duplicates')),
};
const RESOURCE_OF: Readonly<Record<string, string>> = { contact: 'contacts', company: 'companies' };

/** The duplicate groups of one object (by key); shared by the duplicates page and "Merge with…". */
export const duplicatesQuery = (objectKey: string) => ({
  queryKey: keys.duplicates.of(objectKey),
  queryFn: (): Promise<{ data: DuplicateGroup[] }> =>
    DUPLICATE_FINDERS[RESOURCE_OF[objectKey] ?? objectKey]?.() ?? Promise.resolve({ data: [] }),
});

/**
 * "Merge with…" from a record page of any object that merges: the likely duplicates of this
 * record first (where the API finds them), or any other record by search; picking one opens the
 * side-by-side merge dialog.
 */
export function MergeWith({
  open,
  onOpenChange,
  object: given,
  kind,
  record,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The object merged; or `kind`, its key, to look it up among the described objects. */
  object?: ObjectDescription;
  kind?: string;
  record: MergeRecord;
}) {
  const navigate = useNavigate();
  const { object } = useMergeObject(given, kind);
  const [other, setOther] = useState<MergeRecord | null>(null);
  const findsDuplicates = object ? object.resource in DUPLICATE_FINDERS : false;
  const groups = useQuery({
    ...duplicatesQuery(object?.key ?? ''),
    enabled: open && findsDuplicates,
  });
  const likely = new Map<string, { record: MergeRecord; reason: string }>();
  for (const g of groups.data?.data ?? []) {
    if (!g.records.some((r) => r.id === record.id)) continue;
    for (const r of g.records)
      if (r.id !== record.id && !likely.has(r.id))
        likely.set(r.id, { record: r, reason: g.reason });
  }
  const pick = async (id: string) => {
    if (!object) return;
    try {
      setOther(await getRecord(object.resource, id));
    } catch (e) {
      showApiError(e);
    }
  };
  const close = () => (setOther(null), onOpenChange(false));
  if (!object) return null;
  const singular = object.labels.singular.toLowerCase();
  const nameOf = (r: MergeRecord) => titleOf(r, object.titleField);
  return (
    <>
      <Dialog
        open={open && !other}
        onOpenChange={(o) => (o ? onOpenChange(true) : close())}
        title={`Merge ${nameOf(record)} with…`}
        description={`Pick the ${singular} that is the same as this one. You choose what survives on the next step.`}
      >
        <div className="space-y-4">
          {findsDuplicates ? (
            <section aria-labelledby="likely-heading">
              <h3
                id="likely-heading"
                className="mb-1.5 text-xs font-medium uppercase tracking-wide text-ink-soft"
              >
                Likely duplicates
              </h3>
              {groups.isPending ? (
                <Skeleton rows={2} />
              ) : likely.size === 0 ? (
                <p className="text-sm text-ink-soft">
                  None found by email, phone or name. Search below if you know of one.
                </p>
              ) : (
                <ul className="space-y-1" data-testid="likely-duplicates">
                  {[...likely.values()].map(({ record: r, reason }) => (
                    <li key={r.id}>
                      <button
                        type="button"
                        onClick={() => setOther(r)}
                        className="flex w-full items-baseline justify-between gap-3 rounded-md border border-line px-3 py-2 text-left text-sm hover:border-accent/50 hover:bg-muted"
                      >
                        <span className="truncate font-medium text-ink">{nameOf(r)}</span>
                        <span className="shrink-0 text-xs text-ink-soft">
                          {DUPLICATE_REASONS[reason] ?? reason}
                        </span>
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          ) : null}
          <section>
            <h3 className="mb-1.5 text-xs font-medium uppercase tracking-wide text-ink-soft">
              {findsDuplicates ? 'Or find another' : 'Find the'} {singular}
            </h3>
            <RecordPicker
              resource={object.resource}
              titleField={object.titleField}
              sort={titleSort(object)}
              label={`Find another ${singular}`}
              excludeIds={[record.id]}
              onPick={(r) => void pick(r.id)}
            />
          </section>
        </div>
      </Dialog>
      {other ? (
        <MergeDialog
          open
          onOpenChange={(o) => (o ? undefined : close())}
          object={object}
          records={[record, other]}
          onMerged={(survivorId) =>
            survivorId !== record.id
              ? void navigate(`/${object.resource}/${survivorId}`, { replace: true })
              : undefined
          }
        />
      ) : null}
    </>
  );
}
