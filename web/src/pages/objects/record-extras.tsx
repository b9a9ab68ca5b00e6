import { GitMerge } from 'lucide-react';
import { useState } from 'react';
import type { ObjectRecord } from '../../api/records';
import { can, recordPermission, useMe } from '../../api/session';
import type { Company, Contact, ObjectDescription } from '../../api/types';
import { Button } from '../../components/ui';
import { ConvertLeadDialog } from '../leads/convert-lead-dialog';
import { MergeWith } from '../merge-with';
import { PersonalDataActions } from '../personal-data-actions';
import { titleOf } from '../record-links';

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

/** "Convert" on a lead: opens the dialog that previews and runs the conversion. */
function ConvertLead({ record }: { record: ObjectRecord }) {
  const [open, setOpen] = useState(false);
  if (record.status === 'converted' || record.status === 'disqualified') return null;
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)} data-testid="convert-lead">
        Convert
      </Button>
      {open ? (
        <ConvertLeadDialog
          open
          onOpenChange={setOpen}
          leadId={record.id}
          leadName={typeof record.name === 'string' && record.name ? record.name : 'lead'}
        />
      ) : null}
    </>
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
  const mayUpdate = can(me, recordPermission(object, 'update'));
  if (object.key === 'lead')
    return (
      <>
        {mayUpdate ? <ConvertLead record={record} /> : null}
        {/* A lead is a person too: the same GDPR requests as a contact, each with its own permission. */}
        <PersonalDataActions
          resource={object.resource}
          id={record.id}
          name={titleOf(record, object.titleField)}
        />
      </>
    );
  if (!mayUpdate) return null;
  if (object.capabilities.merge && (object.key === 'contact' || object.key === 'company'))
    return <MergeAction kind={object.key} record={record} />;
  return null;
}
