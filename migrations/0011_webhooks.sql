-- Outgoing webhooks: subscriptions, one delivery per (subscription, event), and every attempt
-- of every delivery with what the receiver answered.

CREATE TABLE webhooks (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  url text NOT NULL,
  -- `*`, `resource.*` or an exact `resource.verb`.
  event_types text[] NOT NULL,
  description text,
  active boolean NOT NULL DEFAULT true,
  -- The signing secret, AES-256-GCM sealed: HMAC needs the raw secret, so a hash will not do.
  secret_enc text NOT NULL,
  -- The last characters of the secret, so people can tell which one a receiver holds.
  secret_hint text NOT NULL,
  -- Deliveries in a row that ended failed; reaching the limit disables the webhook.
  consecutive_failures integer NOT NULL DEFAULT 0,
  disabled_reason text CHECK (disabled_reason IN ('failures')),
  disabled_at timestamptz,
  -- Set once the admins were told about an automatic disable; until then the worker retries.
  disabled_notified_at timestamptz,
  created_by uuid,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id)
);
CREATE INDEX webhooks_active ON webhooks (organization_id) WHERE active;
CREATE INDEX webhooks_unnotified ON webhooks (disabled_at) WHERE disabled_reason IS NOT NULL AND disabled_notified_at IS NULL;
SELECT cerebro_tenant_rls('webhooks');

CREATE TABLE webhook_deliveries (
  organization_id uuid NOT NULL,
  id uuid NOT NULL,
  webhook_id uuid NOT NULL,
  event_id uuid NOT NULL,
  event_type text NOT NULL,
  -- The exact JSON body; every attempt sends the same bytes.
  body text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  -- Attempts started so far, and the attempt after which a failure is final.
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- A worker that claimed the delivery holds it until leased_until; only its lease may record.
  lease_id uuid,
  leased_until timestamptz,
  last_status_code integer,
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id),
  -- One delivery per subscription and event: the consumer and replays stay idempotent.
  UNIQUE (organization_id, webhook_id, event_id),
  FOREIGN KEY (organization_id, webhook_id) REFERENCES webhooks (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_newest ON webhook_deliveries (organization_id, webhook_id, id DESC);
SELECT cerebro_tenant_rls('webhook_deliveries');

CREATE TABLE webhook_attempts (
  organization_id uuid NOT NULL,
  id uuid NOT NULL,
  delivery_id uuid NOT NULL,
  number integer NOT NULL,
  started_at timestamptz NOT NULL,
  duration_ms integer NOT NULL,
  status_code integer,
  -- At most 2 KB of what the receiver answered.
  response_body text,
  error text,
  PRIMARY KEY (organization_id, id),
  -- An attempt number is recorded once, whatever two workers believe.
  UNIQUE (organization_id, delivery_id, number),
  FOREIGN KEY (organization_id, delivery_id) REFERENCES webhook_deliveries (organization_id, id) ON DELETE CASCADE
);
SELECT cerebro_tenant_rls('webhook_attempts');
