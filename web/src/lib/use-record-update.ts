import { useQueryClient } from '@tanstack/react-query';
import { toast } from 'sonner';
import { ApiError } from '../api/client';
import { keys } from '../api/keys';
import { updateRecord } from '../api/records';
import { showApiError } from './form-errors';

/** What saving one field led to: saved, or not — with the message for that field when the API named it. */
export type SaveOutcome = { ok: true } | { ok: false; fieldError: string | null };

/** The record types that have a record page: any object's resource. */
export type RecordResource = string;

const SINGULAR: Record<string, string> = {
  contacts: 'contact',
  companies: 'company',
  tickets: 'ticket',
};

/** Whether an API problem path is about `path` itself or one of its parts (`emails.0.email` for `emails`). */
const isAbout = (problemPath: string, path: string) =>
  problemPath === path || problemPath.startsWith(`${path}.`);

/**
 * Saves a partial update of one record with `If-Match: <version>`, so an edit made on a stale copy
 * answers 412 instead of silently overwriting someone else's change.
 */
export function useRecordUpdate(
  resource: RecordResource,
  record: { id: string; version: number },
  /** The record's singular name for messages; built-in ones are known. */
  singular: string = SINGULAR[resource] ?? 'record',
) {
  const queryClient = useQueryClient();
  const k = keys.records(resource);
  return async (patch: Record<string, unknown>, path: string): Promise<SaveOutcome> => {
    try {
      const updated = await updateRecord(resource, record, patch);
      queryClient.setQueryData(k.detail(record.id), updated);
      // The change shows in the history and in the lists; neither is worth a blocking refetch.
      void queryClient.invalidateQueries({ queryKey: k.timeline(record.id) });
      void queryClient.invalidateQueries({ queryKey: k.lists() });
      return { ok: true };
    } catch (e) {
      if (e instanceof ApiError && (e.status === 412 || e.status === 409)) {
        // The draft stays open: after the refetch the version is current, so saving again is a deliberate overwrite.
        toast.error(
          `Someone else changed this ${singular} while you were editing. The latest version is now shown; save again to replace it, or cancel.`,
        );
        await queryClient.invalidateQueries({ queryKey: k.detail(record.id), exact: true });
        return { ok: false, fieldError: null };
      }
      // 400: a malformed value; 422: a rule such as a link to a record that is not there (REFERENCE_NOT_FOUND).
      if (e instanceof ApiError && (e.status === 400 || e.status === 422)) {
        const problem = e.details.find((d) => isAbout(d.path, path));
        if (problem) return { ok: false, fieldError: problem.message };
      }
      showApiError(e);
      return { ok: false, fieldError: null };
    }
  };
}
