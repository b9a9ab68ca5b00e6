import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Page } from '../../api/client';
import type { Mail } from '../../api/types';
import { Card, EmptyState, formatDate, PageHeader, Skeleton } from '../../components/ui';
import { cn } from '../../lib/cn';

export default function Mailbox() {
  const list = useQuery({ queryKey: ['mailbox'], queryFn: () => api<Page<Mail>>('GET', '/mailbox'), refetchInterval: 5000 });
  const [selected, setSelected] = useState<string | null>(null);
  const message = useQuery({ queryKey: ['mailbox', selected], queryFn: () => api<Mail>('GET', `/mailbox/${selected ?? ''}`), enabled: Boolean(selected) });
  return (
    <div className="space-y-4">
      <PageHeader title="Dev mailbox" description="Without SMTP_URL, outgoing mail (invitations, password resets) lands here instead of being sent." />
      {list.isPending ? <Skeleton /> : list.data?.data.length === 0 ? (
        <EmptyState title="No mail yet" body="Invite a user or ask for a password reset; the email shows up here within seconds." />
      ) : (
        <div className="grid gap-4 lg:grid-cols-[20rem_1fr]">
          <ul className="divide-y divide-line overflow-hidden rounded-lg border border-line bg-panel">
            {list.data?.data.map((m) => (
              <li key={m.id}>
                <button type="button" onClick={() => setSelected(m.id)} className={cn('w-full px-3 py-2 text-left hover:bg-muted', selected === m.id && 'bg-accent-soft')}>
                  <p className="truncate text-sm font-medium text-ink">{m.subject}</p>
                  <p className="truncate text-xs text-ink-soft">{m.to} · {formatDate(m.createdAt)}</p>
                </button>
              </li>
            ))}
          </ul>
          <Card>
            {!selected ? <p className="text-sm text-ink-soft">Choose a message to read it.</p> : message.data ? (
              <article>
                <h2 className="font-medium text-ink">{message.data.subject}</h2>
                <p className="mt-1 text-xs text-ink-soft">From {message.data.from} to {message.data.to} · {formatDate(message.data.createdAt)}</p>
                {/* The HTML body is shown in a sandboxed frame: no scripts, no access to this page. */}
                {message.data.html ? (
                  <iframe title="Message" sandbox="allow-popups" srcDoc={message.data.html} className="mt-4 h-80 w-full rounded border border-line bg-white" />
                ) : (
                  <pre className="mt-4 whitespace-pre-wrap text-sm text-ink">{message.data.text}</pre>
                )}
              </article>
            ) : <Skeleton rows={3} />}
          </Card>
        </div>
      )}
    </div>
  );
}
