import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import { toast } from 'sonner';
import { http, ifMatch, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { can, useMe } from '../../api/session';
import type { Webhook } from '../../api/types';
import {
  Badge,
  Button,
  Dialog,
  EmptyState,
  formatDate,
  PageHeader,
  Skeleton,
  Table,
  Td,
} from '../../components/ui';
import { showApiError } from '../../lib/form-errors';
import { useShortcut } from '../../lib/use-shortcut';
import { DeliveryStatusBadge } from './webhook-delivery-row';
import { WebhookDialog } from './webhook-dialog';
import { WebhookState } from './webhook-state';

const LINK_BUTTON =
  'inline-flex h-7 items-center rounded-md border border-line bg-panel px-2.5 text-xs font-medium text-ink hover:bg-muted';

/** The newest delivery of one webhook: how its receiver is doing right now. */
function LastDelivery({ webhookId }: { webhookId: string }) {
  const last = useQuery({
    queryKey: keys.webhookDeliveries.latest(webhookId),
    queryFn: () =>
      unwrap(
        http.GET('/api/v1/webhooks/{id}/deliveries', {
          params: { path: { id: webhookId }, query: { limit: 1 } },
        }),
      ),
    refetchInterval: (q) => (q.state.data?.data[0]?.status === 'pending' ? 5_000 : false),
  });
  if (last.isPending) return <span className="text-xs text-ink-soft">…</span>;
  const d = last.data?.data[0];
  if (!d) return <span className="text-xs text-ink-soft">None yet</span>;
  return (
    <div className="flex flex-col gap-0.5">
      <DeliveryStatusBadge status={d.status} />
      <span className="whitespace-nowrap text-xs text-ink-soft">
        {formatDate(d.deliveredAt ?? d.attempts[d.attempts.length - 1]?.startedAt ?? d.createdAt)}
      </span>
    </div>
  );
}

/** One subscription: where it points, what it wants, how it is doing; deleting is in the edit dialog. */
function WebhookRow({
  webhook: w,
  onEdit,
  mayUpdate,
}: {
  webhook: Webhook;
  onEdit: () => void;
  mayUpdate: boolean;
}) {
  const queryClient = useQueryClient();
  const enable = useMutation({
    mutationFn: () =>
      unwrap(
        http.PATCH('/api/v1/webhooks/{id}', {
          params: { path: { id: w.id } },
          headers: ifMatch(w.version),
          body: { active: true },
        }),
      ),
    onSuccess: () => (
      toast.success(`Enabled ${w.url}`),
      void queryClient.invalidateQueries({ queryKey: keys.webhooks.all })
    ),
    onError: (e) => showApiError(e),
  });
  return (
    <tr data-testid="webhook-row" data-webhook-id={w.id}>
      <Td className="max-w-64">
        <Link
          to={`/settings/webhooks/${w.id}`}
          className="block truncate font-mono text-xs font-medium text-ink hover:text-accent"
          title={w.url}
          data-testid="webhook-url-link"
        >
          {w.url}
        </Link>
        {w.description ? (
          <p className="mt-0.5 truncate text-xs text-ink-soft" title={w.description}>
            {w.description}
          </p>
        ) : null}
      </Td>
      <Td>
        <div className="flex max-w-72 flex-wrap gap-1">
          {w.eventTypes.map((t) => (
            <Badge key={t}>
              <span className="font-mono">{t}</span>
            </Badge>
          ))}
        </div>
      </Td>
      <Td>
        <WebhookState webhook={w} since={false} />
      </Td>
      <Td>
        <LastDelivery webhookId={w.id} />
      </Td>
      <Td className="whitespace-nowrap text-right">
        <div className="flex justify-end gap-1.5">
          <Link
            to={`/settings/webhooks/${w.id}`}
            className={LINK_BUTTON}
            data-testid="webhook-deliveries"
            aria-label={`Deliveries of ${w.url}`}
          >
            Deliveries
          </Link>
          {!w.active && mayUpdate ? (
            <Button
              size="sm"
              data-testid="webhook-enable"
              disabled={enable.isPending}
              onClick={() => enable.mutate()}
              aria-label={`Enable ${w.url}`}
            >
              Enable
            </Button>
          ) : null}
          {mayUpdate ? (
            <Button
              size="sm"
              variant="secondary"
              data-testid="webhook-edit"
              onClick={onEdit}
              aria-label={`Edit ${w.url}`}
            >
              Edit
            </Button>
          ) : null}
        </div>
      </Td>
    </tr>
  );
}

/** Asks before deleting: the delivery history goes with the webhook. */
function DeleteWebhookDialog({
  webhook,
  onClose,
}: {
  webhook: Webhook | null;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (w: Webhook) =>
      unwrap(http.DELETE('/api/v1/webhooks/{id}', { params: { path: { id: w.id } } })),
    onSuccess: () => (
      toast.success('Webhook deleted'),
      onClose(),
      void queryClient.invalidateQueries({ queryKey: keys.webhooks.all })
    ),
    onError: (e) => showApiError(e),
  });
  return (
    <Dialog
      open={webhook !== null}
      onOpenChange={(o) => (o ? undefined : onClose())}
      title="Delete this webhook?"
      description="It stops receiving events at once, and its delivery history is deleted with it. To pause it instead, edit it and switch it off."
    >
      <p className="mb-4 break-all font-mono text-xs text-ink">{webhook?.url}</p>
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button
          variant="danger"
          data-testid="confirm-delete-webhook"
          disabled={remove.isPending}
          onClick={() => webhook && remove.mutate(webhook)}
        >
          Delete webhook
        </Button>
      </div>
    </Dialog>
  );
}

/** Settings → Webhooks: the organization's subscriptions, their state and latest delivery. */
export default function Webhooks() {
  const me = useMe().data;
  const [editing, setEditing] = useState<Webhook | null>(null);
  const [dialogOpen, setDialogOpen] = useState(false);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const mayCreate = can(me, 'webhooks:create');
  const mayUpdate = can(me, 'webhooks:update');
  const mayDelete = can(me, 'webhooks:delete');
  // Few organizations have more than a handful; 200 is the API's page size ceiling.
  const hooks = useQuery({
    queryKey: keys.webhooks.list,
    queryFn: () => unwrap(http.GET('/api/v1/webhooks', { params: { query: { limit: 200 } } })),
  });

  const openNew = useCallback(() => (setEditing(null), setDialogOpen(true)), []);
  useShortcut('n', openNew, mayCreate);

  const newButton = mayCreate ? (
    <Button
      onClick={openNew}
      data-testid="new-webhook"
      aria-keyshortcuts="n"
      title="New webhook (N)"
    >
      New webhook{' '}
      <kbd className="rounded border border-white/40 px-1 text-[10px] font-normal">N</kbd>
    </Button>
  ) : null;
  const list = hooks.data?.data ?? [];

  return (
    <div className="space-y-5">
      <PageHeader
        title="Webhooks"
        description="Signed events POSTed to your endpoints as records change, retried with backoff."
        actions={list.length > 0 ? newButton : null}
      />
      {hooks.isPending ? (
        <Skeleton />
      ) : hooks.isError ? (
        <EmptyState
          title="Could not load webhooks"
          body={hooks.error.message}
          action={
            <Button variant="secondary" onClick={() => void hooks.refetch()}>
              Try again
            </Button>
          }
        />
      ) : list.length === 0 ? (
        <EmptyState
          title="No webhooks yet"
          body="A webhook tells another system the moment something happens here — a contact is created, a deal changes stage — so your ERP, warehouse or chat bot stays in sync without polling. Each delivery is signed so the receiver can check it came from Cerebro."
          action={newButton}
        />
      ) : (
        <Table head={['Endpoint', 'Events', 'Status', 'Last delivery', 'Actions']}>
          {list.map((w) => (
            <WebhookRow
              key={w.id}
              webhook={w}
              onEdit={() => (setEditing(w), setDialogOpen(true))}
              mayUpdate={mayUpdate}
            />
          ))}
        </Table>
      )}
      <WebhookDialog
        open={dialogOpen}
        onOpenChange={setDialogOpen}
        webhook={editing}
        onDelete={mayDelete && editing ? () => setDeleting(editing) : undefined}
      />
      <DeleteWebhookDialog webhook={deleting} onClose={() => setDeleting(null)} />
    </div>
  );
}
