import type { ColumnType, Generated } from 'kysely';

/** A timestamptz column: Date when read, Date or ISO string when written. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamptz column with a database default. */
export type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A jsonb column holding T. */
export type Json<T> = ColumnType<T, T | string, T | string>;

/** Tables that belong to the platform layer (tenancy, audit, outbox, idempotency, mailbox). */
export interface PlatformTables {
  organizations: {
    id: string;
    name: string;
    slug: string;
    base_currency: Generated<string>;
    settings: Json<Record<string, unknown>>;
    created_at: GeneratedTimestamp;
    updated_at: GeneratedTimestamp;
  };
  audit_log: {
    organization_id: string;
    seq: number;
    id: string;
    occurred_at: Timestamp;
    actor_type: string;
    actor_id: string | null;
    action: string;
    target_type: string;
    target_id: string | null;
    diff: Json<Record<string, unknown> | null>;
    diff_hash: string;
    redacted_at: Timestamp | null;
    request_id: string | null;
    prev_hash: string;
    hash: string;
  };
  audit_heads: {
    organization_id: string;
    seq: number;
    hash: string;
  };
  outbox: {
    organization_id: string;
    id: string;
    position: Generated<number>;
    type: string;
    aggregate_type: string;
    aggregate_id: string | null;
    payload: Json<Record<string, unknown>>;
    occurred_at: Timestamp;
    published_at: Timestamp | null;
    attempts: Generated<number>;
    last_error: string | null;
    causation: Json<{ workflowId: string; runId: string; depth: number }> | null;
  };
  processed_events: {
    organization_id: string;
    consumer: string;
    event_id: string;
    processed_at: GeneratedTimestamp;
  };
  idempotency_keys: {
    organization_id: string;
    actor_id: string;
    key: string;
    method: string;
    path: string;
    request_hash: string;
    status_code: number | null;
    response_body: Json<unknown> | null;
    created_at: GeneratedTimestamp;
  };
  mailbox: {
    organization_id: string;
    id: string;
    to_address: string;
    from_address: string;
    subject: string;
    text_body: string;
    html_body: string | null;
    created_at: GeneratedTimestamp;
  };
}
