import { get, type FieldErrors, type FieldValues } from 'react-hook-form';

/** The message react-hook-form holds for a (nested) field path, e.g. `condition.rules.0.value`. */
export const messageAt = <T extends FieldValues>(errors: FieldErrors<T>, path: string): string | undefined => {
  const error: unknown = get(errors, path);
  return error && typeof error === 'object' && 'message' in error && typeof error.message === 'string' ? error.message : undefined;
};

/** Whether the user changed a field since the form opened (then an older server problem no longer applies to it). */
export const isDirtyAt = (dirtyFields: object, path: string): boolean => Boolean(get(dirtyFields, path));
