import type { ReactNode } from 'react';
import { Field } from './ui';

/** The props that tie a control to its row: its id, and its error text while there is one. */
export interface FormRowControl {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/**
 * One labelled control of a dialog form, with its error (or hint) below. The row hands its
 * control the id and the ARIA wiring, so each row names its id once and every invalid control
 * points screen readers at the message that says why.
 */
export function FormRow({
  label,
  id,
  error,
  hint,
  children,
}: {
  label: string;
  id: string;
  /** The field's message, from the form's validation or the API's answer. */
  error: string | undefined;
  hint?: string | undefined;
  children: (control: FormRowControl) => ReactNode;
}) {
  const control: FormRowControl = {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
  };
  return (
    <Field label={label} id={id} error={error} {...(hint === undefined ? {} : { hint })}>
      {children(control)}
    </Field>
  );
}
