import { useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import { api, type Page } from '../../api/client';
import { can, useMe } from '../../api/session';
import type { Ticket } from '../../api/types';
import {
  Badge,
  Button,
  EmptyState,
  formatDate,
  Input,
  PageHeader,
  Select,
  Skeleton,
  Table,
  Td,
} from '../../components/ui';
import { useShortcut } from '../../lib/use-shortcut';
import { useUsers } from '../../lib/use-users';
import { RecordName } from '../record-links';
import { NewTicketDialog } from './new-ticket-dialog';
import {
  PRIORITY_TONE,
  PRIORITY_WORDS,
  STATUS_TONE,
  STATUS_WORDS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  ticketRef,
} from './ticket-words';

/** "Unsolved" is what a support queue usually means: everything still waiting on someone. */
const UNSOLVED = 'new,open,pending,on_hold';

function query(q: string, status: string, priority: string, cursor: string): string {
  const parts = ['limit=50', 'count=true', 'sort=-createdAt'];
  if (q.trim()) parts.push(`q=${encodeURIComponent(q.trim())}`);
  if (status)
    parts.push(status.includes(',') ? `filter[status][in]=${status}` : `filter[status]=${status}`);
  if (priority) parts.push(`filter[priority]=${priority}`);
  if (cursor) parts.push(`cursor=${cursor}`);
  return parts.join('&');
}

/** The support queue: tickets newest first, filtered by status and priority, searchable by subject or number. */
export default function Tickets() {
  const me = useMe().data;
  const { nameOf } = useUsers();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState('');
  const [priority, setPriority] = useState('');
  const [creating, setCreating] = useState(false);
  const mayCreate = can(me, 'tickets:create');
  const openNew = useCallback(() => setCreating(true), []);
  useShortcut('n', openNew, mayCreate);
  const list = useInfiniteQuery({
    queryKey: ['tickets', 'list', q, status, priority],
    queryFn: ({ pageParam }) =>
      api<Page<Ticket>>('GET', `/tickets?${query(q, status, priority, pageParam)}`),
    initialPageParam: '',
    getNextPageParam: (last) => last.meta.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  const filtered = Boolean(q.trim() || status || priority);
  const newButton = mayCreate ? (
    <Button onClick={openNew} data-testid="new-ticket" aria-keyshortcuts="n" title="New ticket (N)">
      New ticket{' '}
      <kbd className="rounded border border-white/40 px-1 text-[10px] font-normal">N</kbd>
    </Button>
  ) : null;
  return (
    <div className="mx-auto max-w-6xl space-y-4">
      <PageHeader
        title="Tickets"
        description={
          list.data
            ? `${list.data.pages[0]?.meta.total ?? 0} tickets`
            : 'Customer requests and their progress'
        }
        actions={newButton}
      />
      <div className="flex flex-wrap gap-2">
        <Input
          className="max-w-xs"
          aria-label="Search tickets"
          placeholder="Search subject or #number"
          value={q}
          onChange={(e) => setQ(e.target.value.replace(/^#/, ''))}
          data-testid="ticket-search"
        />
        <Select
          aria-label="Status"
          className="w-40"
          value={status}
          onChange={(e) => setStatus(e.target.value)}
          data-testid="ticket-status-filter"
        >
          <option value="">Any status</option>
          <option value={UNSOLVED}>Unsolved</option>
          {TICKET_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_WORDS[s]}
            </option>
          ))}
        </Select>
        <Select
          aria-label="Priority"
          className="w-40"
          value={priority}
          onChange={(e) => setPriority(e.target.value)}
          data-testid="ticket-priority-filter"
        >
          <option value="">Any priority</option>
          {TICKET_PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {PRIORITY_WORDS[p]}
            </option>
          ))}
        </Select>
      </div>
      {list.isPending ? (
        <Skeleton rows={8} />
      ) : list.isError ? (
        <EmptyState
          title="The tickets could not be loaded"
          body={list.error instanceof Error ? list.error.message : 'Try again in a moment.'}
        />
      ) : rows.length === 0 ? (
        filtered ? (
          <EmptyState
            title="No ticket matches"
            body="Try another word or number, or set Status and Priority back to Any."
          />
        ) : (
          <EmptyState
            title="No tickets yet"
            body={
              mayCreate
                ? 'When a customer calls, chats or writes in, log it here with New ticket (or press N). Tickets also arrive through the API (POST /api/v1/tickets) and from workflows.'
                : 'Tickets your team works on will show here. Ask an admin for the tickets permissions if you expected to see some.'
            }
            action={
              mayCreate ? (
                <Button variant="secondary" onClick={openNew}>
                  Open the first ticket
                </Button>
              ) : undefined
            }
          />
        )
      ) : (
        <Table head={['#', 'Subject', 'Status', 'Priority', 'Requester', 'Assignee', 'Opened']}>
          {rows.map((t) => (
            <tr key={t.id} data-testid="ticket-row" data-ticket-id={t.id}>
              <Td className="whitespace-nowrap text-ink-soft">{ticketRef(t)}</Td>
              <Td className="font-medium">
                <Link className="text-ink hover:text-accent" to={`/tickets/${t.id}`}>
                  {t.subject}
                </Link>
              </Td>
              <Td>
                <Badge tone={STATUS_TONE[t.status]}>{STATUS_WORDS[t.status]}</Badge>
              </Td>
              <Td>
                <Badge tone={PRIORITY_TONE[t.priority]}>{PRIORITY_WORDS[t.priority]}</Badge>
              </Td>
              <Td>
                {t.contactId ? (
                  <RecordName resource="contacts" id={t.contactId} link={false} />
                ) : (
                  <span className="text-ink-soft">—</span>
                )}
              </Td>
              <Td>{nameOf(t.ownerId) ?? <span className="text-ink-soft">Unassigned</span>}</Td>
              <Td className="whitespace-nowrap text-ink-soft">{formatDate(t.createdAt)}</Td>
            </tr>
          ))}
        </Table>
      )}
      {list.hasNextPage ? (
        <Button variant="secondary" onClick={() => void list.fetchNextPage()}>
          Load more
        </Button>
      ) : null}
      <NewTicketDialog open={creating} onOpenChange={setCreating} />
    </div>
  );
}
