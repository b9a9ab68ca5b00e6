import { DomainError, errors } from '../../platform/errors/index.js';

/** A webhook URL that is malformed or points where outbound requests may not go. */
export const webhookUrlRefused = (message: string) => errors.validation([{ path: 'url', message }]);

/** Deliveries of a disabled webhook are not sent; it must be re-enabled first. */
export const webhookInactive = () =>
  new DomainError(
    'rule_violated',
    'AUTOMATION_WEBHOOK_INACTIVE',
    'The webhook is disabled; enable it (PATCH active: true) before sending deliveries',
    {
      details: [{ path: 'active', message: 'is false' }],
    },
  );

/** A worker is sending this delivery right now. */
export const deliveryInFlight = () =>
  new DomainError(
    'conflict',
    'AUTOMATION_DELIVERY_IN_FLIGHT',
    'The delivery is being sent right now; try again in a minute',
  );
