import { useMutation, useQueryClient } from '@tanstack/react-query';
import { toast } from 'sonner';
import { keys } from '../../api/keys';
import { deleteRecord } from '../../api/records';
import type { ObjectDescription } from '../../api/types';
import { Button } from '../../components/ui';

/**
 * What can be done to the selected rows at once: move them to the trash. Each record is deleted
 * on its own (every object's API deletes one at a time), so one refusal (no permission) does not
 * stop the others, and the toast says how many went.
 */
export function BulkBar({
  object,
  ids,
  onDone,
}: {
  object: ObjectDescription;
  ids: string[];
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const plural = object.labels.plural.toLowerCase();
  const remove = useMutation({
    mutationFn: () => Promise.allSettled(ids.map((id) => deleteRecord(object.resource, id))),
    onSuccess: (results) => {
      const failed = results.filter((r) => r.status === 'rejected').length;
      const done = results.length - failed;
      if (done)
        toast.success(
          `${done} ${done === 1 ? object.labels.singular.toLowerCase() : plural} moved to the trash`,
        );
      if (failed) toast.error(`${failed} could not be deleted (no permission, or already gone)`);
      onDone();
      void queryClient.invalidateQueries({ queryKey: keys.records(object.resource).all });
    },
  });
  return (
    <div
      className="flex flex-wrap items-center gap-2 rounded-lg border border-accent/40 bg-accent-soft px-3 py-2 text-sm"
      data-testid="bulk-bar"
    >
      <span className="font-medium text-accent">{ids.length} selected</span>
      {object.capabilities.trash ? (
        <Button
          size="sm"
          variant="danger"
          disabled={remove.isPending}
          data-testid="bulk-delete"
          onClick={() =>
            window.confirm(`Move ${ids.length} ${plural} to the trash?`) && remove.mutate()
          }
        >
          Delete
        </Button>
      ) : null}
      <Button size="sm" variant="ghost" onClick={onDone}>
        Clear
      </Button>
    </div>
  );
}
