import type { Webhook } from '../../api/types';
import { Badge, formatDate } from '../../components/ui';

/**
 * Active, switched off by a person, or switched off by Cerebro after failures in a row. `since`
 * prints when it went off; dense tables leave it to the tooltip.
 */
export function WebhookState({ webhook, since = true }: { webhook: Webhook; since?: boolean }) {
  if (webhook.active)
    return (
      <span data-testid="webhook-state" data-state="active">
        <Badge tone="success">Active</Badge>
      </span>
    );
  const automatic = webhook.disabledReason === 'failures';
  return (
    <span
      data-testid="webhook-state"
      data-state={automatic ? 'disabled-failures' : 'disabled'}
      className="inline-flex flex-col gap-0.5"
    >
      <span
        title={`${automatic ? `${webhook.consecutiveFailures} deliveries in a row failed every retry, so Cerebro switched the webhook off` : 'Switched off by a person'}${webhook.disabledAt ? ` on ${formatDate(webhook.disabledAt)}` : ''}`}
      >
        <Badge tone={automatic ? 'danger' : 'neutral'}>
          {automatic ? `Disabled after ${webhook.consecutiveFailures} failures` : 'Disabled'}
        </Badge>
      </span>
      {since && webhook.disabledAt ? (
        <span className="whitespace-nowrap text-xs text-ink-soft">
          since {formatDate(webhook.disabledAt)}
        </span>
      ) : null}
    </span>
  );
}
