import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useRef } from 'react';
import { useForm, type DefaultValues, type FieldValues, type UseFormReturn } from 'react-hook-form';
import type { z } from 'zod';

/**
 * A react-hook-form form whose every change goes straight to the draft (the builder saves the
 * draft, not the form), checked by a zod schema as the user types. `showErrorsNow` checks it all
 * at once, for a node the last publish found problems in.
 */
export function useLiveForm<T extends FieldValues>(schema: z.ZodType<T, T>, defaults: T, onValues: (values: T) => void, showErrorsNow: boolean): UseFormReturn<T> {
  const form = useForm<T>({ resolver: zodResolver(schema), defaultValues: defaults as DefaultValues<T>, mode: 'onChange' });
  const push = useRef(onValues);
  push.current = onValues;
  useEffect(() => form.subscribe({ formState: { values: true }, callback: ({ values }) => push.current(values) }), [form]);
  useEffect(() => {
    if (showErrorsNow) void form.trigger();
  }, [form, showErrorsNow]);
  return form;
}
