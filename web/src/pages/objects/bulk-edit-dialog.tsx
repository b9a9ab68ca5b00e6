import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { keys } from '../../api/keys';
import type { ObjectRecord } from '../../api/records';
import type { ObjectDescription, ObjectField } from '../../api/types';
import { Button, Dialog, Field, Input, Select } from '../../components/ui';
import { useUsers } from '../../lib/use-users';
import {
  bulkMessage,
  ownerField,
  parseBulkValue,
  settableFields,
  tagsField,
  type BulkEdit,
} from './bulk-edit';
import { runBulkEdit } from './run-bulk-edit';

/** Which bulk edit the dialog asks for. */
export type BulkMode = 'assign' | 'set' | 'tag';

const TITLES: Record<BulkMode, string> = {
  assign: 'Assign to…',
  set: 'Set field…',
  tag: 'Add tag',
};

/** The value input of "Set field…", by the field's kind. */
function ValueInput({
  field,
  value,
  onChange,
}: {
  field: ObjectField;
  value: string;
  onChange: (v: string) => void;
}) {
  const common = { id: 'bulk-value', value, 'data-testid': 'bulk-value' };
  if (field.kind === 'enum' || field.kind === 'boolean') {
    const choices = field.kind === 'boolean' ? ['true', 'false'] : (field.values ?? []);
    return (
      <Select {...common} onChange={(e) => onChange(e.target.value)}>
        <option value="">(empty)</option>
        {choices.map((c) => (
          <option key={c} value={c}>
            {field.kind === 'boolean' ? (c === 'true' ? 'Yes' : 'No') : c}
          </option>
        ))}
      </Select>
    );
  }
  const type = field.kind === 'number' ? 'number' : field.kind === 'date' ? 'date' : 'text';
  return <Input {...common} type={type} onChange={(e) => onChange(e.target.value)} />;
}

/**
 * The form of one bulk edit of the selected records: the owner, the field and its value, or the
 * tag; then progress while it runs, and a toast with how many changed and how many failed (why).
 */
export function BulkEditDialog({
  object,
  records,
  mode,
  onClose,
  onDone,
}: {
  object: ObjectDescription;
  records: readonly ObjectRecord[];
  mode: BulkMode | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const { users } = useUsers();
  const fields = settableFields(object);
  const [ownerId, setOwnerId] = useState('');
  const [fieldKey, setFieldKey] = useState('');
  const [value, setValue] = useState('');
  const [tag, setTag] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [progress, setProgress] = useState(0);
  const field = fields.find((f) => f.key === fieldKey);
  const labels = {
    one: object.labels.singular.toLowerCase(),
    many: object.labels.plural.toLowerCase(),
  };

  const run = useMutation({
    mutationFn: (edit: BulkEdit) => runBulkEdit(object, records, edit, setProgress),
    onSuccess: (summary) => {
      void queryClient.invalidateQueries({ queryKey: keys.records(object.resource).all });
      const text = bulkMessage(summary, labels);
      if (summary.failed) toast.error(text);
      else toast.success(text);
      onDone();
    },
    onError: (e) => {
      setProgress(0);
      toast.error(e instanceof Error ? e.message : 'The bulk edit failed');
    },
  });

  /** The edit the form describes, or why it is not complete. */
  function editOf(): BulkEdit | string {
    if (mode === 'assign') {
      const owner = ownerField(object);
      return owner && ownerId ? { kind: 'assign', ownerId } : 'Choose an owner';
    }
    if (mode === 'tag') {
      const tags = tagsField(object);
      return tags && tag.trim() ? { kind: 'tag', field: tags, tag: tag.trim() } : 'Type a tag';
    }
    if (!field) return 'Choose a field';
    const parsed = parseBulkValue(field, value);
    return parsed.ok
      ? { kind: 'set', field, value: parsed.value }
      : `${field.label}: ${parsed.reason}`;
  }

  function handleSubmit(e: FormEvent) {
    e.preventDefault();
    const edit = editOf();
    if (typeof edit === 'string') return setProblem(edit);
    setProblem(null);
    run.mutate(edit);
  }

  const open = mode !== null;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => !next && !run.isPending && onClose()}
      title={mode ? TITLES[mode] : ''}
      description={`Applies to ${records.length} selected ${records.length === 1 ? labels.one : labels.many}.`}
    >
      <form className="space-y-3" onSubmit={handleSubmit} data-testid="bulk-edit-form">
        {mode === 'assign' ? (
          <Field label="Owner" id="bulk-owner">
            <Select
              id="bulk-owner"
              value={ownerId}
              onChange={(e) => setOwnerId(e.target.value)}
              data-testid="bulk-owner"
            >
              <option value="">Choose…</option>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
        {mode === 'set' ? (
          <>
            <Field label="Field" id="bulk-field">
              <Select
                id="bulk-field"
                value={fieldKey}
                onChange={(e) => {
                  setFieldKey(e.target.value);
                  setValue('');
                }}
                data-testid="bulk-field"
              >
                <option value="">Choose…</option>
                {fields.map((f) => (
                  <option key={f.key} value={f.key}>
                    {f.label}
                  </option>
                ))}
              </Select>
            </Field>
            {field ? (
              <Field label="Value" id="bulk-value">
                <ValueInput field={field} value={value} onChange={setValue} />
              </Field>
            ) : null}
          </>
        ) : null}
        {mode === 'tag' ? (
          <Field label="Tag" id="bulk-tag">
            <Input
              id="bulk-tag"
              value={tag}
              maxLength={50}
              onChange={(e) => setTag(e.target.value)}
              data-testid="bulk-tag"
            />
          </Field>
        ) : null}
        {problem ? (
          <p role="alert" className="text-sm text-danger" data-testid="bulk-problem">
            {problem}
          </p>
        ) : null}
        {run.isPending ? (
          <div className="space-y-1" data-testid="bulk-progress">
            <progress
              className="w-full"
              max={records.length}
              value={progress}
              aria-label="Progress"
            />
            <p className="text-xs text-ink-soft" aria-live="polite">
              {progress} of {records.length} done…
            </p>
          </div>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="ghost" onClick={onClose} disabled={run.isPending}>
            Cancel
          </Button>
          <Button type="submit" disabled={run.isPending} data-testid="bulk-apply">
            Apply
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
