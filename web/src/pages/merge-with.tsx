import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/client';
import { Dialog, Skeleton } from '../components/ui';
import { showApiError } from '../lib/form-errors';
import { MergeDialog } from './merge-dialog';
import { DUPLICATE_REASONS, type DuplicateGroup, type MergeRecord } from './merge-fields';
import { RecordPicker } from './record-picker';

const RESOURCE = { contact: 'contacts', company: 'companies' } as const;

/** The duplicate groups of one record type; shared by the duplicates page and "Merge with…". */
export const duplicatesQuery = (kind: 'contact' | 'company') => ({
  queryKey: ['duplicates', kind],
  queryFn: () => api<{ data: DuplicateGroup[] }>('GET', `/${RESOURCE[kind]}/duplicates`),
});

/**
 * "Merge with…" from a record page: the likely duplicates of this record first, or any other record
 * by search; picking one opens the side-by-side merge dialog.
 */
export function MergeWith({
  open,
  onOpenChange,
  kind,
  record,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  kind: 'contact' | 'company';
  record: MergeRecord;
}) {
  const navigate = useNavigate();
  const [other, setOther] = useState<MergeRecord | null>(null);
  const groups = useQuery({ ...duplicatesQuery(kind), enabled: open });
  const likely = new Map<string, { record: MergeRecord; reason: string }>();
  for (const g of groups.data?.data ?? []) {
    if (!g.records.some((r) => r.id === record.id)) continue;
    for (const r of g.records)
      if (r.id !== record.id && !likely.has(r.id))
        likely.set(r.id, { record: r, reason: g.reason });
  }
  const pick = async (id: string) => {
    try {
      setOther(await api<MergeRecord>('GET', `/${RESOURCE[kind]}/${id}`));
    } catch (e) {
      showApiError(e);
    }
  };
  const close = () => (setOther(null), onOpenChange(false));
  return (
    <>
      <Dialog
        open={open && !other}
        onOpenChange={(o) => (o ? onOpenChange(true) : close())}
        title={`Merge ${record.name} with…`}
        description={`Pick the ${kind} that is the same ${kind === 'contact' ? 'person' : 'company'}. You choose what survives on the next step.`}
      >
        <div className="space-y-4">
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
                      <span className="truncate font-medium text-ink">{r.name}</span>
                      <span className="shrink-0 text-xs text-ink-soft">
                        {DUPLICATE_REASONS[reason] ?? reason}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section>
            <h3 className="mb-1.5 text-xs font-medium uppercase tracking-wide text-ink-soft">
              Or find another {kind}
            </h3>
            <RecordPicker
              resource={RESOURCE[kind]}
              label={`Find another ${kind}`}
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
          kind={kind}
          records={[record, other]}
          onMerged={(survivorId) =>
            survivorId !== record.id
              ? void navigate(`/${RESOURCE[kind]}/${survivorId}`, { replace: true })
              : undefined
          }
        />
      ) : null}
    </>
  );
}
