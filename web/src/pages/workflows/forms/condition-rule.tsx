import { X } from 'lucide-react';
import { Button, Input, Select } from '../../../components/ui';
import {
  CONDITION_OP_LABELS,
  CONDITION_OPS,
  VALUELESS_OPS,
  type ConditionOp,
} from '../definition-types';
import type { RuleRow } from './condition-model';
import { kindOf, type FieldInfo } from './field-catalog';
import { FieldSelect } from './field-select';

/** Looks up the message of a path inside the condition (`rules.0.value`). */
export type ErrorAt = (path: string) => string | undefined;

/** The value input a rule needs: a choice list for enums and yes/no, a date picker, a number, or text; a comma list for "is one of". */
function ValueInput({
  id,
  row,
  field,
  onChange,
  error,
}: {
  id: string;
  row: RuleRow;
  field: FieldInfo | undefined;
  onChange: (value: string) => void;
  error: string | undefined;
}) {
  const kind = field?.kind ?? 'text';
  const common = {
    id,
    'aria-label': 'Value',
    'data-testid': 'cond-value',
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
  };
  const choices = kind === 'boolean' ? ['true', 'false'] : field?.choices;
  if (row.op === 'in') {
    return (
      <Input
        {...common}
        value={row.value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={choices?.length ? choices.slice(0, 3).join(', ') : 'a, b, c'}
      />
    );
  }
  if (choices?.length && row.op !== 'contains') {
    return (
      <Select {...common} value={row.value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Choose…</option>
        {row.value && !choices.includes(row.value) ? (
          <option value={row.value}>{row.value}</option>
        ) : null}
        {choices.map((c) => (
          <option key={c} value={c}>
            {kind === 'boolean' ? (c === 'true' ? 'Yes' : 'No') : c}
          </option>
        ))}
      </Select>
    );
  }
  const type = kind === 'date' && row.op !== 'contains' ? 'date' : 'text';
  return (
    <Input
      {...common}
      type={type}
      inputMode={kind === 'number' ? 'decimal' : undefined}
      value={row.value}
      onChange={(e) => onChange(e.target.value)}
      placeholder={kind === 'number' ? '0' : 'Value'}
    />
  );
}

/** One rule: field, operator and value (hidden for isEmpty, isNotEmpty and changed), and a remove button. */
export function RuleEditor({
  id,
  row,
  fields,
  onChange,
  onRemove,
  errorAt,
  path,
}: {
  id: string;
  row: RuleRow;
  fields: readonly FieldInfo[];
  onChange: (row: RuleRow) => void;
  onRemove: () => void;
  errorAt: ErrorAt;
  /** Where the rule sits in the condition (`rules.2`, `rules.1.rules.0`), for its messages. */
  path: string;
}) {
  const fieldError = errorAt(`${path}.field`);
  const valueError = errorAt(`${path}.value`);
  const field = fields.find((f) => f.key === row.field);
  const hint =
    row.op === 'in'
      ? field?.choices?.length
        ? `Separate values with commas: ${field.choices.join(', ')}`
        : 'Separate values with commas'
      : null;
  return (
    <div
      className="space-y-1.5 rounded-md bg-muted/60 p-2"
      data-testid="cond-rule"
      role="group"
      aria-label={`Rule: ${field?.label ?? (row.field || 'no field yet')}`}
    >
      <div className="flex gap-1.5">
        <FieldSelect
          id={`${id}-field`}
          label="Field"
          value={row.field}
          fields={fields}
          className="min-w-0 flex-1"
          testId="cond-field"
          invalid={Boolean(fieldError)}
          describedBy={fieldError ? `${id}-field-error` : undefined}
          onChange={(key) =>
            onChange({
              ...row,
              field: key,
              value: kindOf(fields, key) === kindOf(fields, row.field) ? row.value : '',
            })
          }
        />
        <Select
          id={`${id}-op`}
          aria-label="Operator"
          className="w-36 shrink-0"
          value={row.op}
          data-testid="cond-op"
          onChange={(e) => onChange({ ...row, op: e.target.value as ConditionOp })}
        >
          {CONDITION_OPS.map((op) => (
            <option key={op} value={op}>
              {CONDITION_OP_LABELS[op]}
            </option>
          ))}
        </Select>
        <Button
          variant="ghost"
          size="sm"
          className="h-9 shrink-0"
          aria-label="Remove rule"
          data-testid="cond-remove"
          onClick={onRemove}
        >
          <X size={14} aria-hidden />
        </Button>
      </div>
      {fieldError ? (
        <p id={`${id}-field-error`} role="alert" className="text-xs text-danger">
          {fieldError}
        </p>
      ) : null}
      {VALUELESS_OPS.has(row.op) ? null : (
        <div className="space-y-1">
          <ValueInput
            id={`${id}-value`}
            row={row}
            field={field}
            error={valueError}
            onChange={(value) => onChange({ ...row, value })}
          />
          {valueError ? (
            <p id={`${id}-value-error`} role="alert" className="text-xs text-danger">
              {valueError}
            </p>
          ) : hint ? (
            <p className="text-xs text-ink-soft">{hint}</p>
          ) : null}
        </div>
      )}
    </div>
  );
}
