import { useController, type FieldPath, type UseFormReturn } from 'react-hook-form';
import { Field, Input } from '../../../components/ui';
import type { PlaceholderGroup } from './placeholders';
import type { StepContext, StepFormValues } from './step-model';
import { TemplateInput } from './template-input';

/** What every step type's fields get from the step form. */
export interface StepFieldsProps {
  form: UseFormReturn<StepFormValues>;
  /** The message to show next to a field: the form's own check, else the server's last answer. */
  errorOf: (name: string) => string | undefined;
  groups: readonly PlaceholderGroup[];
  ctx: StepContext;
  /** Prefix of element ids, unique per step. */
  idPrefix: string;
}

type TextName = Extract<
  FieldPath<StepFormValues>,
  | 'subject'
  | 'body'
  | 'to'
  | 'title'
  | 'until'
  | 'url'
  | 'tag'
  | 'name'
  | 'maxAttempts'
  | 'dueInDays'
  | 'amount'
>;

/** A text field that takes placeholders, bound to the form. */
export function TemplateField({
  kit,
  name,
  label,
  multiline,
  placeholder,
  testId,
  hint,
}: {
  kit: StepFieldsProps;
  name: TextName;
  label: string;
  multiline?: boolean;
  placeholder?: string;
  testId: string;
  hint?: string;
}) {
  const { field } = useController({ control: kit.form.control, name });
  const error = kit.errorOf(name);
  return (
    <div className="space-y-1">
      <TemplateInput
        id={`${kit.idPrefix}-${name}`}
        label={label}
        value={field.value}
        onChange={field.onChange}
        onBlur={field.onBlur}
        groups={kit.groups}
        multiline={multiline ?? false}
        error={error}
        testId={testId}
        {...(placeholder ? { placeholder } : {})}
      />
      {hint && !error ? <p className="text-xs text-ink-soft">{hint}</p> : null}
    </div>
  );
}

/** A plain text (or number-as-text) field bound to the form. */
export function TextField({
  kit,
  name,
  label,
  placeholder,
  testId,
  hint,
  inputMode,
  className,
}: {
  kit: StepFieldsProps;
  name: TextName;
  label: string;
  placeholder?: string;
  testId: string;
  hint?: string;
  inputMode?: 'numeric' | 'url';
  className?: string;
}) {
  const id = `${kit.idPrefix}-${name}`;
  const error = kit.errorOf(name);
  return (
    <div className={className}>
      <Field label={label} id={id} error={error} {...(hint ? { hint } : {})}>
        <Input
          id={id}
          data-testid={testId}
          placeholder={placeholder}
          inputMode={inputMode}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          {...kit.form.register(name)}
        />
      </Field>
    </div>
  );
}
