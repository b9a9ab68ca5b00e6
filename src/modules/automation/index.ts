/** The automation module: outgoing webhooks (subscriptions, signed deliveries with retries, replay). */
import type { Deps } from '../../platform/context/index.js';
import type { Consumer } from '../../platform/outbox/index.js';
import type { PeriodicTask } from '../../platform/schedule/index.js';
import { webhookConsumer } from './deliveries.js';
import { deliverDueWebhooks } from './delivery-worker.js';
import { notifyDisabledWebhooks } from './disable-notices.js';
import { webhookRoutes } from './http-webhooks.js';

export const automationRoutes = [...webhookRoutes];
export const automationConsumers: Consumer[] = [webhookConsumer];

export const automationTasks = (deps: Deps): PeriodicTask[] => [
  { name: 'automation.webhook-deliveries', everyMs: 1_000, run: () => deliverDueWebhooks(deps) },
  { name: 'automation.webhook-disable-notices', everyMs: 5_000, run: () => notifyDisabledWebhooks(deps) },
];

export { deliverDueWebhooks, DELIVERY_TIMEOUT_MS, DISABLE_AFTER_FAILURES, type DeliveryOptions } from './delivery-worker.js';
export { notifyDisabledWebhooks } from './disable-notices.js';
export { signatureHeader, verifySignature, SIGNATURE_HEADER } from './signature.js';
export { matchesPattern, matchesAny, EVENT_PATTERN } from './event-patterns.js';
export { WEBHOOK_DISABLED, type WebhookDisabledPayload } from './events.js';
export { type Webhook, type WebhookWithSecret } from './webhooks.js';
export { type Delivery, type DeliveryAttempt } from './deliveries.js';
