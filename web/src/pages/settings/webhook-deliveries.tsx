import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowLeft } from 'lucide-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { toast } from 'sonner';
import { api, ApiError, type Page } from '../../api/client';
import { can, useMe } from '../../api/session';
import type { Webhook, WebhookDelivery } from '../../api/types';
import { Button, EmptyState, PageHeader, Select, Skeleton, Table } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { DELIVERY_COLUMNS, DeliveryRow } from './webhook-delivery-row';
import { ReplaySince } from './webhook-replay';
import { WebhookState } from './webhook-state';

/** How often the list is read again while a delivery is still pending. */
const PENDING_REFRESH_MS = 3_000;

const STATUSES = [
  { value: '', label: 'All statuses' },
  { value: 'pending', label: 'Pending' },
  { value: 'delivered', label: 'Delivered' },
  { value: 'failed', label: 'Failed' },
] as const;

/** The deliveries of one webhook: filter, expand attempts, redeliver, replay since a time. */
export default function WebhookDeliveries() {
  const { id = '' } = useParams();
  const me = useMe().data;
  const queryClient = useQueryClient();
  const [status, setStatus] = useState('');
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const mayUpdate = can(me, 'webhooks:update');

  const webhook = useQuery({ queryKey: ['webhooks', id], queryFn: () => api<Webhook>('GET', `/webhooks/${id}`) });
  const deliveries = useInfiniteQuery({
    queryKey: ['webhook-deliveries', id, status],
    queryFn: ({ pageParam }) => api<Page<WebhookDelivery>>('GET', `/webhooks/${id}/deliveries?limit=50${status ? `&filter[status]=${status}` : ''}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`),
    initialPageParam: '',
    getNextPageParam: (last) => last.meta.nextCursor ?? undefined,
    // Retries run in the background: keep reading while any shown delivery may still change.
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.data.some((d) => d.status === 'pending')) ? PENDING_REFRESH_MS : false),
    enabled: webhook.isSuccess,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['webhook-deliveries', id] });
  const redeliver = useMutation({
    mutationFn: (deliveryId: string) => api<WebhookDelivery>('POST', `/webhook-deliveries/${deliveryId}/redeliver`),
    onSuccess: (d) => (toast.success(`Redelivery of ${d.eventType} queued`), void refresh()),
    onError: (e) => showApiError(e),
  });
  const enable = useMutation({
    mutationFn: (w: Webhook) => api<Webhook>('PATCH', `/webhooks/${w.id}`, { active: true }, { headers: { 'If-Match': String(w.version) } }),
    onSuccess: () => (toast.success('Webhook enabled'), void queryClient.invalidateQueries({ queryKey: ['webhooks'] })),
    onError: (e) => showApiError(e),
  });

  const toggle = (deliveryId: string) => setExpanded((s) => {
    const next = new Set(s);
    if (next.has(deliveryId)) next.delete(deliveryId);
    else next.add(deliveryId);
    return next;
  });

  const back = (
    <Link to="/settings/webhooks" className="inline-flex items-center gap-1 text-sm text-ink-soft hover:text-ink" data-testid="back-to-webhooks">
      <ArrowLeft size={14} aria-hidden /> Webhooks
    </Link>
  );
  if (webhook.isPending) return <Skeleton rows={6} />;
  if (webhook.isError) {
    const missing = webhook.error instanceof ApiError && webhook.error.status === 404;
    return (
      <div className="space-y-4">
        {back}
        <EmptyState title={missing ? 'Webhook not found' : 'Could not load the webhook'} body={missing ? 'It may have been deleted, with its delivery history.' : webhook.error.message} />
      </div>
    );
  }
  const hook = webhook.data;
  const rows = deliveries.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <div className="space-y-4">
      {back}
      <PageHeader title="Deliveries" description={hook.description ?? undefined}
        actions={mayUpdate ? <ReplaySince webhookId={hook.id} disabled={!hook.active} /> : null} />
      <div className="flex flex-wrap items-center gap-3 rounded-lg border border-line bg-panel px-4 py-3 text-sm">
        <code className="min-w-0 flex-1 truncate font-mono text-ink" title={hook.url} data-testid="deliveries-url">{hook.url}</code>
        <WebhookState webhook={hook} />
        {!hook.active && mayUpdate ? (
          <Button size="sm" data-testid="enable-webhook" disabled={enable.isPending} onClick={() => enable.mutate(hook)}>Enable</Button>
        ) : null}
      </div>
      {!hook.active ? (
        <p role="status" className="text-sm text-ink-soft">
          While the webhook is off nothing is sent and redelivery is refused. Enable it, then replay the time it was off.
        </p>
      ) : null}
      <div className="flex items-center justify-between gap-3">
        <div className="flex items-center gap-2">
          <label htmlFor="delivery-status-filter" className="text-sm text-ink-soft">Show</label>
          <Select id="delivery-status-filter" data-testid="delivery-status-filter" className="w-40" value={status} onChange={(e) => setStatus(e.target.value)}>
            {STATUSES.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
          </Select>
        </div>
        <span className="text-xs text-ink-soft" aria-live="polite">
          {deliveries.isFetching && !deliveries.isPending ? 'Refreshing…' : rows.some((d) => d.status === 'pending') ? `Refreshing every ${PENDING_REFRESH_MS / 1000} s while deliveries are pending` : ''}
        </span>
      </div>
      {deliveries.isPending ? <Skeleton rows={6} /> : deliveries.isError ? (
        <EmptyState title="Could not load deliveries" body={deliveries.error.message} action={<Button variant="secondary" onClick={() => void deliveries.refetch()}>Try again</Button>} />
      ) : rows.length === 0 ? (
        <EmptyState title={status ? `No ${status} deliveries` : 'No deliveries yet'}
          body={status ? 'Choose another status to see the rest.' : `Deliveries appear here when an event matching ${hook.eventTypes.join(', ')} happens. Replay sends past events again.`} />
      ) : (
        <Table head={DELIVERY_COLUMNS}>
          {rows.map((d) => (
            <DeliveryRow key={d.id} delivery={d} expanded={expanded.has(d.id)} onToggle={() => toggle(d.id)}
              canRedeliver={mayUpdate && hook.active} redelivering={redeliver.isPending && redeliver.variables === d.id} onRedeliver={() => redeliver.mutate(d.id)} />
          ))}
        </Table>
      )}
      {deliveries.hasNextPage ? <Button variant="secondary" onClick={() => void deliveries.fetchNextPage()} disabled={deliveries.isFetchingNextPage}>Load more</Button> : null}
    </div>
  );
}
