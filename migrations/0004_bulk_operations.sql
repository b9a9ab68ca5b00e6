-- Bulk actions on records: large ones run in the background in batches and report progress.
CREATE TABLE bulk_operations (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  object_type text NOT NULL CHECK (object_type IN ('contact', 'company')),
  action text NOT NULL,
  params jsonb NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  total integer NOT NULL,
  processed integer NOT NULL DEFAULT 0,
  succeeded integer NOT NULL DEFAULT 0,
  skipped integer NOT NULL DEFAULT 0,
  errors jsonb NOT NULL DEFAULT '[]',
  cursor text,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  PRIMARY KEY (organization_id, id)
);
CREATE INDEX bulk_operations_open ON bulk_operations (created_at) WHERE status IN ('queued', 'running');
SELECT cerebro_tenant_rls('bulk_operations');
