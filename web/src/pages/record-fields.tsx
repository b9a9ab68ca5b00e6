import { Pencil } from 'lucide-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Button, Card, formatDate, Skeleton } from '../components/ui';
import { useUsers } from '../lib/use-users';
import type { SaveOutcome } from '../lib/use-record-update';
import { commitsOnChange, FieldEditor } from './field-editor';
import {
  formatValue,
  fromDraft,
  isBlank,
  toDraft,
  type Draft,
  type FieldSpec,
} from './field-values';
import { RecordName } from './record-links';

/** Saves a partial update; `path` names the field so a 400 about it shows beside it. */
export type SaveField = (patch: Record<string, unknown>, path: string) => Promise<SaveOutcome>;

const domId = (prefix: string, path: string) => `${prefix}-${path.replace(/[^\w-]/g, '-')}`;

function ReadValue({
  spec,
  nameOf,
}: {
  spec: FieldSpec;
  nameOf: (id: string | null) => string | null;
}) {
  const v = spec.value;
  if (isBlank(v))
    return (
      <span className="text-ink-soft">
        {spec.emptyText ?? (spec.readOnly ? 'None' : `Add ${spec.label.toLowerCase()}`)}
      </span>
    );
  if (typeof v === 'string' && (spec.kind === 'company' || spec.kind === 'contact'))
    return (
      <RecordName
        resource={spec.kind === 'company' ? 'companies' : 'contacts'}
        id={v}
        link={false}
      />
    );
  if (typeof v === 'string' && spec.kind === 'user') return <span>{nameOf(v)}</span>;
  if (spec.kind === 'relation' && spec.relation) {
    const target = spec.relation;
    const ids = Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    return (
      <span className="flex flex-wrap gap-x-2">
        {(typeof v === 'string' ? [v] : ids).map((id) => (
          <RecordName
            key={id}
            resource={target.resource}
            titleField={target.titleField}
            id={id}
            link={false}
          />
        ))}
      </span>
    );
  }
  if (spec.kind === 'tags' && Array.isArray(v)) {
    return (
      <span className="flex flex-wrap gap-1">
        {v.map((t) => (
          <span key={String(t)} className="rounded bg-muted px-1.5 py-0.5 text-xs text-ink-soft">
            {String(t)}
          </span>
        ))}
      </span>
    );
  }
  return (
    <span className={spec.kind === 'long_text' ? 'whitespace-pre-wrap' : undefined}>
      {formatValue(spec, v)}
    </span>
  );
}

/**
 * One field: its value, and on click (or Enter) an editor in place. Enter or Save stores it, Escape
 * cancels; focus returns to the field either way so keyboard users keep their place.
 */
export function FieldRow({
  spec,
  onSave,
  idPrefix,
}: {
  spec: FieldSpec;
  onSave: SaveField;
  idPrefix: string;
}) {
  const { users, nameOf } = useUsers();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<Draft>(() => toDraft(spec));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  const inputId = domId(idPrefix, spec.path);

  useEffect(() => {
    if (wasEditing.current && !editing) trigger.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  const open = () => (setDraft(toDraft(spec)), setError(null), setEditing(true));
  const save = async (next: Draft) => {
    const parsed = fromDraft(spec, next);
    if ('error' in parsed) return setError(parsed.error);
    const before = fromDraft(spec, toDraft(spec));
    if ('value' in before && JSON.stringify(before.value) === JSON.stringify(parsed.value))
      return setEditing(false);
    setSaving(true);
    const outcome = await onSave(spec.toPatch(parsed.value), spec.path);
    setSaving(false);
    if (outcome.ok) setEditing(false);
    else setError(outcome.fieldError);
  };

  const label = (
    <label htmlFor={inputId} className="pt-1.5 text-xs text-ink-soft">
      {spec.label}
    </label>
  );
  if (spec.kind === 'boolean' && !spec.readOnly) {
    return (
      <div className="grid grid-cols-[8rem_minmax(0,1fr)] items-start gap-2">
        {label}
        <div className="pt-1">
          <input
            id={inputId}
            type="checkbox"
            className="size-4 accent-[var(--accent)]"
            checked={spec.value === true}
            disabled={saving}
            onChange={(e) => void save(e.target.checked)}
            aria-describedby={error ? `${inputId}-error` : undefined}
          />
          {error ? (
            <p id={`${inputId}-error`} role="alert" className="text-xs text-danger">
              {error}
            </p>
          ) : null}
        </div>
      </div>
    );
  }
  if (spec.readOnly || !editing) {
    return (
      <div className="group grid grid-cols-[8rem_minmax(0,1fr)] items-start gap-2">
        <span className="pt-1.5 text-xs text-ink-soft">{spec.label}</span>
        {spec.readOnly ? (
          <span className="min-w-0 break-words py-1 text-sm text-ink">
            {spec.kind === 'datetime' && typeof spec.value === 'string' ? (
              formatDate(spec.value)
            ) : (
              <ReadValue spec={spec} nameOf={nameOf} />
            )}
          </span>
        ) : (
          <button
            ref={trigger}
            type="button"
            onClick={open}
            data-testid={`field-${spec.path}`}
            className="flex min-w-0 items-start justify-between gap-2 rounded px-1.5 py-1 -mx-1.5 text-left text-sm text-ink hover:bg-muted"
          >
            {/* The name says what the button does and still reads out the value (an aria-label would hide it). */}
            <span className="sr-only">Edit {spec.label}: </span>
            <span className="min-w-0 break-words" data-testid="field-value">
              <ReadValue spec={spec} nameOf={nameOf} />
            </span>
            <Pencil
              size={13}
              className="mt-0.5 shrink-0 text-ink-soft opacity-0 group-hover:opacity-100"
              aria-hidden
            />
          </button>
        )}
      </div>
    );
  }
  const commitsAtOnce = commitsOnChange(spec);
  return (
    <form
      className="grid grid-cols-[8rem_minmax(0,1fr)] items-start gap-2 rounded-md bg-muted/50 py-1.5"
      noValidate
      onSubmit={(e) => (e.preventDefault(), void save(draft))}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          setEditing(false);
        }
        // In a long text Enter is a new line; Ctrl/⌘+Enter saves.
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          void save(draft);
        }
      }}
    >
      {label}
      <div className="min-w-0 space-y-1.5" aria-busy={saving}>
        <FieldEditor
          spec={spec}
          inputId={inputId}
          draft={draft}
          onDraft={setDraft}
          onCommit={(d) => (setDraft(d), void save(d))}
          users={users}
        />
        {spec.kind === 'tags' ? (
          <p id={`${inputId}-hint`} className="text-xs text-ink-soft">
            Separate tags with commas.
          </p>
        ) : null}
        {spec.kind === 'long_text' ? (
          <p id={`${inputId}-hint`} className="text-xs text-ink-soft">
            Ctrl+Enter saves.
          </p>
        ) : null}
        {error ? (
          <p id={`${inputId}-error`} role="alert" className="text-xs text-danger">
            {spec.label} {error}
          </p>
        ) : null}
        <div className="flex gap-1.5">
          {commitsAtOnce ? null : (
            <Button type="submit" size="sm" disabled={saving}>
              {saving ? 'Saving…' : 'Save'}
            </Button>
          )}
          <Button size="sm" variant="ghost" onClick={() => setEditing(false)}>
            Cancel
          </Button>
        </div>
      </div>
    </form>
  );
}

/** A card of fields, each editable in place; `empty` explains what to do when there are none. */
export function FieldsPanel({
  title,
  fields,
  onSave,
  idPrefix,
  empty,
  testId,
  loading = false,
}: {
  title: string;
  fields: FieldSpec[];
  onSave: SaveField;
  idPrefix: string;
  empty?: ReactNode;
  testId?: string;
  loading?: boolean;
}) {
  return (
    <Card className="p-4">
      <h2 className="mb-2 text-sm font-medium text-ink">{title}</h2>
      {loading ? (
        <Skeleton rows={2} />
      ) : fields.length === 0 ? (
        empty
      ) : (
        <div className="space-y-0.5" data-testid={testId}>
          {fields.map((f) => (
            <FieldRow key={f.path} spec={f} onSave={onSave} idPrefix={idPrefix} />
          ))}
        </div>
      )}
    </Card>
  );
}
