import { GitMerge } from 'lucide-react';
import { useState } from 'react';
import type { ObjectRecord } from '../../api/records';
import { can, recordPermission, useMe } from '../../api/session';
import type { ObjectDescription } from '../../api/types';
import { Button } from '../../components/ui';
import { ConvertLeadDialog } from '../leads/convert-lead-dialog';
import { MergeWith } from '../merge-with';
import { PersonalDataActions } from '../personal-data-actions';
import { titleOf } from '../record-links';

/** "Merge with…" for any object whose description says it merges. */
function MergeAction({ object, record }: { object: ObjectDescription; record: ObjectRecord }) {
  const [merging, setMerging] = useState(false);
  return (
    <>
      <Button variant="secondary" onClick={() => setMerging(true)} data-testid="merge-with">
        <GitMerge size={15} aria-hidden />
        Merge with…
      </Button>
      <MergeWith open={merging} onOpenChange={setMerging} object={object} record={record} />
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

/** The labels of an admin's personal fields, as the erasure's confirmation lists them. */
function personalLabels(object: ObjectDescription): string[] {
  const personal = new Set(object.personalData?.fields);
  return object.fields.filter((f) => personal.has(f.key)).map((f) => f.label);
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
  return (
    <>
      {mayUpdate && object.key === 'lead' ? <ConvertLead record={record} /> : null}
      {mayUpdate && object.merge ? <MergeAction object={object} record={record} /> : null}
      {/* Any object that declares personal data takes the GDPR requests, under its own rights. */}
      {object.personalData ? (
        <PersonalDataActions
          resource={object.resource}
          permission={object.permission}
          id={record.id}
          name={titleOf(record, object.titleField)}
          fieldLabels={object.custom ? personalLabels(object) : undefined}
        />
      ) : null}
    </>
  );
}
