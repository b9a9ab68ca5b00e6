import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { toast } from 'sonner';
import { Button, Dialog } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';

/**
 * Asks before deleting one named thing of a settings list (a form, a rule, a product), says what
 * deleting it does to what depends on it, and refreshes the list once it is gone.
 */
export function ConfirmDeleteDialog<T extends { id: string; name: string }>({
  item,
  noun,
  consequence,
  remove,
  listKey,
  testId,
  onClose,
}: {
  /** What to delete; null keeps the dialog closed. */
  item: T | null;
  /** "form", "rule", "product". */
  noun: string;
  consequence: string;
  remove: (id: string) => Promise<unknown>;
  listKey: QueryKey;
  testId: string;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const deletion = useMutation({
    mutationFn: remove,
    onSuccess: () => {
      toast.success(`Deleted ${item?.name ?? `the ${noun}`}`);
      onClose();
      void queryClient.invalidateQueries({ queryKey: listKey });
    },
    onError: (e) => showApiError(e),
  });
  return (
    <Dialog
      open={item !== null}
      onOpenChange={(open) => (open ? undefined : onClose())}
      title={`Delete ${item?.name ?? noun}?`}
      description={consequence}
    >
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button
          variant="danger"
          data-testid={testId}
          disabled={deletion.isPending}
          onClick={() => item && deletion.mutate(item.id)}
        >
          Delete {noun}
        </Button>
      </div>
    </Dialog>
  );
}
