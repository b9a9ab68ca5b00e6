import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { toast } from 'sonner';
import { keys } from '../../api/keys';
import { recordPermission } from '../../api/session';
import { getRecord, restoreRecord, type ObjectRecord } from '../../api/records';
import type { ObjectDescription } from '../../api/types';
import { Badge, Button, EmptyState, formatDate } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { useUsers } from '../../lib/use-users';
import { titleOf } from '../record-links';
import { RecordHeader, RecordMissing, RecordSkeleton } from '../record-page';
import { RunWorkflowMenu } from '../workflows/run-workflow-menu';
import { RecordExtras } from './record-extras';
import { DeleteRecordButton, RecordSections } from './record-sections';
import { RecordTimeline } from './record-timeline';
import { RelatedLists } from './related-lists';

/** A record that was just moved to the trash: say so, and offer it back. */
function TrashedNotice({
  object,
  record,
  onRestored,
}: {
  object: ObjectDescription;
  record: ObjectRecord;
  onRestored: (record: ObjectRecord) => void;
}) {
  const [busy, setBusy] = useState(false);
  const handleRestore = async () => {
    setBusy(true);
    try {
      onRestored(await restoreRecord(object.resource, record.id));
      toast.success(`${object.labels.singular} restored`);
    } catch (e) {
      showApiError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="mx-auto max-w-3xl" data-testid="record-trashed">
      <EmptyState
        title={`${titleOf(record, object.titleField)} is in the trash`}
        body={`Deleted ${object.labels.plural.toLowerCase()} stay restorable for 30 days, with everything they had.`}
        action={
          <div className="flex justify-center gap-2">
            <Button
              onClick={() => void handleRestore()}
              disabled={busy}
              data-testid="restore-record"
            >
              Restore
            </Button>
            <Link
              to={`/${object.resource}`}
              className="inline-flex h-9 items-center rounded-md px-3.5 text-sm text-ink-soft hover:bg-muted"
            >
              Back to {object.labels.plural.toLowerCase()}
            </Link>
          </div>
        }
      />
    </div>
  );
}

function RecordView({
  object,
  objects,
  record,
  onDeleted,
}: {
  object: ObjectDescription;
  objects: readonly ObjectDescription[];
  record: ObjectRecord;
  onDeleted: () => void;
}) {
  const { nameOf } = useUsers();
  const status = object.fields.find((f) => f.key === 'status' && f.kind === 'enum');
  const owner = typeof record.ownerId === 'string' ? nameOf(record.ownerId) : null;
  const title = titleOf(record, object.titleField);
  return (
    <div className="mx-auto max-w-6xl space-y-4" data-testid={`${object.key}-record`}>
      <RecordHeader
        back={{ to: `/${object.resource}`, label: object.labels.plural }}
        name={title}
        badge={
          status && typeof record.status === 'string' ? (
            <Badge tone="accent">{record.status}</Badge>
          ) : undefined
        }
        lines={[
          [owner ? `Owner: ${owner}` : null, `Created ${formatDate(record.createdAt)}`]
            .filter(Boolean)
            .join(' · '),
        ]}
        actions={
          <>
            {object.capabilities.workflows ? (
              <RunWorkflowMenu object={object.key} recordId={record.id} />
            ) : null}
            <RecordExtras object={object} record={record} />
            {object.capabilities.trash ? (
              <DeleteRecordButton
                resource={object.resource}
                record={record}
                title={title}
                singular={object.labels.singular}
                onDeleted={onDeleted}
                permission={recordPermission(object, 'delete')}
              />
            ) : null}
          </>
        }
      />
      <div className="grid items-start gap-4 lg:grid-cols-[26rem_minmax(0,1fr)]">
        <div className="space-y-4">
          <RecordSections object={object} objects={objects} record={record} />
        </div>
        <div className="min-w-0 space-y-4">
          <RelatedLists object={object} objects={objects} recordId={record.id} />
          <RecordTimeline object={object} objects={objects} record={record} />
        </div>
      </div>
    </div>
  );
}

/**
 * The record page of any object: its fields in sections, each editable in place (saved with
 * If-Match), delete to the trash and restore, the lists of records that point at it, and the
 * timeline with the composer where the object has one.
 */
export function ObjectRecordPage({
  object,
  objects,
  id,
}: {
  object: ObjectDescription;
  objects: readonly ObjectDescription[];
  id: string;
}) {
  const queryClient = useQueryClient();
  const k = keys.records(object.resource);
  const [trashed, setTrashed] = useState<ObjectRecord | null>(null);
  const record = useQuery({
    queryKey: k.detail(id),
    queryFn: () => getRecord(object.resource, id),
    enabled: trashed === null,
  });
  if (trashed)
    return (
      <TrashedNotice
        object={object}
        record={trashed}
        onRestored={(restored) => {
          queryClient.setQueryData(k.detail(id), restored);
          setTrashed(null);
          void queryClient.invalidateQueries({ queryKey: k.lists() });
        }}
      />
    );
  if (record.isError)
    return (
      <RecordMissing
        error={record.error}
        resource={object.resource}
        singular={object.labels.singular.toLowerCase()}
      />
    );
  if (!record.data) return <RecordSkeleton />;
  const current = record.data;
  return (
    <RecordView
      object={object}
      objects={objects}
      record={current}
      onDeleted={() => {
        setTrashed(current);
        queryClient.removeQueries({ queryKey: k.detail(id), exact: true });
        void queryClient.invalidateQueries({ queryKey: k.lists() });
      }}
    />
  );
}
