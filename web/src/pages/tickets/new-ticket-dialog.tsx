import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useNavigate } from 'react-router';
import { toast } from 'sonner';
import { z } from 'zod';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { useMe } from '../../api/session';
import { Button, Dialog, Field, Input, Select, Textarea } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { useUsers } from '../../lib/use-users';
import { RecordPicker, type PickedRecord } from '../record-picker';
import {
  CHANNEL_WORDS,
  PRIORITY_WORDS,
  TICKET_CHANNELS,
  TICKET_PRIORITIES,
  ticketRef,
} from './ticket-words';

/** The same rules as the server's ticketCreateBody for what this form sends. */
const schema = z.object({
  subject: z
    .string()
    .trim()
    .min(1, 'Say in a few words what the customer needs')
    .max(300, 'must be at most 300 characters'),
  description: z.string().max(50_000, 'must be at most 50,000 characters'),
  priority: z.enum(TICKET_PRIORITIES),
  channel: z.enum(TICKET_CHANNELS),
  ownerId: z.string(),
});
type Values = z.infer<typeof schema>;
const FIELDS = ['subject', 'description', 'priority', 'channel', 'ownerId'] as const;

/** Opens a ticket: what it is about, for whom, how urgent, and who works it (you, unless you pick someone). */
export function NewTicketDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const me = useMe().data;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { users, canPick } = useUsers();
  const [contact, setContact] = useState<PickedRecord | null>(null);
  const [picking, setPicking] = useState(false);
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: {
      subject: '',
      description: '',
      priority: 'normal',
      channel: 'phone',
      ownerId: '',
    },
  });
  const { errors, isSubmitting } = form.formState;

  useEffect(() => {
    if (open) {
      form.reset({
        subject: '',
        description: '',
        priority: 'normal',
        channel: 'phone',
        ownerId: me?.user.id ?? '',
      });
      setContact(null);
      setPicking(false);
    }
  }, [open]);

  const onSubmit = form.handleSubmit(async (v) => {
    try {
      const ticket = await unwrap(
        http.POST('/api/v1/tickets', {
          body: {
            subject: v.subject,
            priority: v.priority,
            channel: v.channel,
            ...(v.description.trim() ? { description: v.description.trim() } : {}),
            ...(contact ? { contactId: contact.id } : {}),
            ...(v.ownerId && v.ownerId !== me?.user.id ? { ownerId: v.ownerId } : {}),
          },
        }),
      );
      toast.success(`Ticket ${ticketRef(ticket)} opened`);
      await queryClient.invalidateQueries({ queryKey: keys.records('tickets').all });
      onOpenChange(false);
      void navigate(`/tickets/${ticket.id}`);
    } catch (e) {
      showApiError(e, form.setError, FIELDS);
    }
  });

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="New ticket"
      description="Log a request that came in by phone, chat or email; it gets the next ticket number."
    >
      <form
        onSubmit={(e) => void onSubmit(e)}
        className="space-y-3"
        noValidate
        data-testid="new-ticket-form"
      >
        <Field label="Subject" id="ticket-subject" error={errors.subject?.message}>
          <Input
            id="ticket-subject"
            autoFocus
            maxLength={300}
            placeholder="e.g. Cannot log in after the password reset"
            data-testid="ticket-subject"
            aria-invalid={errors.subject ? true : undefined}
            aria-describedby={errors.subject ? 'ticket-subject-error' : undefined}
            {...form.register('subject')}
          />
        </Field>
        <Field
          label="Description (optional)"
          id="ticket-description"
          error={errors.description?.message}
        >
          <Textarea
            id="ticket-description"
            rows={3}
            placeholder="What happened, what they tried, what they need"
            data-testid="ticket-description"
            {...form.register('description')}
          />
        </Field>
        <div className="space-y-1">
          <span id="ticket-contact-label" className="block text-sm font-medium text-ink">
            Requester (optional)
          </span>
          {contact && !picking ? (
            <div
              className="flex items-center justify-between gap-2 rounded-md border border-line px-3 py-2 text-sm"
              data-testid="ticket-contact"
            >
              <span className="min-w-0 truncate text-ink">
                {contact.name}
                {contact.detail ? <span className="text-ink-soft"> · {contact.detail}</span> : null}
              </span>
              <Button size="sm" variant="ghost" onClick={() => setPicking(true)}>
                Change
              </Button>
            </div>
          ) : picking ? (
            <RecordPicker
              resource="contacts"
              label="Choose the requester"
              autoFocus
              onPick={(r) => (setContact(r), setPicking(false))}
            />
          ) : (
            <Button
              variant="secondary"
              size="sm"
              onClick={() => setPicking(true)}
              aria-describedby="ticket-contact-label"
              data-testid="ticket-pick-contact"
            >
              Choose a contact
            </Button>
          )}
          <p className="text-xs text-ink-soft">
            The ticket is filed under the contact&rsquo;s company too.
          </p>
        </div>
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Priority" id="ticket-priority">
            <Select
              id="ticket-priority"
              data-testid="ticket-priority"
              {...form.register('priority')}
            >
              {TICKET_PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {PRIORITY_WORDS[p]}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Came in by" id="ticket-channel">
            <Select id="ticket-channel" {...form.register('channel')}>
              {TICKET_CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {CHANNEL_WORDS[c]}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        {canPick ? (
          <Field label="Assignee" id="ticket-owner" error={errors.ownerId?.message}>
            <Select id="ticket-owner" {...form.register('ownerId')}>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.id === me?.user.id ? `${u.name} (you)` : u.name}
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" disabled={isSubmitting} data-testid="ticket-create">
            Open ticket
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
