import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { toast } from 'sonner';
import { keys } from '../../api/keys';
import type { ObjectRecord } from '../../api/records';
import type { ObjectDescription } from '../../api/types';
import { Button } from '../../components/ui';
import { useUsers } from '../../lib/use-users';
import { ownerField, settableFields, tagsField } from './bulk-edit';
import { BulkEditDialog, type BulkMode } from './bulk-edit-dialog';
import { runBulkDelete } from './run-bulk-edit';

/**
 * What can be done to the selected rows at once: assign them an owner, set one field, add a tag,
 * or move them to the trash. The server's bulk endpoint does it where the object's description
 * offers one (`bulk`), else each record is changed on its own; either way one refusal does not
 * stop the others, and the toast says how many went and why the first refusal happened.
 */
export function BulkBar({
  object,
  records,
  onDone,
}: {
  object: ObjectDescription;
  records: readonly ObjectRecord[];
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const { canPick } = useUsers();
  const [mode, setMode] = useState<BulkMode | null>(null);
  const plural = object.labels.plural.toLowerCase();
  const remove = useMutation({
    mutationFn: () => runBulkDelete(object, records),
    onSuccess: ({ changed: done, failed, firstReason }) => {
      if (done)
        toast.success(
          `${done} ${done === 1 ? object.labels.singular.toLowerCase() : plural} moved to the trash`,
        );
      if (failed)
        toast.error(
          `${failed} could not be deleted — ${firstReason ?? 'no permission, or already gone'}`,
        );
      onDone();
      void queryClient.invalidateQueries({ queryKey: keys.records(object.resource).all });
    },
  });
  const action = (m: BulkMode, label: string) => (
    <Button size="sm" variant="ghost" onClick={() => setMode(m)} data-testid={`bulk-${m}`}>
      {label}
    </Button>
  );
  return (
    <div
      className="flex flex-wrap items-center gap-2 rounded-lg border border-accent/40 bg-accent-soft px-3 py-2 text-sm"
      data-testid="bulk-bar"
    >
      <span className="font-medium text-accent">{records.length} selected</span>
      {ownerField(object) && canPick ? action('assign', 'Assign to…') : null}
      {settableFields(object).length ? action('set', 'Set field…') : null}
      {tagsField(object) ? action('tag', 'Add tag') : null}
      {object.capabilities.trash ? (
        <Button
          size="sm"
          variant="danger"
          disabled={remove.isPending}
          data-testid="bulk-delete"
          onClick={() =>
            window.confirm(`Move ${records.length} ${plural} to the trash?`) && remove.mutate()
          }
        >
          Delete
        </Button>
      ) : null}
      <Button size="sm" variant="ghost" onClick={onDone}>
        Clear
      </Button>
      <BulkEditDialog
        key={mode ?? 'closed'}
        object={object}
        records={records}
        mode={mode}
        onClose={() => setMode(null)}
        onDone={() => {
          setMode(null);
          onDone();
        }}
      />
    </div>
  );
}
