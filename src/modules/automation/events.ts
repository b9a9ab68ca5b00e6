/** Event names the automation module emits. */

/** A webhook was switched off automatically after too many failed deliveries in a row. */
export const WEBHOOK_DISABLED = 'webhook.disabled';

/** The payload of `webhook.disabled`: never the secret. */
export interface WebhookDisabledPayload {
  webhookId: string;
  url: string;
  reason: 'failures';
  consecutiveFailures: number;
}
