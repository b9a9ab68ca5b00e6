import { Select } from '../../../components/ui';
import type { FieldInfo } from './field-catalog';

/**
 * A select of a record type's fields, standard ones first, custom ones in their own group. A value
 * the list does not know (typed by hand before, or a field since deleted) stays selectable.
 */
export function FieldSelect({
  id,
  value,
  onChange,
  fields,
  label,
  invalid,
  describedBy,
  testId,
  className,
}: {
  id: string;
  value: string;
  onChange: (key: string) => void;
  fields: readonly FieldInfo[];
  label: string;
  invalid?: boolean;
  describedBy?: string | undefined;
  testId?: string;
  className?: string;
}) {
  const standard = fields.filter((f) => !f.key.startsWith('custom.'));
  const custom = fields.filter((f) => f.key.startsWith('custom.'));
  const known = fields.some((f) => f.key === value);
  return (
    <Select
      id={id}
      aria-label={label}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      data-testid={testId}
      className={className}
      aria-invalid={invalid ? true : undefined}
      aria-describedby={describedBy}
    >
      <option value="">Choose a field…</option>
      {value && !known ? <option value={value}>{value}</option> : null}
      {standard.map((f) => (
        <option key={f.key} value={f.key}>
          {f.label}
        </option>
      ))}
      {custom.length ? (
        <optgroup label="Custom fields">
          {custom.map((f) => (
            <option key={f.key} value={f.key}>
              {f.label}
            </option>
          ))}
        </optgroup>
      ) : null}
    </Select>
  );
}
