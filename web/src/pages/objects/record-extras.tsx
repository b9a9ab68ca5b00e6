import { useQueryClient } from '@tanstack/react-query';
import { GitMerge } from 'lucide-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { toast } from 'sonner';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import type { ObjectRecord } from '../../api/records';
import { can, recordPermission, useMe } from '../../api/session';
import type { Company, Contact, ObjectDescription } from '../../api/types';
import { Button } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { MergeWith } from '../merge-with';

/** "Merge with…" for the objects that merge (contacts and companies have a merge dialog). */
function MergeAction({ kind, record }: { kind: 'contact' | 'company'; record: ObjectRecord }) {
  const [merging, setMerging] = useState(false);
  return (
    <>
      <Button variant="secondary" onClick={() => setMerging(true)} data-testid="merge-with">
        <GitMerge size={15} aria-hidden />
        Merge with…
      </Button>
      <MergeWith
        open={merging}
        onOpenChange={setMerging}
        kind={kind}
        // The generic record is the same answer as the typed one: it was read from the same path.
        record={record as unknown as Contact | Company}
      />
    </>
  );
}

/** Converting a lead: creates or matches its contact and company, opens a deal and goes there. */
function ConvertLead({ record }: { record: ObjectRecord }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  if (record.status === 'converted' || record.status === 'disqualified') return null;
  const handleConvert = async () => {
    setBusy(true);
    try {
      const r = await unwrap(
        http.POST('/api/v1/leads/{id}/convert', {
          params: { path: { id: record.id } },
          body: { createDeal: true },
        }),
      );
      toast.success('Lead converted');
      await queryClient.invalidateQueries({ queryKey: keys.records('leads').all });
      void navigate(r.deal ? `/deals/${r.deal.id}` : `/contacts/${r.contact.id}`);
    } catch (e) {
      showApiError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button
      variant="secondary"
      disabled={busy}
      onClick={() => void handleConvert()}
      data-testid="convert-lead"
    >
      Convert
    </Button>
  );
}

/** What a module adds to the generic record page's actions: only what is special to its object. */
export function RecordExtras({
  object,
  record,
}: {
  object: ObjectDescription;
  record: ObjectRecord;
}) {
  const me = useMe().data;
  if (!can(me, recordPermission(object, 'update'))) return null;
  if (object.capabilities.merge && (object.key === 'contact' || object.key === 'company'))
    return <MergeAction kind={object.key} record={record} />;
  if (object.key === 'lead') return <ConvertLead record={record} />;
  return null;
}
