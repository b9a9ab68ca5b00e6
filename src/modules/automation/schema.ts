import type { ColumnType } from 'kysely';
import type { GeneratedTimestamp, Timestamp } from '../../platform/db/index.js';

/** A column with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

/** pending: waiting or retrying; delivered: a 2xx came back; failed: every attempt of its round failed. */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** A subscription (migrations/0011_webhooks.sql documents the columns). */
export interface WebhookTable {
  organization_id: string;
  id: string;
  url: string;
  event_types: string[];
  description: string | null;
  active: Defaulted<boolean>;
  secret_enc: string;
  secret_hint: string;
  consecutive_failures: Defaulted<number>;
  disabled_reason: 'failures' | null;
  disabled_at: Timestamp | null;
  disabled_notified_at: Timestamp | null;
  created_by: string | null;
  version: Defaulted<number>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

/** One event for one subscription. */
export interface WebhookDeliveryTable {
  organization_id: string;
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  body: string;
  status: Defaulted<DeliveryStatus>;
  /** Attempts made, over every round (a redelivery or replay adds one). */
  attempts: Defaulted<number>;
  /** The job of its latest round (migrations/0022_webhook_jobs.sql); null while it waits for its disabled webhook. */
  job_id: string | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Timestamp | null;
  created_at: GeneratedTimestamp;
}

/** One try at sending a delivery. */
export interface WebhookAttemptTable {
  organization_id: string;
  id: string;
  delivery_id: string;
  number: number;
  started_at: Timestamp;
  duration_ms: number;
  status_code: number | null;
  response_body: string | null;
  error: string | null;
}

/** The tables of the automation module, for `tx.withTables<AutomationTables>()`. */
export type AutomationTables = {
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
};
