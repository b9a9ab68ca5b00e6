import { ChevronDown, ChevronRight } from 'lucide-react';
import type { WebhookAttempt, WebhookDelivery } from '../../api/types';
import { Badge, Button, formatDate, Td } from '../../components/ui';

/** Columns of the deliveries table; the expanded row spans them all. */
export const DELIVERY_COLUMNS = [
  '',
  'Event',
  'Status',
  'Attempts',
  'Last code',
  'Created',
  'Actions',
];

const TONES = { pending: 'accent', delivered: 'success', failed: 'danger' } as const;
const LABELS = { pending: 'Pending', delivered: 'Delivered', failed: 'Failed' } as const;

/** A delivery's status as a coloured badge. */
export function DeliveryStatusBadge({ status }: { status: WebhookDelivery['status'] }) {
  return (
    <span data-testid="delivery-status" data-status={status}>
      <Badge tone={TONES[status]}>{LABELS[status]}</Badge>
    </span>
  );
}

/** A status code coloured by class: 2xx fine, anything else a problem, none at all an error. */
function StatusCode({ code }: { code: number | null }) {
  if (code === null) return <span className="text-ink-soft">—</span>;
  return (
    <code
      className={
        code >= 200 && code < 300 ? 'text-emerald-600 dark:text-emerald-400' : 'text-danger'
      }
    >
      {code}
    </code>
  );
}

function AttemptItem({ attempt }: { attempt: WebhookAttempt }) {
  return (
    <li className="rounded-md border border-line bg-panel p-3" data-testid="delivery-attempt">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-ink-soft">
        <span className="font-medium text-ink">Attempt {attempt.number}</span>
        <span>{formatDate(attempt.startedAt)}</span>
        <span data-testid="attempt-status">
          Status <StatusCode code={attempt.statusCode} />
        </span>
        <span>{attempt.durationMs} ms</span>
      </div>
      {attempt.error ? <p className="mt-2 text-xs text-danger">{attempt.error}</p> : null}
      {attempt.responseBody ? (
        <pre
          className="mt-2 max-h-40 overflow-auto whitespace-pre-wrap break-all rounded bg-muted p-2 font-mono text-xs text-ink"
          aria-label={`Response body of attempt ${attempt.number}`}
        >
          {attempt.responseBody}
        </pre>
      ) : (
        <p className="mt-2 text-xs text-ink-soft">No response body.</p>
      )}
    </li>
  );
}

/**
 * One delivery as a table row; expanded, a second row lists every attempt (status code,
 * duration, response body, error) and the payload every attempt sends.
 */
export function DeliveryRow({
  delivery,
  expanded,
  onToggle,
  onRedeliver,
  canRedeliver,
  redelivering,
}: {
  delivery: WebhookDelivery;
  expanded: boolean;
  onToggle: () => void;
  onRedeliver: () => void;
  canRedeliver: boolean;
  redelivering: boolean;
}) {
  const detailsId = `delivery-${delivery.id}`;
  return (
    <>
      <tr
        data-testid="delivery-row"
        data-delivery-id={delivery.id}
        className="cursor-pointer hover:bg-muted/40"
        onClick={onToggle}
      >
        <Td className="w-8">
          <button
            type="button"
            aria-expanded={expanded}
            aria-controls={detailsId}
            aria-label={`${expanded ? 'Hide' : 'Show'} attempts of ${delivery.eventType}`}
            data-testid="delivery-expand"
            className="rounded p-0.5 text-ink-soft hover:bg-muted"
            onClick={(e) => (e.stopPropagation(), onToggle())}
          >
            {expanded ? (
              <ChevronDown size={16} aria-hidden />
            ) : (
              <ChevronRight size={16} aria-hidden />
            )}
          </button>
        </Td>
        <Td>
          <code className="text-xs">{delivery.eventType}</code>
        </Td>
        <Td>
          <div className="flex items-center gap-2">
            <DeliveryStatusBadge status={delivery.status} />
            {delivery.status === 'pending' && delivery.nextAttemptAt ? (
              <span className="text-xs text-ink-soft">
                next {formatDate(delivery.nextAttemptAt)}
              </span>
            ) : null}
          </div>
        </Td>
        <Td>
          <span data-testid="delivery-attempts">{delivery.attemptCount}</span>
        </Td>
        <Td>
          <StatusCode code={delivery.lastStatusCode} />
        </Td>
        <Td className="whitespace-nowrap">{formatDate(delivery.createdAt)}</Td>
        <Td className="text-right">
          {canRedeliver ? (
            <Button
              size="sm"
              variant="secondary"
              data-testid="redeliver"
              disabled={redelivering}
              onClick={(e) => (e.stopPropagation(), onRedeliver())}
              aria-label={`Redeliver ${delivery.eventType}`}
            >
              {redelivering ? 'Queuing…' : 'Redeliver'}
            </Button>
          ) : null}
        </Td>
      </tr>
      {expanded ? (
        <tr id={detailsId} data-testid="delivery-details">
          <td colSpan={DELIVERY_COLUMNS.length} className="bg-surface px-3 py-3">
            <div className="space-y-3">
              {delivery.attempts.length === 0 ? (
                <p className="text-sm text-ink-soft">
                  Not sent yet
                  {delivery.nextAttemptAt
                    ? `: the first attempt is due ${formatDate(delivery.nextAttemptAt)}`
                    : ''}
                  .
                </p>
              ) : (
                <ol className="space-y-2" aria-label="Attempts">
                  {delivery.attempts.map((a) => (
                    <AttemptItem key={a.number} attempt={a} />
                  ))}
                </ol>
              )}
              <details className="text-xs">
                <summary className="cursor-pointer text-ink-soft hover:text-ink">
                  Payload (delivery id <code>{delivery.id}</code>)
                </summary>
                <pre className="mt-2 max-h-60 overflow-auto rounded bg-muted p-2 font-mono text-ink">
                  {JSON.stringify(delivery.payload, null, 2)}
                </pre>
              </details>
            </div>
          </td>
        </tr>
      ) : null}
    </>
  );
}
