import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowLeft } from 'lucide-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { toast } from 'sonner';
import { ApiError } from '../../api/client';
import { http, ifMatch, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { can, useMe } from '../../api/session';
import type { Webhook } from '../../api/types';
import { Button, EmptyState, PageHeader, Select, Skeleton } from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { DeliveriesList } from './webhook-deliveries-list';
import { ReplaySince } from './webhook-replay';
import { WebhookState } from './webhook-state';

const STATUSES = [
  { value: '', label: 'All statuses' },
  { value: 'pending', label: 'Pending' },
  { value: 'delivered', label: 'Delivered' },
  { value: 'failed', label: 'Failed' },
] as const;
type StatusFilter = (typeof STATUSES)[number]['value'];

/** The webhook's URL and state, with the way back on when it is off. */
function WebhookSummary({ webhook, mayUpdate }: { webhook: Webhook; mayUpdate: boolean }) {
  const queryClient = useQueryClient();
  const enable = useMutation({
    mutationFn: (w: Webhook) =>
      unwrap(
        http.PATCH('/api/v1/webhooks/{id}', {
          params: { path: { id: w.id } },
          headers: ifMatch(w.version),
          body: { active: true },
        }),
      ),
    onSuccess: () => (
      toast.success('Webhook enabled'),
      void queryClient.invalidateQueries({ queryKey: keys.webhooks.all })
    ),
    onError: (e) => showApiError(e),
  });
  return (
    <>
      <div className="flex flex-wrap items-center gap-3 rounded-lg border border-line bg-panel px-4 py-3 text-sm">
        <code
          className="min-w-0 flex-1 truncate font-mono text-ink"
          title={webhook.url}
          data-testid="deliveries-url"
        >
          {webhook.url}
        </code>
        <WebhookState webhook={webhook} />
        {!webhook.active && mayUpdate ? (
          <Button
            size="sm"
            data-testid="enable-webhook"
            disabled={enable.isPending}
            onClick={() => enable.mutate(webhook)}
          >
            Enable
          </Button>
        ) : null}
      </div>
      {!webhook.active ? (
        <p role="status" className="text-sm text-ink-soft">
          While the webhook is off nothing is sent and redelivery is refused. Enable it, then replay
          the time it was off.
        </p>
      ) : null}
    </>
  );
}

/** The deliveries of one webhook: filter by status, expand attempts, redeliver, replay since a time. */
export default function WebhookDeliveries() {
  const { id = '' } = useParams();
  const me = useMe().data;
  const [status, setStatus] = useState<StatusFilter>('');
  const mayUpdate = can(me, 'webhooks:update');
  const webhook = useQuery({
    queryKey: keys.webhooks.detail(id),
    queryFn: () => unwrap(http.GET('/api/v1/webhooks/{id}', { params: { path: { id } } })),
  });

  const back = (
    <Link
      to="/settings/webhooks"
      className="inline-flex items-center gap-1 text-sm text-ink-soft hover:text-ink"
      data-testid="back-to-webhooks"
    >
      <ArrowLeft size={14} aria-hidden /> Webhooks
    </Link>
  );
  if (webhook.isPending) return <Skeleton rows={6} />;
  if (webhook.isError) {
    const missing = webhook.error instanceof ApiError && webhook.error.status === 404;
    return (
      <div className="space-y-4">
        {back}
        <EmptyState
          title={missing ? 'Webhook not found' : 'Could not load the webhook'}
          body={
            missing ? 'It may have been deleted, with its delivery history.' : webhook.error.message
          }
        />
      </div>
    );
  }
  const hook = webhook.data;
  return (
    <div className="space-y-4">
      {back}
      <PageHeader
        title="Deliveries"
        description={hook.description ?? undefined}
        actions={mayUpdate ? <ReplaySince webhookId={hook.id} disabled={!hook.active} /> : null}
      />
      <WebhookSummary webhook={hook} mayUpdate={mayUpdate} />
      <DeliveriesList
        webhook={hook}
        status={status}
        mayRedeliver={mayUpdate && hook.active}
        toolbar={
          <div className="flex items-center gap-2">
            <label htmlFor="delivery-status-filter" className="text-sm text-ink-soft">
              Show
            </label>
            <Select
              id="delivery-status-filter"
              data-testid="delivery-status-filter"
              className="w-40"
              value={status}
              onChange={(e) =>
                setStatus(STATUSES.find((s) => s.value === e.target.value)?.value ?? '')
              }
            >
              {STATUSES.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </Select>
          </div>
        }
      />
    </div>
  );
}
