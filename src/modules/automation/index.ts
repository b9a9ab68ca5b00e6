/** The automation module: outgoing webhooks (subscriptions, signed deliveries with retries, replay). */
import type { Deps } from '../../platform/context/index.js';
import type { Consumer } from '../../platform/outbox/index.js';
import type { PeriodicTask } from '../../platform/schedule/index.js';
import { webhookConsumer } from './deliveries.js';
import { deliverDueWebhooks } from './delivery-worker.js';
import { notifyDisabledWebhooks } from './disable-notices.js';
import { webhookRoutes } from './http-webhooks.js';
import { purgeOldDeliveries } from './retention.js';

/** The module's REST routes: /webhooks and /webhook-deliveries. */
export const automationRoutes = [...webhookRoutes];
/** Queues webhook deliveries for every event. */
export const automationConsumers: Consumer[] = [webhookConsumer];

/** The worker's sweeps: sending due deliveries, telling admins about disabled webhooks, retention. */
export const automationTasks = (deps: Deps): PeriodicTask[] => [
  { name: 'automation.webhook-deliveries', everyMs: 1_000, run: () => deliverDueWebhooks(deps) },
  { name: 'automation.webhook-disable-notices', everyMs: 5_000, run: () => notifyDisabledWebhooks(deps) },
  { name: 'automation.webhook-retention', everyMs: 3_600_000, run: () => purgeOldDeliveries(deps) },
];

export { deliverDueWebhooks, DELIVERY_TIMEOUT_MS, DISABLE_AFTER_FAILURES, type DeliveryOptions } from './delivery-worker.js';
export { notifyDisabledWebhooks } from './disable-notices.js';
export { purgeOldDeliveries, DELIVERY_RETENTION_DAYS } from './retention.js';
export { signatureHeader, verifySignature, SIGNATURE_HEADER } from './signature.js';
export { matchesPattern, matchesAny, EVENT_PATTERN } from './event-patterns.js';
export { WEBHOOK_DISABLED, type WebhookDisabledPayload } from './events.js';
export { type Webhook, type WebhookWithSecret } from './webhooks.js';
export { type Delivery, type DeliveryAttempt } from './deliveries.js';
