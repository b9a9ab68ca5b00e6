import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { toast } from 'sonner';
import { api, type Page } from '../api/client';
import type { ObjectDescription } from '../api/types';
import { Button, EmptyState, formatDate, PageHeader, Skeleton, Table, Td } from '../components/ui';
import { showApiError } from '../lib/form-errors';

type TrashedRow = Record<string, unknown> & { id: string; deletedAt: string | null };

/** The name of a record as its object's title field gives it. */
function titleOf(row: TrashedRow, object: ObjectDescription): string {
  const value = row[object.titleField];
  return typeof value === 'string' && value.trim() ? value : `(no ${object.titleField})`;
}

/** The deleted records of one object, each with Restore. */
function TrashList({ object }: { object: ObjectDescription }) {
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: [object.resource, 'trashed'],
    queryFn: () =>
      api<Page<TrashedRow>>('GET', `/${object.resource}?trashed=true&count=true&limit=200`),
  });
  const restore = useMutation({
    mutationFn: (id: string) => api('POST', `/${object.resource}/${id}/restore`),
    onSuccess: () => {
      toast.success(`${object.labels.singular} restored`);
      void queryClient.invalidateQueries({ queryKey: [object.resource] });
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
          <Td>{titleOf(r, object)}</Td>
          <Td className="text-ink-soft">{formatDate(r.deletedAt)}</Td>
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
  const objects = useQuery({
    queryKey: ['objects'],
    queryFn: () => api<{ data: ObjectDescription[] }>('GET', '/objects'),
    staleTime: 60_000,
  });
  const withTrash = (objects.data?.data ?? []).filter((o) => o.capabilities.trash);
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
