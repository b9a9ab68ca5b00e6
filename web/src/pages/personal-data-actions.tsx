import { useQueryClient } from '@tanstack/react-query';
import { Download, UserX } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { http, unwrap } from '../api/http';
import { keys } from '../api/keys';
import { can, useMe } from '../api/session';
import { Button, Dialog } from '../components/ui';
import { showApiError } from '../lib/form-errors';

/** What an erasure answers: when, and how much beside the record it scrubbed. */
/** Hands a JSON document to the browser as a download. */
function downloadJson(name: string, data: unknown): void {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
  // The browser has taken the file by the next turn; the URL only holds memory after that.
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}

/** What the confirmation says is blanked: the named fields, or what a person's record holds. */
function erasureText(fieldLabels: readonly string[] | undefined): string {
  const what = fieldLabels?.length
    ? `Its personal fields (${fieldLabels.join(', ')}) are blanked, and so is the text of its activities, its change history and past events.`
    : 'Names, addresses, phone numbers, notes and custom fields are blanked, and so is the text of their activities, their change history and past events.';
  return `${what} The record itself stays for your reports. This cannot be undone.`;
}

/**
 * A person's GDPR requests on the record page of any object that declares personal data:
 * "Export personal data" downloads everything held about them as JSON
 * (`GET /{resource}/{id}/personal-data`, with the export permission), "Erase" blanks their
 * personal data everywhere after a confirmation that says it cannot be undone
 * (`POST /{resource}/{id}/erase`, with the delete permission).
 */
export function PersonalDataActions({
  resource,
  permission = resource,
  id,
  name,
  fieldLabels,
}: {
  /** The resource whose GDPR routes serve the record (`contacts`, `leads`, `patients`). */
  resource: string;
  /** The permission resource guarding its records, when not the resource (`custom-records`). */
  permission?: string;
  id: string;
  /** How the confirmation names the person. */
  name: string;
  /** The personal fields the confirmation lists; a person's usual fields when absent. */
  fieldLabels?: readonly string[];
}) {
  const me = useMe().data;
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const canExport = can(me, `${permission}:export`);
  const canErase = can(me, `${permission}:delete`);
  if (!canExport && !canErase) return null;

  const handleExport = async () => {
    setBusy(true);
    try {
      downloadJson(
        `${resource}-${id}-personal-data.json`,
        await unwrap(
          http.GET('/api/v1/{resource}/{id}/personal-data', {
            params: { path: { resource, id } },
          }),
        ),
      );
      toast.success('Personal data exported');
    } catch (e) {
      showApiError(e);
    } finally {
      setBusy(false);
    }
  };
  const handleErase = async () => {
    setBusy(true);
    try {
      const erased = await unwrap(
        http.POST('/api/v1/{resource}/{id}/erase', { params: { path: { resource, id } } }),
      );
      setConfirming(false);
      toast.success(
        `Personal data erased (${erased.activities} activities anonymized, ${erased.auditEntries} history entries redacted)`,
      );
      // The record, its lists and timeline, and activities shown elsewhere all changed.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.records(resource).all }),
        queryClient.invalidateQueries({ queryKey: keys.records('activities').all }),
      ]);
    } catch (e) {
      showApiError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {canExport ? (
        <Button
          variant="secondary"
          onClick={() => void handleExport()}
          disabled={busy}
          data-testid="export-personal-data"
        >
          <Download size={15} aria-hidden />
          Export personal data
        </Button>
      ) : null}
      {canErase ? (
        <Button
          variant="secondary"
          onClick={() => setConfirming(true)}
          disabled={busy}
          data-testid="erase-person"
        >
          <UserX size={15} aria-hidden />
          Erase
        </Button>
      ) : null}
      <Dialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`Erase ${name}'s personal data?`}
        description={erasureText(fieldLabels)}
      >
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirming(false)} disabled={busy}>
            Cancel
          </Button>
          <Button
            variant="danger"
            onClick={() => void handleErase()}
            disabled={busy}
            data-testid="confirm-erase"
          >
            Erase personal data
          </Button>
        </div>
      </Dialog>
    </>
  );
}
