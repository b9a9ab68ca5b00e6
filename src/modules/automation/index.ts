/** The automation module: outgoing webhooks (subscriptions, signed deliveries with retries, replay). */
import type { ModuleDefinition } from '../../platform/module-definition/index.js';
import { webhookConsumer } from './deliveries.js';
import { deliverDueWebhooks } from './delivery-worker.js';
import { notifyDisabledWebhooks } from './disable-notices.js';
import { webhookRoutes } from './http-webhooks.js';
import { purgeOldDeliveries } from './retention.js';

/**
 * Automation as the module list sees it: the /webhooks and /webhook-deliveries routes, the
 * consumer that queues deliveries for every event, and the sweeps that send due deliveries, tell
 * admins about disabled webhooks and apply retention. Only admins get its resource.
 */
export const automationModule: ModuleDefinition = {
  name: 'automation',
  routes: webhookRoutes,
  consumers: [webhookConsumer],
  tasks: (deps) => [
    { name: 'automation.webhook-deliveries', everyMs: 1_000, run: () => deliverDueWebhooks(deps) },
    {
      name: 'automation.webhook-disable-notices',
      everyMs: 5_000,
      run: () => notifyDisabledWebhooks(deps),
    },
    {
      name: 'automation.webhook-retention',
      everyMs: 3_600_000,
      run: () => purgeOldDeliveries(deps),
    },
  ],
  permissions: [{ resource: 'webhooks', actions: ['read', 'create', 'update', 'delete'] }],
};

export {
  deliverDueWebhooks,
  DELIVERY_TIMEOUT_MS,
  DISABLE_AFTER_FAILURES,
  type DeliveryOptions,
} from './delivery-worker.js';
export { notifyDisabledWebhooks } from './disable-notices.js';
export { purgeOldDeliveries, DELIVERY_RETENTION_DAYS } from './retention.js';
export { signatureHeader, verifySignature, SIGNATURE_HEADER } from './signature.js';
export { matchesPattern, matchesAny, EVENT_PATTERN } from './event-patterns.js';
export { WEBHOOK_DISABLED, type WebhookDisabledPayload } from './events.js';
export { type Webhook, type WebhookWithSecret } from './webhooks.js';
export { type Delivery, type DeliveryAttempt } from './deliveries.js';
