import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import {
  Button,
  Card,
  EmptyState,
  formatDate,
  Input,
  PageHeader,
  Skeleton,
} from '../../components/ui';
import { cn } from '../../lib/cn';
import { mailboxQuery, type MailboxFilters } from './mailbox-query';

const NO_FILTERS: MailboxFilters = { to: '', subject: '' };

/** Recipient and subject fields; they apply on Enter or Filter, not on every keystroke (an address matches only once complete). */
function FilterForm({
  applied,
  onApply,
}: {
  applied: MailboxFilters;
  onApply: (f: MailboxFilters) => void;
}) {
  const [draft, setDraft] = useState(applied);
  const handleSubmit = (e: FormEvent) => {
    e.preventDefault();
    onApply(draft);
  };
  const filtered = Boolean(applied.to || applied.subject);
  return (
    <form className="flex flex-wrap items-center gap-2" onSubmit={handleSubmit} role="search">
      <Input
        className="max-w-xs"
        type="search"
        aria-label="Recipient address"
        placeholder="To, e.g. ada@example.com"
        value={draft.to}
        onChange={(e) => setDraft({ ...draft, to: e.target.value })}
      />
      <Input
        className="max-w-xs"
        type="search"
        aria-label="Subject contains"
        placeholder="Subject contains…"
        value={draft.subject}
        onChange={(e) => setDraft({ ...draft, subject: e.target.value })}
      />
      <Button type="submit" variant="secondary">
        Filter
      </Button>
      {filtered ? (
        <Button
          type="button"
          variant="ghost"
          onClick={() => {
            setDraft(NO_FILTERS);
            onApply(NO_FILTERS);
          }}
        >
          Clear
        </Button>
      ) : null}
    </form>
  );
}

/** Settings → Dev mailbox: captured mail, newest first, filterable by recipient and subject, paged with Load more. */
export default function Mailbox() {
  const [filters, setFilters] = useState<MailboxFilters>(NO_FILTERS);
  const list = useInfiniteQuery({
    queryKey: keys.mailbox.list(filters),
    queryFn: ({ pageParam }) =>
      unwrap(http.GET('/api/v1/mailbox', { params: { query: mailboxQuery(filters, pageParam) } })),
    initialPageParam: '',
    getNextPageParam: (last) => last.meta.nextCursor ?? undefined,
    refetchInterval: 5000,
  });
  const [selected, setSelected] = useState<string | null>(null);
  const message = useQuery({
    queryKey: keys.mailbox.detail(selected ?? ''),
    queryFn: () =>
      unwrap(http.GET('/api/v1/mailbox/{id}', { params: { path: { id: selected ?? '' } } })),
    enabled: Boolean(selected),
  });
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  const total = list.data?.pages[0]?.meta.total;
  const filtered = Boolean(filters.to || filters.subject);
  return (
    <div className="space-y-4">
      <PageHeader
        title="Dev mailbox"
        description="Without SMTP_URL, outgoing mail (invitations, password resets) lands here instead of being sent."
      />
      <FilterForm
        applied={filters}
        onApply={(f) => {
          setSelected(null);
          setFilters(f);
        }}
      />
      {list.isPending ? (
        <Skeleton />
      ) : rows.length === 0 ? (
        filtered ? (
          <EmptyState
            title="No matching mail"
            body="No captured message matches this recipient and subject."
          />
        ) : (
          <EmptyState
            title="No mail yet"
            body="Invite a user or ask for a password reset; the email shows up here within seconds."
          />
        )
      ) : (
        <div className="grid gap-4 lg:grid-cols-[20rem_1fr]">
          <div className="space-y-2">
            {total !== undefined ? (
              <p className="text-xs text-ink-soft" data-testid="mailbox-count">
                Showing {rows.length} of {total}
              </p>
            ) : null}
            <ul className="divide-y divide-line overflow-hidden rounded-lg border border-line bg-panel">
              {rows.map((m) => (
                <li key={m.id}>
                  <button
                    type="button"
                    onClick={() => setSelected(m.id)}
                    className={cn(
                      'w-full px-3 py-2 text-left hover:bg-muted',
                      selected === m.id && 'bg-accent-soft',
                    )}
                  >
                    <p className="truncate text-sm font-medium text-ink">{m.subject}</p>
                    <p className="truncate text-xs text-ink-soft">
                      {m.to} · {formatDate(m.createdAt)}
                    </p>
                  </button>
                </li>
              ))}
            </ul>
            {list.hasNextPage ? (
              <Button
                variant="secondary"
                onClick={() => void list.fetchNextPage()}
                disabled={list.isFetchingNextPage}
              >
                {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </Button>
            ) : null}
          </div>
          <Card>
            {!selected ? (
              <p className="text-sm text-ink-soft">Choose a message to read it.</p>
            ) : message.data ? (
              <article>
                <h2 className="font-medium text-ink">{message.data.subject}</h2>
                <p className="mt-1 text-xs text-ink-soft">
                  From {message.data.from} to {message.data.to} ·{' '}
                  {formatDate(message.data.createdAt)}
                </p>
                {/* The HTML body is shown in a sandboxed frame: no scripts, no access to this page. */}
                {message.data.html ? (
                  <iframe
                    title="Message"
                    sandbox="allow-popups"
                    srcDoc={message.data.html}
                    className="mt-4 h-80 w-full rounded border border-line bg-white"
                  />
                ) : (
                  <pre className="mt-4 whitespace-pre-wrap text-sm text-ink">
                    {message.data.text}
                  </pre>
                )}
              </article>
            ) : (
              <Skeleton rows={3} />
            )}
          </Card>
        </div>
      )}
    </div>
  );
}
