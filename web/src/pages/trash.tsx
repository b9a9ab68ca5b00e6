import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { toast } from 'sonner';
import { keys } from '../api/keys';
import { listRecords, restoreRecord } from '../api/records';
import type { ObjectDescription } from '../api/types';
import { useObjects } from '../api/use-objects';
import { Button, EmptyState, formatDate, PageHeader, Skeleton, Table, Td } from '../components/ui';
import { showApiError } from '../lib/form-errors';
import { titleOf } from './record-links';

/** The deleted records of one object, each with Restore. */
function TrashList({ object }: { object: ObjectDescription }) {
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: keys.records(object.resource).trashed(),
    queryFn: () => listRecords(object.resource, { trashed: 'true', count: 'true', limit: '200' }),
  });
  const restore = useMutation({
    mutationFn: (id: string) => restoreRecord(object.resource, id),
    onSuccess: () => {
      toast.success(`${object.labels.singular} restored`);
      void queryClient.invalidateQueries({ queryKey: keys.records(object.resource).all });
    },
    onError: (e) => showApiError(e),
  });
  if (!list.data) return <Skeleton rows={3} />;
  const rows = list.data.data;
  if (rows.length === 0) {
    return (
      <EmptyState
        title={`No deleted ${object.labels.plural.toLowerCase()}`}
        body={`Deleted ${object.labels.plural.toLowerCase()} wait here for 30 days, and can be restored with everything they had.`}
      />
    );
  }
  return (
    <Table head={[object.labels.singular, 'Deleted', '']}>
      {rows.map((r) => (
        <tr key={r.id} data-testid="trash-row">
          <Td>{titleOf(r, object.titleField)}</Td>
          <Td className="text-ink-soft">{formatDate(r.deletedAt ?? null)}</Td>
          <Td className="text-right">
            <Button
              size="sm"
              variant="secondary"
              onClick={() => restore.mutate(r.id)}
              disabled={restore.isPending}
            >
              Restore
            </Button>
          </Td>
        </tr>
      ))}
    </Table>
  );
}

/**
 * Deleted records of every object that has a trash, read from the object registry: a new object
 * with a trash appears here without a change to this page.
 */
export default function Trash() {
  const [params, setParams] = useSearchParams();
  const objects = useObjects();
  const withTrash = (objects.data ?? []).filter((o) => o.capabilities.trash);
  const current = withTrash.find((o) => o.key === params.get('object')) ?? withTrash[0];
  return (
    <div className="space-y-5">
      <PageHeader
        title="Trash"
        description="Deleted records stay restorable for 30 days, then they are removed for good."
      />
      {!objects.data ? (
        <Skeleton rows={3} />
      ) : (
        <>
          <div className="flex flex-wrap gap-2" role="tablist" aria-label="Record type">
            {withTrash.map((o) => (
              <Button
                key={o.key}
                role="tab"
                aria-selected={o.key === current?.key}
                variant={o.key === current?.key ? 'primary' : 'secondary'}
                size="sm"
                onClick={() => setParams({ object: o.key })}
              >
                {o.labels.plural}
              </Button>
            ))}
          </div>
          {current ? <TrashList key={current.key} object={current} /> : null}
        </>
      )}
    </div>
  );
}
