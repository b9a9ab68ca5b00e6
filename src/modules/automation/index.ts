/** The automation module: outgoing webhooks (subscriptions, signed deliveries with retries, replay). */
import type { ModuleDefinition } from '../../platform/module-definition/index.js';
import { webhookConsumer } from './deliveries.js';
import { webhookDeliveryJob } from './delivery-job.js';
import { webhookDisabledNoticeJob } from './disable-notices.js';
import { webhookRoutes } from './http-webhooks.js';
import { purgeOldDeliveries } from './retention.js';

/**
 * Automation as the module list sees it: the /webhooks and /webhook-deliveries routes, the
 * consumer that queues deliveries for every event, the jobs that send each delivery and tell
 * admins about a disabled webhook (with the platform's leases, retries and dead letters), and the
 * retention sweep. Only admins get its resource.
 */
export const automationModule: ModuleDefinition = {
  name: 'automation',
  routes: webhookRoutes,
  consumers: [webhookConsumer],
  jobs: [webhookDeliveryJob, webhookDisabledNoticeJob],
  tasks: (deps) => [
    {
      name: 'automation.webhook-retention',
      everyMs: 3_600_000,
      run: () => purgeOldDeliveries(deps),
    },
  ],
  permissions: [{ resource: 'webhooks', actions: ['read', 'create', 'update', 'delete'] }],
};

export { deliverDueWebhooks, webhookDeliveryJob, WebhookDeliveryFailed } from './delivery-job.js';
export { WEBHOOK_DELIVERY_JOB, DELIVERY_MAX_ATTEMPTS } from './rounds.js';
export { DELIVERY_TIMEOUT_MS } from './send.js';
export { DISABLE_AFTER_FAILURES } from './verdict.js';
export {
  notifyDisabledWebhooks,
  webhookDisabledNoticeJob,
  WEBHOOK_DISABLED_NOTICE_JOB,
} from './disable-notices.js';
export { purgeOldDeliveries, DELIVERY_RETENTION_DAYS } from './retention.js';
export { signatureHeader, verifySignature, SIGNATURE_HEADER } from './signature.js';
export { matchesPattern, matchesAny, EVENT_PATTERN } from './event-patterns.js';
export { WEBHOOK_DISABLED, type WebhookDisabledPayload } from './events.js';
export { type Webhook, type WebhookWithSecret } from './webhooks.js';
export { type Delivery, type DeliveryAttempt } from './deliveries.js';
