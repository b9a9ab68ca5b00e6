import { get } from 'react-hook-form';

/** The message react-hook-form holds for a (nested) field path, e.g. `condition.rules.0.value`. */
export const messageAt = (errors: object, path: string): string | undefined => {
  const error: unknown = get(errors, path);
  return error &&
    typeof error === 'object' &&
    'message' in error &&
    typeof error.message === 'string'
    ? error.message
    : undefined;
};

/** Whether the user changed a field since the form opened (then an older server problem no longer applies to it). */
export const isDirtyAt = (dirtyFields: object, path: string): boolean =>
  Boolean(get(dirtyFields, path));

/** Every message in a react-hook-form errors tree, with its dotted path (`values.2.field`). */
export function flattenErrors(
  errors: unknown,
  prefix = '',
): Array<{ path: string; message: string }> {
  if (!errors || typeof errors !== 'object') return [];
  const out: Array<{ path: string; message: string }> = [];
  if ('message' in errors && typeof errors.message === 'string' && errors.message)
    out.push({ path: prefix, message: errors.message });
  for (const [key, value] of Object.entries(errors)) {
    if (key === 'message' || key === 'type' || key === 'ref' || key === 'types') continue;
    out.push(...flattenErrors(value, prefix ? `${prefix}.${key}` : key));
  }
  return out;
}
