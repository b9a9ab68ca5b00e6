import { X } from 'lucide-react';
import { useId, useState } from 'react';
import { Input } from '../../../components/ui';
import { labelOf, type FieldInfo } from './field-catalog';

/**
 * A multi-select of fields: the chosen ones as removable chips, then a filterable list of
 * checkboxes (Tab reaches it, Space ticks), which stays usable with a hundred custom fields.
 */
export function FieldChecklist({
  id,
  label,
  value,
  onChange,
  fields,
  error,
  hint,
  testId,
}: {
  id: string;
  label: string;
  value: readonly string[];
  onChange: (keys: string[]) => void;
  fields: readonly FieldInfo[];
  error?: string | undefined;
  hint: string;
  testId?: string;
}) {
  const [filter, setFilter] = useState('');
  const hintId = useId();
  const shown = fields.filter(
    (f) =>
      !filter ||
      f.label.toLowerCase().includes(filter.toLowerCase()) ||
      f.key.toLowerCase().includes(filter.toLowerCase()),
  );
  const toggle = (key: string, on: boolean) =>
    onChange(on ? [...value, key] : value.filter((k) => k !== key));
  return (
    <fieldset
      className="space-y-1.5"
      aria-describedby={error ? `${id}-error` : hintId}
      data-testid={testId}
    >
      <legend className="text-sm font-medium text-ink">{label}</legend>
      {value.length ? (
        <ul className="flex flex-wrap gap-1" aria-label="Chosen fields">
          {value.map((k) => (
            <li
              key={k}
              className="inline-flex items-center gap-1 rounded bg-accent-soft px-1.5 py-0.5 text-xs text-accent"
            >
              {labelOf(fields, k)}
              <button
                type="button"
                aria-label={`Remove ${labelOf(fields, k)}`}
                className="rounded hover:bg-accent/10"
                onClick={() => toggle(k, false)}
              >
                <X size={12} aria-hidden />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <Input
        id={id}
        aria-label={`Filter ${label.toLowerCase()}`}
        placeholder="Filter fields…"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        className="h-8"
      />
      <div className="max-h-40 overflow-y-auto rounded-md border border-line p-1">
        {shown.length === 0 ? (
          <p className="px-2 py-1 text-xs text-ink-soft">No field matches.</p>
        ) : (
          shown.map((f) => (
            <label
              key={f.key}
              className="flex cursor-pointer items-center gap-2 rounded px-2 py-1 text-sm text-ink hover:bg-muted"
            >
              <input
                type="checkbox"
                checked={value.includes(f.key)}
                onChange={(e) => toggle(f.key, e.target.checked)}
                data-testid="field-check"
                value={f.key}
              />
              <span className="truncate">{f.label}</span>
              {f.key.startsWith('custom.') ? (
                <span className="ml-auto text-[11px] text-ink-soft">custom</span>
              ) : null}
            </label>
          ))
        )}
      </div>
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-xs text-danger">
          {error}
        </p>
      ) : (
        <p id={hintId} className="text-xs text-ink-soft">
          {hint}
        </p>
      )}
    </fieldset>
  );
}
