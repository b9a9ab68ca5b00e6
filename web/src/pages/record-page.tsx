import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../api/client';
import { http, unwrap } from '../api/http';
import { keys } from '../api/keys';
import { EmptyState, Skeleton } from '../components/ui';

/** The custom field definitions of one object type, shared by its record pages and the merge dialog. */
export function useCustomFieldDefs(objectType: 'contact' | 'company' | 'ticket') {
  return useQuery({
    queryKey: keys.customFields(objectType),
    queryFn: () =>
      unwrap(http.GET('/api/v1/custom-fields', { params: { query: { objectType, limit: 200 } } })),
    staleTime: 60_000,
  });
}

/** What a record page shows when its record cannot be read: merged away (with the way on), or gone. */
export function RecordMissing({
  error,
  resource,
  singular,
}: {
  error: unknown;
  resource: string;
  singular: string;
}) {
  const survivorId =
    error instanceof ApiError &&
    error.code === 'RECORD_MERGED' &&
    typeof error.info.survivorId === 'string'
      ? error.info.survivorId
      : null;
  if (survivorId) {
    return (
      <EmptyState
        title={`This ${singular} was merged into another`}
        body={`Its details, activities and relations now live on the surviving ${singular}. A merge can be undone for 30 days from the toast shown after it.`}
        action={
          <Link
            className="text-accent underline decoration-accent/40 underline-offset-2 hover:decoration-accent"
            to={`/${resource}/${survivorId}`}
          >
            Open the surviving {singular}
          </Link>
        }
      />
    );
  }
  return (
    <EmptyState
      title={`${singular[0]?.toUpperCase()}${singular.slice(1)} not found`}
      body="It may have been deleted or merged, or you may not have access to it."
      action={
        <Link
          className="text-accent underline decoration-accent/40 underline-offset-2 hover:decoration-accent"
          to={`/${resource}`}
        >
          Back to {resource}
        </Link>
      }
    />
  );
}

/** The loading shape of a record page: header, fields column and main column. */
export function RecordSkeleton() {
  return (
    <div className="mx-auto max-w-6xl space-y-4" aria-busy="true" aria-label="Loading">
      <div className="flex items-center gap-3">
        <div className="size-12 animate-pulse rounded-full bg-muted" />
        <div className="space-y-2">
          <div className="h-5 w-56 animate-pulse rounded bg-muted" />
          <div className="h-3 w-40 animate-pulse rounded bg-muted" />
        </div>
      </div>
      <div className="grid gap-4 lg:grid-cols-[22rem_minmax(0,1fr)]">
        <Skeleton rows={8} />
        <Skeleton rows={5} />
      </div>
    </div>
  );
}

/** The head of a record page: initials, name, a badge, one line of context and the actions. */
export function RecordHeader({
  name,
  badge,
  lines,
  actions,
  back,
}: {
  name: string;
  badge?: ReactNode;
  lines: ReactNode[];
  actions?: ReactNode;
  back: { to: string; label: string };
}) {
  const initials =
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((w) => w[0]?.toUpperCase())
      .join('') || '?';
  return (
    <header className="space-y-3">
      <Link to={back.to} className="text-sm text-ink-soft hover:text-accent">
        ← {back.label}
      </Link>
      <div className="flex flex-wrap items-start gap-4">
        <span
          className="grid size-12 shrink-0 place-items-center rounded-full bg-accent-soft text-lg font-semibold text-accent"
          aria-hidden
        >
          {initials}
        </span>
        {/* A basis keeps the name from being squeezed beside the actions on a phone: they wrap below instead. */}
        <div className="min-w-0 flex-1 basis-64">
          <h1 className="flex flex-wrap items-center gap-2 text-xl font-semibold text-ink">
            <span className="min-w-0 wrap-anywhere">{name}</span>
            {badge}
          </h1>
          {lines.filter(Boolean).map((line, i) => (
            <p key={i} className="mt-0.5 text-sm text-ink-soft wrap-anywhere">
              {line}
            </p>
          ))}
        </div>
        {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
      </div>
    </header>
  );
}
