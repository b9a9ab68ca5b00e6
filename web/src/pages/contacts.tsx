import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useParams } from 'react-router';
import { toast } from 'sonner';
import { z } from 'zod';
import { api, type Page } from '../api/client';
import { can, useMe } from '../api/session';
import type { Contact } from '../api/types';
import { Badge, Button, Card, Dialog, EmptyState, Field, formatDate, Input, PageHeader, Select, Skeleton } from '../components/ui';
import { showApiError } from '../lib/form-errors';
import { ContactsTable } from './contacts-table';

const createSchema = z.object({ firstName: z.string(), lastName: z.string(), email: z.union([z.literal(''), z.email('Enter a valid email')]), phone: z.string(), title: z.string() });

function CreateContact({ open, onOpenChange }: { open: boolean; onOpenChange: (o: boolean) => void }) {
  const queryClient = useQueryClient();
  const form = useForm<z.infer<typeof createSchema>>({ resolver: zodResolver(createSchema), defaultValues: { firstName: '', lastName: '', email: '', phone: '', title: '' } });
  const onSubmit = form.handleSubmit(async (v) => {
    try {
      const body = Object.fromEntries(Object.entries(v).filter(([, x]) => x.trim() !== ''));
      await api('POST', '/contacts', body);
      toast.success('Contact created');
      form.reset();
      onOpenChange(false);
      await queryClient.invalidateQueries({ queryKey: ['contacts'] });
    } catch (e) {
      showApiError(e, form.setError, ['firstName', 'lastName', 'email', 'phone', 'title']);
    }
  });
  const err = form.formState.errors;
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="New contact">
      <form onSubmit={(e) => void onSubmit(e)} className="grid grid-cols-2 gap-3" noValidate>
        <Field label="First name" id="c-first" error={err.firstName?.message}><Input id="c-first" autoFocus {...form.register('firstName')} /></Field>
        <Field label="Last name" id="c-last" error={err.lastName?.message}><Input id="c-last" {...form.register('lastName')} /></Field>
        <Field label="Email" id="c-email" error={err.email?.message}><Input id="c-email" type="email" {...form.register('email')} /></Field>
        <Field label="Phone" id="c-phone" error={err.phone?.message}><Input id="c-phone" {...form.register('phone')} /></Field>
        <div className="col-span-2"><Field label="Title" id="c-title" error={err.title?.message}><Input id="c-title" {...form.register('title')} /></Field></div>
        <div className="col-span-2 flex justify-end gap-2 pt-1">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button type="submit" disabled={form.formState.isSubmitting}>Create</Button>
        </div>
      </form>
    </Dialog>
  );
}

interface TimelineEntry {
  id: string;
  kind: 'activity' | 'change';
  occurredAt: string;
  data: { type?: string; subject?: string; body?: string | null; action?: string; diff?: Record<string, { from: unknown; to: unknown }> | null };
}

function ContactDetail({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const contact = useQuery({ queryKey: ['contacts', id], queryFn: () => api<Contact>('GET', `/contacts/${id}`) });
  const timeline = useQuery({ queryKey: ['contacts', id, 'timeline'], queryFn: () => api<Page<TimelineEntry>>('GET', `/contacts/${id}/timeline?limit=50`) });
  const [note, setNote] = useState('');
  const [type, setType] = useState('note');
  const log = useMutation({
    mutationFn: () => api('POST', '/activities', { type, subject: note.slice(0, 120), body: note, contactId: id, ...(type === 'task' ? {} : { status: 'done' }) }),
    onSuccess: () => (setNote(''), void queryClient.invalidateQueries({ queryKey: ['contacts', id] })),
    onError: (e) => showApiError(e),
  });
  if (contact.isError) return <EmptyState title="Contact not found" body="It may have been deleted or merged, or you may not have access." action={<Link className="text-accent" to="/contacts">Back to contacts</Link>} />;
  if (!contact.data) return <Skeleton rows={6} />;
  const c = contact.data;
  return (
    <div className="mx-auto max-w-5xl space-y-4">
      <PageHeader title={c.name} description={[c.title, c.email, c.phone].filter(Boolean).join(' · ')} actions={<Link to="/contacts" className="text-sm text-accent">← All contacts</Link>} />
      <div className="grid gap-4 lg:grid-cols-[18rem_1fr]">
        <Card>
          <dl className="space-y-2 text-sm">
            {([['Status', <Badge key="s" tone="accent">{c.status}</Badge>], ['Email', c.email], ['Phone', c.phone], ['Title', c.title], ['Tags', c.tags.join(', ')], ['Created', formatDate(c.createdAt)], ['Version', c.version]] as const).map(([k, v]) => (
              <div key={k}><dt className="text-xs text-ink-soft">{k}</dt><dd className="break-all text-ink">{v || '—'}</dd></div>
            ))}
          </dl>
        </Card>
        <div className="space-y-4">
          <Card>
            <form className="space-y-2" onSubmit={(e) => (e.preventDefault(), log.mutate())}>
              <div className="flex gap-2">
                <Select aria-label="Activity type" className="w-32 shrink-0" value={type} onChange={(e) => setType(e.target.value)}>{['note', 'call', 'email', 'meeting', 'task'].map((t) => <option key={t}>{t}</option>)}</Select>
                <Input aria-label="What happened" placeholder="Log a call, a note, or add a task…" value={note} onChange={(e) => setNote(e.target.value)} />
                <Button type="submit" disabled={!note.trim() || log.isPending}>Log</Button>
              </div>
            </form>
          </Card>
          <Card>
            <h2 className="mb-3 font-medium text-ink">Timeline</h2>
            {timeline.isPending ? <Skeleton rows={3} /> : (
              <ol className="space-y-3">
                {timeline.data?.data.map((e) => (
                  <li key={e.id} className="border-l-2 border-line pl-3 text-sm">
                    <p className="text-xs text-ink-soft">{formatDate(e.occurredAt)}</p>
                    {e.kind === 'activity' ? <p className="text-ink"><Badge>{e.data.type}</Badge> {e.data.subject}</p> : (
                      <p className="text-ink-soft">{e.data.action}{e.data.diff ? `: ${Object.keys(e.data.diff).join(', ')}` : ''}</p>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </Card>
        </div>
      </div>
    </div>
  );
}

export default function Contacts() {
  const { id } = useParams();
  const me = useMe().data;
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  if (id) return <ContactDetail id={id} />;
  return (
    <div className="mx-auto max-w-7xl space-y-4">
      <PageHeader title="Contacts"
        actions={can(me, 'contacts:create') ? (
          <>
            <Link to="/contacts/import" className="inline-flex h-9 items-center rounded-md border border-line bg-panel px-3.5 text-sm font-medium text-ink hover:bg-muted" data-testid="import-contacts">Import</Link>
            <Button onClick={() => setCreating(true)} data-testid="new-contact">New contact</Button>
          </>
        ) : null} />
      <Input className="max-w-xs" aria-label="Search contacts" placeholder="Search name or email (typos are fine)" value={q} onChange={(e) => setQ(e.target.value)} />
      <ContactsTable q={q} />
      <CreateContact open={creating} onOpenChange={setCreating} />
    </div>
  );
}
