import type { UserRow } from '../api/types';
import { Button, Input, Select, Textarea } from '../components/ui';
import { currencyDigits } from '../lib/money';
import type { Draft, FieldSpec } from './field-values';
import { RecordName } from './record-links';
import { RecordPicker } from './record-picker';

const INPUT_TYPE: Partial<Record<FieldSpec['kind'], string>> = {
  email: 'email',
  url: 'url',
  phone: 'tel',
  number: 'number',
  currency: 'number',
  date: 'date',
  datetime: 'datetime-local',
};

/** Editors that save as soon as a value is chosen: there is nothing more to type. */
const COMMITS_ON_CHANGE: ReadonlySet<FieldSpec['kind']> = new Set([
  'select',
  'company',
  'contact',
  'user',
  'relation',
]);

/** Whether choosing a value saves the field at once (a list of related records is built first). */
export const commitsOnChange = (spec: FieldSpec): boolean =>
  COMMITS_ON_CHANGE.has(spec.kind) && !spec.multiple;

/** The picker of a field related to another object, one record or a list of them. */
function RelationEditor({
  spec,
  draft,
  onDraft,
  onCommit,
  autoFocus,
}: {
  spec: FieldSpec;
  draft: Draft;
  onDraft: (draft: Draft) => void;
  onCommit: (draft: Draft) => void;
  autoFocus: boolean;
}) {
  const target = spec.relation;
  if (!target) return null;
  const ids = Array.isArray(draft) ? draft : [];
  const single = typeof draft === 'string' ? draft : '';
  return (
    <div className="space-y-1.5">
      {spec.multiple && ids.length ? (
        <ul className="flex flex-wrap gap-1.5">
          {ids.map((id) => (
            <li key={id} className="flex items-center gap-1 rounded bg-muted px-1.5 py-0.5 text-xs">
              <RecordName
                resource={target.resource}
                titleField={target.titleField}
                id={id}
                link={false}
              />
              <button
                type="button"
                className="text-ink-soft hover:text-danger"
                aria-label="Remove"
                onClick={() => onDraft(ids.filter((x) => x !== id))}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <RecordPicker
        resource={target.resource}
        titleField={target.titleField}
        sort={target.sort}
        label={`Choose ${spec.label.toLowerCase()}`}
        autoFocus={autoFocus}
        excludeIds={ids}
        compact={!autoFocus}
        onPick={(r) => (spec.multiple ? onDraft([...ids, r.id]) : onCommit(r.id))}
      />
      {!spec.multiple && single ? (
        <p className="flex items-center gap-2 text-sm">
          <RecordName
            resource={target.resource}
            titleField={target.titleField}
            id={single}
            link={false}
          />
          <Button size="sm" variant="ghost" onClick={() => onCommit('')}>
            Remove {spec.label.toLowerCase()}
          </Button>
        </p>
      ) : null}
    </div>
  );
}

/** The input for one field in edit mode, by kind; `onCommit` saves a value chosen in one step. */
export function FieldEditor({
  spec,
  inputId,
  draft,
  onDraft,
  onCommit,
  users,
  autoFocus = true,
}: {
  spec: FieldSpec;
  inputId: string;
  draft: Draft;
  onDraft: (draft: Draft) => void;
  onCommit: (draft: Draft) => void;
  users: UserRow[];
  /** In place on a record page the editor takes the focus; in a form the first field does. */
  autoFocus?: boolean;
}) {
  const text = typeof draft === 'string' ? draft : '';
  switch (spec.kind) {
    case 'long_text':
      return (
        <Textarea
          id={inputId}
          autoFocus={autoFocus}
          value={text}
          onChange={(e) => onDraft(e.target.value)}
          rows={4}
          aria-describedby={`${inputId}-hint`}
        />
      );
    case 'select':
      return (
        <Select
          id={inputId}
          autoFocus={autoFocus}
          value={text}
          onChange={(e) => onCommit(e.target.value)}
        >
          {spec.required ? null : <option value="">No value</option>}
          {spec.choices?.map((c) => (
            <option key={c} value={c}>
              {spec.choiceLabels?.[c] ?? c}
            </option>
          ))}
        </Select>
      );
    case 'user':
      return (
        <Select
          id={inputId}
          autoFocus={autoFocus}
          value={text}
          onChange={(e) => onCommit(e.target.value)}
        >
          <option value="">Nobody</option>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </Select>
      );
    case 'company':
    case 'contact':
      return (
        <div className="space-y-1.5">
          <RecordPicker
            resource={spec.kind === 'company' ? 'companies' : 'contacts'}
            label={`Choose ${spec.label.toLowerCase()}`}
            autoFocus={autoFocus}
            onPick={(r) => onCommit(r.id)}
          />
          {text ? (
            <Button size="sm" variant="ghost" onClick={() => onCommit('')}>
              Remove {spec.label.toLowerCase()}
            </Button>
          ) : null}
        </div>
      );
    case 'relation':
      return (
        <RelationEditor
          spec={spec}
          draft={draft}
          onDraft={onDraft}
          onCommit={onCommit}
          autoFocus={autoFocus}
        />
      );
    case 'json':
      return (
        <Textarea
          id={inputId}
          autoFocus={autoFocus}
          className="font-mono text-xs"
          value={text}
          onChange={(e) => onDraft(e.target.value)}
          rows={5}
        />
      );
    case 'multi_select': {
      const chosen = Array.isArray(draft) ? draft : [];
      return (
        <fieldset id={inputId} className="space-y-1">
          <legend className="sr-only">{spec.label}</legend>
          {spec.choices?.length ? (
            spec.choices.map((c, i) => (
              <label key={c} className="flex items-center gap-2 text-sm text-ink">
                <input
                  type="checkbox"
                  autoFocus={autoFocus && i === 0}
                  checked={chosen.includes(c)}
                  onChange={(e) =>
                    onDraft(e.target.checked ? [...chosen, c] : chosen.filter((x) => x !== c))
                  }
                />
                {c}
              </label>
            ))
          ) : (
            <p className="text-xs text-ink-soft">
              This field has no choices yet; an admin adds them to its definition.
            </p>
          )}
        </fieldset>
      );
    }
    case 'keyed': {
      const parts = typeof draft === 'object' && !Array.isArray(draft) ? draft : {};
      return (
        <fieldset id={inputId} className="space-y-1.5">
          <legend className="sr-only">{spec.label}</legend>
          {spec.keys?.map(([key, label], i) => (
            <label
              key={key}
              className="grid grid-cols-[5rem_minmax(0,1fr)] items-center gap-2 text-xs text-ink-soft"
            >
              <span>{label}</span>
              <Input
                className="h-8"
                autoFocus={autoFocus && i === 0}
                value={parts[key] ?? ''}
                onChange={(e) => onDraft({ ...parts, [key]: e.target.value })}
              />
            </label>
          ))}
        </fieldset>
      );
    }
    case 'currency':
      return (
        <div className="flex items-center gap-2">
          <Input
            id={inputId}
            autoFocus={autoFocus}
            type="number"
            step={1 / 10 ** currencyDigits(spec.currency ?? 'USD')}
            value={text}
            onChange={(e) => onDraft(e.target.value)}
          />
          <span className="text-xs text-ink-soft">{spec.currency ?? 'USD'}</span>
        </div>
      );
    default:
      return (
        <Input
          id={inputId}
          autoFocus={autoFocus}
          type={INPUT_TYPE[spec.kind] ?? 'text'}
          step={spec.kind === 'number' ? 'any' : undefined}
          value={text}
          onChange={(e) => onDraft(e.target.value)}
          aria-describedby={spec.kind === 'tags' ? `${inputId}-hint` : undefined}
        />
      );
  }
}
