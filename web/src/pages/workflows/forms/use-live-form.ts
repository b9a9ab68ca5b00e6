import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useRef } from 'react';
import { useForm, type DefaultValues, type FieldValues, type UseFormReturn } from 'react-hook-form';
import type { z } from 'zod';
import { flattenErrors } from './form-messages';

/** What a live form tells its owner. */
export interface LiveFormEvents<T> {
  /** Every change of the values. */
  onValues: (values: T) => void;
  /** The form's current problems (what the user typed and the check refused), paths as the form names them. */
  onErrors: (problems: Array<{ path: string; message: string }>) => void;
}

/**
 * A react-hook-form form whose every change goes straight to the draft (the builder saves the
 * draft, not the form), checked by a zod schema as the user types. Its problems go to the owner
 * too: a half-typed number never reaches the draft, so only the form knows it is wrong.
 * `showErrorsNow` checks it all at once, for a node the last publish found problems in.
 */
export function useLiveForm<T extends FieldValues>(
  schema: z.ZodType<T, T>,
  defaults: T,
  events: LiveFormEvents<T>,
  showErrorsNow: boolean,
): UseFormReturn<T> {
  const form = useForm<T>({
    resolver: zodResolver(schema),
    defaultValues: defaults as DefaultValues<T>,
    mode: 'onChange',
  });
  const owner = useRef(events);
  owner.current = events;
  useEffect(
    () =>
      form.subscribe({
        formState: { values: true },
        callback: ({ values }) => owner.current.onValues(values),
      }),
    [form],
  );
  useEffect(() => {
    const stop = form.subscribe({
      formState: { errors: true },
      callback: ({ errors }) => owner.current.onErrors(flattenErrors(errors)),
    });
    return () => {
      stop();
      owner.current.onErrors([]);
    };
  }, [form]);
  useEffect(() => {
    if (showErrorsNow) void form.trigger();
  }, [form, showErrorsNow]);
  return form;
}
