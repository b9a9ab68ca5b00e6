import { useRef } from 'react';
import { Input, Textarea } from '../../../components/ui';
import { PlaceholderMenu } from './placeholder-menu';
import { insertAt, type PlaceholderGroup } from './placeholders';

/** Props of a text field that takes `{{placeholders}}`. */
export interface TemplateInputProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  groups: readonly PlaceholderGroup[];
  multiline?: boolean;
  placeholder?: string;
  error?: string | undefined;
  testId?: string;
}

/**
 * A text field with an "Insert field" menu: the chosen placeholder goes where the caret was (or
 * replaces the selection), and the caret lands after it, so typing goes on where it left off.
 */
export function TemplateInput({
  id,
  label,
  value,
  onChange,
  onBlur,
  groups,
  multiline = false,
  placeholder,
  error,
  testId,
}: TemplateInputProps) {
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  // Where the caret was when focus left for the menu; the menu takes focus, so read it on blur.
  const selection = useRef<{ start: number | null; end: number | null }>({
    start: null,
    end: null,
  });
  const caretAfter = useRef<number | null>(null);
  const remember = () => {
    const el = ref.current;
    if (el) selection.current = { start: el.selectionStart, end: el.selectionEnd };
  };
  const handlePick = (token: string) => {
    const next = insertAt(value, selection.current.start, selection.current.end, token);
    caretAfter.current = next.caret;
    selection.current = { start: next.caret, end: next.caret };
    onChange(next.text);
  };
  const handleClosed = (event: Event) => {
    event.preventDefault();
    const el = ref.current;
    if (!el) return;
    el.focus();
    if (caretAfter.current !== null) el.setSelectionRange(caretAfter.current, caretAfter.current);
    caretAfter.current = null;
  };
  const shared = {
    id,
    value,
    placeholder,
    'data-testid': testId,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
    onChange: (e: { target: { value: string } }) => onChange(e.target.value),
    onBlur: () => {
      remember();
      onBlur?.();
    },
  };
  return (
    <div className="space-y-1">
      <div className="flex items-end justify-between gap-2">
        <label htmlFor={id} className="block text-sm font-medium text-ink">
          {label}
        </label>
        <PlaceholderMenu
          groups={groups}
          fieldLabel={label}
          onPick={handlePick}
          onClosed={handleClosed}
          testId={testId ? `${testId}-insert` : undefined}
        />
      </div>
      {multiline ? (
        <Textarea ref={ref} rows={4} className="font-[inherit]" {...shared} />
      ) : (
        <Input ref={ref} {...shared} />
      )}
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-xs text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}
