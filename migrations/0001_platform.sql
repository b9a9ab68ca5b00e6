-- Platform: the application role, tenancy helpers, organizations, audit log, outbox,
-- idempotency keys and the dev mailbox.

-- Application queries run as cerebro_app (SET ROLE inside each transaction). It owns no table,
-- so row level security applies to it even where the connecting user is a superuser (PGlite).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cerebro_app') THEN
    CREATE ROLE cerebro_app NOLOGIN;
  END IF;
END $$;
GRANT cerebro_app TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO cerebro_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO cerebro_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO cerebro_app;

-- The organization of the current transaction, or NULL when none is set (then no row matches).
CREATE FUNCTION cerebro_org() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('app.organization_id', true), '')::uuid $$;

-- Every tenant table gets the same policy: rows of the current organization only.
CREATE FUNCTION cerebro_tenant_rls(tbl regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s USING (organization_id = cerebro_org()) WITH CHECK (organization_id = cerebro_org())',
    tbl);
END $$;

CREATE TABLE organizations (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  slug text NOT NULL UNIQUE,
  base_currency char(3) NOT NULL DEFAULT 'USD',
  settings jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON organizations USING (id = cerebro_org()) WITH CHECK (id = cerebro_org());

-- Hash-chained audit log: hash = sha256(prev_hash || canonical entry). audit_heads holds the
-- last seq/hash per organization, so deleting the newest entries is detected too.
CREATE TABLE audit_log (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  seq bigint NOT NULL,
  id uuid NOT NULL,
  occurred_at timestamptz NOT NULL,
  actor_type text NOT NULL,
  actor_id uuid,
  action text NOT NULL,
  target_type text NOT NULL,
  target_id uuid,
  diff jsonb,
  -- The chain covers the diff through its hash, so personal data in a diff can be erased
  -- (GDPR) without breaking the chain: the hash stays, the values go.
  diff_hash text NOT NULL,
  redacted_at timestamptz,
  request_id text,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (organization_id, seq),
  UNIQUE (organization_id, id)
);
CREATE INDEX audit_log_target ON audit_log (organization_id, target_type, target_id, seq DESC);
CREATE INDEX audit_log_actor ON audit_log (organization_id, actor_id, seq DESC);
SELECT cerebro_tenant_rls('audit_log');
-- The application may append and read, never rewrite history.
REVOKE UPDATE, DELETE ON audit_log FROM cerebro_app;

-- Erasure (GDPR) blanks the diffs of one record's entries in the current organization. It runs
-- as the owner because the application role may never update the audit log otherwise.
CREATE FUNCTION cerebro_redact_audit(p_target_type text, p_target_id uuid) RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
  WITH done AS (
    UPDATE audit_log SET diff = NULL, redacted_at = now()
    WHERE organization_id = cerebro_org() AND target_type = p_target_type AND target_id = p_target_id AND redacted_at IS NULL AND diff IS NOT NULL
    RETURNING 1)
  SELECT count(*)::integer FROM done
$$;
REVOKE ALL ON FUNCTION cerebro_redact_audit(text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cerebro_redact_audit(text, uuid) TO cerebro_app;

CREATE TABLE audit_heads (
  organization_id uuid PRIMARY KEY REFERENCES organizations (id),
  seq bigint NOT NULL,
  hash text NOT NULL
);
SELECT cerebro_tenant_rls('audit_heads');
REVOKE DELETE ON audit_heads FROM cerebro_app;

-- Transactional outbox: written in the same transaction as the change it describes.
CREATE TABLE outbox (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  position bigint GENERATED ALWAYS AS IDENTITY,
  type text NOT NULL,
  aggregate_type text NOT NULL,
  aggregate_id uuid,
  payload jsonb NOT NULL,
  occurred_at timestamptz NOT NULL,
  published_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  PRIMARY KEY (organization_id, id)
);
CREATE INDEX outbox_pending ON outbox (position) WHERE published_at IS NULL;
SELECT cerebro_tenant_rls('outbox');

-- Consumers remember the events they handled: delivery is at-least-once, effects once.
CREATE TABLE processed_events (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  consumer text NOT NULL,
  event_id uuid NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, consumer, event_id)
);
SELECT cerebro_tenant_rls('processed_events');

CREATE TABLE idempotency_keys (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  actor_id uuid NOT NULL,
  key text NOT NULL,
  method text NOT NULL,
  path text NOT NULL,
  request_hash text NOT NULL,
  status_code integer,
  response_body jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, actor_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
SELECT cerebro_tenant_rls('idempotency_keys');

-- The dev mailbox: mail captured when no SMTP_URL is set, readable in the web app.
CREATE TABLE mailbox (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  to_address text NOT NULL,
  from_address text NOT NULL,
  subject text NOT NULL,
  text_body text NOT NULL,
  html_body text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id)
);
CREATE INDEX mailbox_created ON mailbox (organization_id, created_at DESC);
SELECT cerebro_tenant_rls('mailbox');
