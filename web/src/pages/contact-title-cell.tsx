import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { toast } from 'sonner';
import { keys } from '../api/keys';
import type { ObjectRecord } from '../api/records';
import { Input } from '../components/ui';
import { useRecordUpdate } from '../lib/use-record-update';

/**
 * A contact's job title, edited in the list itself (people fix titles while scanning the list):
 * click, type, Enter or leave to save with the record's version, Escape to cancel. A refusal puts
 * the old title back and reloads the list, so a stale row shows what is really stored.
 */
export function ContactTitleCell({ contact }: { contact: ObjectRecord }) {
  const queryClient = useQueryClient();
  const save = useRecordUpdate('contacts', contact);
  const stored = typeof contact.title === 'string' ? contact.title : '';
  const name = typeof contact.name === 'string' ? contact.name : 'this contact';
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(stored);

  async function handleSave() {
    setEditing(false);
    const next = value.trim();
    if (next === stored) return;
    const outcome = await save({ title: next || null }, 'title');
    if (outcome.ok) return;
    if (outcome.fieldError) toast.error(`Title: ${outcome.fieldError}`);
    setValue(stored);
    void queryClient.invalidateQueries({ queryKey: keys.records('contacts').lists() });
  }

  if (!editing)
    return (
      <button
        type="button"
        className="w-full truncate rounded px-1 text-left hover:bg-muted"
        onClick={() => {
          setValue(stored);
          setEditing(true);
        }}
        // Named by what it shows (WCAG label-in-name); whose title it is, as its description.
        title={`Edit title of ${name}`}
        data-testid="edit-title"
      >
        {stored || <span className="text-ink-soft">Add title</span>}
      </button>
    );
  return (
    <Input
      autoFocus
      className="h-7"
      aria-label={`Title of ${name}`}
      value={value}
      onChange={(e) => setValue(e.target.value)}
      onBlur={() => void handleSave()}
      onKeyDown={(e) => {
        if (e.key === 'Enter') void handleSave();
        else if (e.key === 'Escape') setEditing(false);
      }}
    />
  );
}
