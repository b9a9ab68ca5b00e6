import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { toast } from 'sonner';
import { ApiError } from '../api/client';

/**
 * Puts an API error on the form fields it names, or shows it as a toast. `aliases` maps an API
 * path to the form field that edits it (`options.choices` → `choices`).
 */
export function showApiError<T extends FieldValues>(
  error: unknown,
  setError?: UseFormSetError<T>,
  fields: readonly string[] = [],
  aliases: Readonly<Record<string, string>> = {},
): void {
  if (error instanceof ApiError) {
    const fieldOf = (path: string) => aliases[path] ?? path;
    const named = error.details.filter((d) => fields.includes(fieldOf(d.path)));
    for (const d of named) setError?.(fieldOf(d.path) as Path<T>, { message: d.message });
    if (named.length === 0 || named.length < error.details.length) {
      toast.error(
        error.status === 429 && error.retryAfter
          ? `${error.message} (retry in ${Math.ceil(error.retryAfter / 60)} min)`
          : error.message,
      );
    }
    return;
  }
  toast.error(error instanceof Error ? error.message : 'Something went wrong');
}
