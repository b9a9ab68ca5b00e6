import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { toast } from 'sonner';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import type { Webhook, WebhookDelivery } from '../../api/types';
import { Button, EmptyState, Skeleton, Table } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { DELIVERY_COLUMNS, DeliveryRow } from './webhook-delivery-row';

/** How often the list is read again while a delivery is still pending. */
const PENDING_REFRESH_MS = 3_000;

/** The deliveries of one webhook in one status ('' for all), newest first, with redelivery; `toolbar` sits above them. */
export function DeliveriesList({
  webhook,
  status,
  mayRedeliver,
  toolbar,
}: {
  webhook: Webhook;
  status: WebhookDelivery['status'] | '';
  mayRedeliver: boolean;
  toolbar: ReactNode;
}) {
  const queryClient = useQueryClient();
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const deliveries = useInfiniteQuery({
    queryKey: keys.webhookDeliveries.list(webhook.id, status),
    queryFn: ({ pageParam }) =>
      unwrap(
        http.GET('/api/v1/webhooks/{id}/deliveries', {
          params: {
            path: { id: webhook.id },
            query: {
              limit: 50,
              ...(status ? { 'filter[status]': status } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.meta.nextCursor ?? undefined,
    // Retries run in the background: keep reading while any shown delivery may still change.
    refetchInterval: (q) =>
      q.state.data?.pages.some((p) => p.data.some((d) => d.status === 'pending'))
        ? PENDING_REFRESH_MS
        : false,
  });
  const redeliver = useMutation({
    mutationFn: (deliveryId: string) =>
      unwrap(
        http.POST('/api/v1/webhook-deliveries/{id}/redeliver', {
          params: { path: { id: deliveryId } },
        }),
      ),
    onSuccess: (d) => (
      toast.success(`Redelivery of ${d.eventType} queued`),
      void queryClient.invalidateQueries({ queryKey: keys.webhookDeliveries.all(webhook.id) })
    ),
    onError: (e) => showApiError(e),
  });
  const toggle = (deliveryId: string) =>
    setExpanded((s) => {
      const next = new Set(s);
      if (next.has(deliveryId)) next.delete(deliveryId);
      else next.add(deliveryId);
      return next;
    });

  const rows = deliveries.data?.pages.flatMap((p) => p.data) ?? [];
  const pending = rows.some((d) => d.status === 'pending');
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        {toolbar}
        <p className="text-xs text-ink-soft" aria-live="polite">
          {pending ? `Pending deliveries: refreshing every ${PENDING_REFRESH_MS / 1000} s` : ''}
        </p>
      </div>
      {deliveries.isPending ? (
        <Skeleton rows={6} />
      ) : deliveries.isError ? (
        <EmptyState
          title="Could not load deliveries"
          body={deliveries.error.message}
          action={
            <Button variant="secondary" onClick={() => void deliveries.refetch()}>
              Try again
            </Button>
          }
        />
      ) : rows.length === 0 ? (
        <EmptyState
          title={status ? `No ${status} deliveries` : 'No deliveries yet'}
          body={
            status
              ? 'Choose another status to see the rest.'
              : `Deliveries appear here when an event matching ${webhook.eventTypes.join(', ')} happens. Replay sends past events again.`
          }
        />
      ) : (
        <Table head={DELIVERY_COLUMNS}>
          {rows.map((d) => (
            <DeliveryRow
              key={d.id}
              delivery={d}
              expanded={expanded.has(d.id)}
              onToggle={() => toggle(d.id)}
              canRedeliver={mayRedeliver}
              redelivering={redeliver.isPending && redeliver.variables === d.id}
              onRedeliver={() => redeliver.mutate(d.id)}
            />
          ))}
        </Table>
      )}
      {deliveries.hasNextPage ? (
        <Button
          variant="secondary"
          onClick={() => void deliveries.fetchNextPage()}
          disabled={deliveries.isFetchingNextPage}
        >
          Load more
        </Button>
      ) : null}
    </div>
  );
}
