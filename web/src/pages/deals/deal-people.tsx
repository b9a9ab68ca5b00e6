import { useQuery } from '@tanstack/react-query';
import { X } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { toast } from 'sonner';
import { keys } from '../../api/keys';
import { getRecord } from '../../api/records';
import type { Deal } from '../../api/types';
import { Badge, Button, Card, Input } from '../../components/ui';
import { useRecordUpdate } from '../../lib/use-record-update';
import { titleOf } from '../record-links';
import { RecordPicker } from '../record-picker';

/** Roles people usually play on a deal; the role is free text, these are only offered. */
const ROLE_SUGGESTIONS = ['Decision maker', 'Champion', 'Influencer', 'Billing', 'Technical'];
const ROLE_LIST_ID = 'deal-role-suggestions';

type DealContact = Deal['contacts'][number];

/** A contact's display name, read through the contact page's own cache entry. */
function useContactName(id: string): string | null {
  const contact = useQuery({
    queryKey: keys.records('contacts').detail(id),
    queryFn: () => getRecord('contacts', id),
    staleTime: 60_000,
  });
  if (contact.isPending) return null;
  // A trashed or hidden contact still sits on the deal: say so rather than show its id.
  return contact.data ? titleOf(contact.data, 'name') : 'Unavailable contact';
}

/** The role as an input that saves on Enter or when it loses the focus, and Escape undoes. */
function RoleInput({
  role,
  name,
  onSave,
}: {
  role: string | null;
  name: string;
  onSave: (role: string | null) => void;
}) {
  const [draft, setDraft] = useState(role ?? '');
  const commit = () => {
    const next = draft.trim() || null;
    if (next !== role) onSave(next);
  };
  return (
    <Input
      value={draft}
      list={ROLE_LIST_ID}
      placeholder="Add a role"
      aria-label={`Role of ${name}`}
      maxLength={80}
      className="h-8"
      data-testid="deal-contact-role"
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur();
        if (e.key === 'Escape') setDraft(role ?? '');
      }}
    />
  );
}

function PersonRow({
  person,
  isPrimary,
  onRole,
  onRemove,
}: {
  person: DealContact;
  isPrimary: boolean;
  onRole: (role: string | null) => void;
  onRemove: (() => void) | null;
}) {
  const name = useContactName(person.contactId);
  return (
    // Name above, role below: the card sits in the narrow fields column, where a role beside
    // the name would be cut short.
    <li className="space-y-1.5 py-2" data-testid="deal-contact">
      <div className="flex min-h-7 items-center gap-1.5">
        {name === null ? (
          <span className="inline-block h-3 w-24 animate-pulse rounded bg-muted" />
        ) : (
          <Link
            to={`/contacts/${person.contactId}`}
            className="min-w-0 break-words text-sm text-accent underline decoration-accent/40 underline-offset-2 hover:decoration-accent"
          >
            {name}
          </Link>
        )}
        {isPrimary ? <Badge tone="accent">Primary</Badge> : null}
        {onRemove ? (
          <Button
            variant="ghost"
            size="sm"
            className="ml-auto"
            aria-label={`Remove ${name ?? 'contact'} from the deal`}
            onClick={onRemove}
          >
            <X size={14} aria-hidden />
          </Button>
        ) : null}
      </div>
      {/* Keyed by the saved role, so the input starts over from what the server kept. */}
      <RoleInput
        key={person.role ?? ''}
        role={person.role}
        name={name ?? 'contact'}
        onSave={onRole}
      />
    </li>
  );
}

/**
 * The people on a deal: its primary contact and the others, each with a role (free text, common
 * ones suggested). Every change sends the whole list (`contacts`) with If-Match.
 */
export function DealPeople({ deal }: { deal: Deal }) {
  const save = useRecordUpdate('deals', deal, 'deal');
  const [adding, setAdding] = useState(false);
  const write = async (contacts: DealContact[]) => {
    const outcome = await save({ contacts }, 'contacts');
    if (!outcome.ok && outcome.fieldError) toast.error(outcome.fieldError);
  };
  // The primary contact (`contactId`) leads the list even when no role was given to it yet.
  const primary = deal.contactId;
  const rows: DealContact[] = [
    ...(primary && !deal.contacts.some((c) => c.contactId === primary)
      ? [{ contactId: primary, role: null }]
      : []),
    ...deal.contacts,
  ].sort((a, b) => Number(b.contactId === primary) - Number(a.contactId === primary));
  const setRole = (contactId: string, role: string | null) =>
    void write(
      deal.contacts.some((c) => c.contactId === contactId)
        ? deal.contacts.map((c) => (c.contactId === contactId ? { ...c, role } : c))
        : [...deal.contacts, { contactId, role }],
    );
  return (
    <div data-testid="deal-people">
      <Card className="p-4">
        <h2 className="font-medium text-ink">People</h2>
        <datalist id={ROLE_LIST_ID}>
          {ROLE_SUGGESTIONS.map((r) => (
            <option key={r} value={r} />
          ))}
        </datalist>
        {rows.length === 0 ? (
          <p className="mt-1 text-sm text-ink-soft">
            No one on this deal yet. Add who decides, who champions it and who signs.
          </p>
        ) : (
          <ul className="mt-1 divide-y divide-line">
            {rows.map((p) => (
              <PersonRow
                key={p.contactId}
                person={p}
                isPrimary={p.contactId === primary}
                onRole={(role) => setRole(p.contactId, role)}
                onRemove={
                  p.contactId === primary
                    ? null
                    : () => void write(deal.contacts.filter((c) => c.contactId !== p.contactId))
                }
              />
            ))}
          </ul>
        )}
        <div className="mt-3">
          {adding ? (
            <div className="space-y-2">
              <RecordPicker
                resource="contacts"
                label="Find a contact to add to the deal"
                autoFocus
                excludeIds={rows.map((r) => r.contactId)}
                onPick={(c) => {
                  setAdding(false);
                  void write([...deal.contacts, { contactId: c.id, role: null }]);
                }}
              />
              <Button variant="ghost" size="sm" onClick={() => setAdding(false)}>
                Cancel
              </Button>
            </div>
          ) : (
            <Button variant="secondary" size="sm" onClick={() => setAdding(true)}>
              Add contact
            </Button>
          )}
        </div>
      </Card>
    </div>
  );
}
