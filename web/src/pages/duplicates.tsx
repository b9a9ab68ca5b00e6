import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { can, useMe } from '../api/session';
import {
  Badge,
  Button,
  Card,
  EmptyState,
  formatDate,
  PageHeader,
  Skeleton,
} from '../components/ui';
import { cn } from '../lib/cn';
import { MergeDialog } from './merge-dialog';
import { DUPLICATE_REASONS, type DuplicateGroup, type MergeRecord } from './merge-fields';
import { duplicatesQuery } from './merge-with';

const KINDS = [
  {
    kind: 'contact',
    resource: 'contacts',
    label: 'Contacts',
    how: 'contacts that share an email or a phone, or have near-identical names at the same company',
  },
  {
    kind: 'company',
    resource: 'companies',
    label: 'Companies',
    how: 'companies with near-identical names',
  },
] as const;

const detailOf = (r: MergeRecord) =>
  ('domain' in r ? [r.domain, r.industry] : [r.email, r.phone, r.title])
    .filter(Boolean)
    .join(' · ');
/** Only email and phone keys mean something to a reader; name matches are keyed by ids. */
const shownKey = (g: DuplicateGroup) =>
  g.reason === 'same_email' || g.reason === 'same_phone' ? g.key : null;

/** Duplicate contacts and companies, grouped by why they look alike, each group one click from the merge dialog. */
export default function Duplicates() {
  const me = useMe().data;
  const [params, setParams] = useSearchParams();
  const active = KINDS.find((k) => k.resource === params.get('type')) ?? KINDS[0];
  const groups = useQuery(duplicatesQuery(active.kind));
  const [merging, setMerging] = useState<DuplicateGroup | null>(null);
  const canMerge = can(me, `${active.resource}:update`);
  const list = groups.data?.data ?? [];
  return (
    <div className="mx-auto max-w-5xl space-y-4">
      <PageHeader
        title="Duplicates"
        description={`Cerebro looks for ${active.how}. Merging keeps one record with the values you choose and moves every activity to it.`}
      />
      <div role="group" aria-label="Record type" className="flex gap-1">
        {KINDS.map((k) => (
          <button
            key={k.kind}
            type="button"
            aria-pressed={k.kind === active.kind}
            onClick={() => setParams(k.kind === 'contact' ? {} : { type: k.resource })}
            className={cn(
              'rounded-md px-3 py-1.5 text-sm',
              k.kind === active.kind
                ? 'bg-accent-soft font-medium text-accent'
                : 'text-ink-soft hover:bg-muted hover:text-ink',
            )}
          >
            {k.label}
          </button>
        ))}
      </div>
      {groups.isPending ? (
        <Skeleton rows={6} />
      ) : groups.isError ? (
        <EmptyState
          title="Could not look for duplicates"
          body={groups.error.message}
          action={
            <Button variant="secondary" onClick={() => void groups.refetch()}>
              Try again
            </Button>
          }
        />
      ) : list.length === 0 ? (
        <EmptyState
          title={`No duplicate ${active.resource} found`}
          body={`Nothing to clean up right now. Check again after an import, or use “Merge with…” on a record page when you spot one yourself.`}
          action={
            <Link
              className="text-accent underline decoration-accent/40 underline-offset-2 hover:decoration-accent"
              to={`/${active.resource}`}
            >
              Back to {active.resource}
            </Link>
          }
        />
      ) : (
        <ul className="space-y-3" data-testid="duplicate-groups">
          {list.map((g) => (
            <li key={`${g.reason}:${g.key}`}>
              <Card className="p-4">
                <div className="mb-2 flex flex-wrap items-center gap-2">
                  <Badge tone="accent">{DUPLICATE_REASONS[g.reason] ?? g.reason}</Badge>
                  {shownKey(g) ? (
                    <span className="truncate text-sm text-ink-soft">{shownKey(g)}</span>
                  ) : null}
                  <span className="ml-auto" />
                  {canMerge ? (
                    <Button size="sm" onClick={() => setMerging(g)} data-testid="merge-group">
                      Merge {g.records.length}…
                    </Button>
                  ) : null}
                </div>
                <ul className="divide-y divide-line text-sm">
                  {g.records.map((r) => (
                    <li key={r.id} className="flex flex-wrap items-baseline gap-x-3 py-1.5">
                      <Link
                        to={`/${active.resource}/${r.id}`}
                        className="font-medium text-ink hover:text-accent"
                      >
                        {r.name}
                      </Link>
                      <span className="min-w-0 flex-1 truncate text-ink-soft">
                        {detailOf(r) || 'No other details'}
                      </span>
                      <span className="text-xs text-ink-soft">
                        created {formatDate(r.createdAt)}
                      </span>
                    </li>
                  ))}
                </ul>
              </Card>
            </li>
          ))}
        </ul>
      )}
      {merging ? (
        <MergeDialog
          open
          onOpenChange={(o) => (o ? undefined : setMerging(null))}
          kind={active.kind}
          records={merging.records}
        />
      ) : null}
    </div>
  );
}
