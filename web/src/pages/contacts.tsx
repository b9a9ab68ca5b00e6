import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useParams } from 'react-router';
import { toast } from 'sonner';
import { z } from 'zod';
import { api } from '../api/client';
import { can, useMe } from '../api/session';
import { Button, Dialog, Field, Input, PageHeader } from '../components/ui';
import { showApiError } from '../lib/form-errors';
import { ContactRecord } from './contact-record';
import { ContactsTable } from './contacts-table';

const LINK_BUTTON =
  'inline-flex h-9 items-center rounded-md border border-line bg-panel px-3.5 text-sm font-medium text-ink hover:bg-muted';

const createSchema = z.object({
  firstName: z.string(),
  lastName: z.string(),
  email: z.union([z.literal(''), z.email('Enter a valid email')]),
  phone: z.string(),
  title: z.string(),
});

function CreateContact({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
}) {
  const queryClient = useQueryClient();
  const form = useForm<z.infer<typeof createSchema>>({
    resolver: zodResolver(createSchema),
    defaultValues: { firstName: '', lastName: '', email: '', phone: '', title: '' },
  });
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
        <Field label="First name" id="c-first" error={err.firstName?.message}>
          <Input id="c-first" autoFocus {...form.register('firstName')} />
        </Field>
        <Field label="Last name" id="c-last" error={err.lastName?.message}>
          <Input id="c-last" {...form.register('lastName')} />
        </Field>
        <Field label="Email" id="c-email" error={err.email?.message}>
          <Input id="c-email" type="email" {...form.register('email')} />
        </Field>
        <Field label="Phone" id="c-phone" error={err.phone?.message}>
          <Input id="c-phone" {...form.register('phone')} />
        </Field>
        <div className="col-span-2">
          <Field label="Title" id="c-title" error={err.title?.message}>
            <Input id="c-title" {...form.register('title')} />
          </Field>
        </div>
        <div className="col-span-2 flex justify-end gap-2 pt-1">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" disabled={form.formState.isSubmitting}>
            Create
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

export default function Contacts() {
  const { id } = useParams();
  const me = useMe().data;
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  if (id) return <ContactRecord id={id} />;
  return (
    <div className="mx-auto max-w-7xl space-y-4">
      <PageHeader
        title="Contacts"
        actions={
          <>
            <Link to="/duplicates" className={LINK_BUTTON} data-testid="find-duplicates">
              Duplicates
            </Link>
            {can(me, 'contacts:create') ? (
              <>
                <Link to="/contacts/import" className={LINK_BUTTON} data-testid="import-contacts">
                  Import
                </Link>
                <Button onClick={() => setCreating(true)} data-testid="new-contact">
                  New contact
                </Button>
              </>
            ) : null}
          </>
        }
      />
      <Input
        className="max-w-xs"
        aria-label="Search contacts"
        placeholder="Search name or email (typos are fine)"
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      <ContactsTable q={q} />
      <CreateContact open={creating} onOpenChange={setCreating} />
    </div>
  );
}
