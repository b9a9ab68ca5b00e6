import { Trash2 } from 'lucide-react';
import { Link, useNavigate } from 'react-router';
import { toast } from 'sonner';
import { deleteRecord, restoreRecord, type ObjectRecord } from '../../api/records';
import { can, useMe } from '../../api/session';
import type { ObjectDescription } from '../../api/types';
import { Button } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { useRecordUpdate } from '../../lib/use-record-update';
import { useUsers } from '../../lib/use-users';
import { isBlank } from '../field-values';
import { FieldsPanel } from '../record-fields';
import { fieldSpec, visibleFields } from './field-specs';

/**
 * A record's fields in two sections, the object's own and the organization's custom ones, each
 * editable in place and saved with If-Match. Any record page can show them from the description.
 */
export function RecordSections({
  object,
  objects,
  record,
  exclude = [],
}: {
  object: ObjectDescription;
  objects: readonly ObjectDescription[];
  record: ObjectRecord;
  /** Fields the page shows its own way (a deal's stage is its stage bar). */
  exclude?: readonly string[];
}) {
  const { canPick } = useUsers();
  const save = useRecordUpdate(object.resource, record, object.labels.singular.toLowerCase());
  const specs = (custom: boolean) =>
    visibleFields(object)
      .filter((f) => f.custom === custom && !exclude.includes(f.key))
      .map((f) => fieldSpec(f, record, objects))
      // Without users:read there is no list to pick an owner from; other ids (a team) are shown, not typed.
      .map((s) =>
        (s.kind === 'user' && !canPick) || s.kind === 'id' ? { ...s, readOnly: true } : s,
      )
      // A computed title is the header already; an empty read-only field says nothing.
      .filter((s) => !(s.readOnly && (s.path === object.titleField || isBlank(s.value))));
  return (
    <>
      <FieldsPanel
        title="Details"
        fields={specs(false)}
        onSave={save}
        idPrefix={object.key}
        testId={`${object.key}-fields`}
      />
      {/* A custom object's fields are all its own: they sit in Details. */}
      {object.capabilities.customFields && !object.custom ? (
        <FieldsPanel
          title="Custom fields"
          fields={specs(true)}
          onSave={save}
          idPrefix={object.key}
          testId={`${object.key}-custom-fields`}
          empty={
            <p className="text-sm text-ink-soft">
              No custom fields for {object.labels.plural.toLowerCase()} yet. An admin adds them (a
              tier, a renewal date) under{' '}
              <Link
                className="text-accent underline decoration-accent/40 underline-offset-2 hover:decoration-accent"
                to={`/settings/objects?object=${object.key}`}
              >
                Settings → Objects and fields
              </Link>
              ; they then show here, editable like the rest.
            </p>
          }
        />
      ) : null}
    </>
  );
}

/**
 * Delete on a record page: moves the record to the trash. By default the page goes back to the
 * list, with Undo in the toast; `onDeleted` replaces that (the generic page shows Restore).
 */
export function DeleteRecordButton({
  resource,
  record,
  title,
  singular,
  onDeleted,
  permission = `${resource}:delete`,
}: {
  resource: string;
  /** The permission to delete; custom objects share one (`custom-records:delete`). */
  permission?: string;
  record: { id: string };
  title: string;
  singular: string;
  onDeleted?: () => void;
}) {
  const me = useMe().data;
  const navigate = useNavigate();
  if (!can(me, permission)) return null;
  const handleDelete = async () => {
    if (!window.confirm(`Move ${title} to the trash?`)) return;
    try {
      await deleteRecord(resource, record.id);
    } catch (e) {
      return showApiError(e);
    }
    if (onDeleted) {
      toast.success(`${singular} moved to the trash`);
      return onDeleted();
    }
    toast.success(`${singular} moved to the trash`, {
      action: {
        label: 'Undo',
        onClick: () =>
          void restoreRecord(resource, record.id).then(
            () => void navigate(`/${resource}/${record.id}`),
            (e: unknown) => showApiError(e),
          ),
      },
    });
    void navigate(`/${resource}`);
  };
  return (
    <Button variant="secondary" onClick={() => void handleDelete()} data-testid="delete-record">
      <Trash2 size={15} aria-hidden />
      Delete
    </Button>
  );
}
