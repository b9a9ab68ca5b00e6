-- Imports of contacts from CSV/XLSX files: progress, row errors, and what each import created or
-- changed, so it can be rolled back.
CREATE TABLE imports (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  object_type text NOT NULL CHECK (object_type IN ('contact')),
  file_name text NOT NULL,
  file_path text NOT NULL,
  format text NOT NULL CHECK (format IN ('csv', 'xlsx')),
  mapping jsonb NOT NULL,
  dedupe text NOT NULL CHECK (dedupe IN ('skip', 'update', 'create')),
  dry_run boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed', 'rolled_back')),
  total integer,
  processed integer NOT NULL DEFAULT 0,
  created integer NOT NULL DEFAULT 0,
  updated integer NOT NULL DEFAULT 0,
  skipped integer NOT NULL DEFAULT 0,
  failed integer NOT NULL DEFAULT 0,
  errors jsonb NOT NULL DEFAULT '[]',
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  rolled_back_at timestamptz,
  -- The worker running an import holds a lease; a worker that dies lets it lapse and another resumes.
  lease_until timestamptz,
  PRIMARY KEY (organization_id, id)
);
CREATE INDEX imports_open ON imports (created_at) WHERE status IN ('queued', 'running');
SELECT cerebro_tenant_rls('imports');

CREATE TABLE import_records (
  organization_id uuid NOT NULL,
  import_id uuid NOT NULL,
  record_id uuid NOT NULL,
  action text NOT NULL CHECK (action IN ('created', 'updated')),
  before jsonb,
  PRIMARY KEY (organization_id, import_id, record_id),
  FOREIGN KEY (organization_id, import_id) REFERENCES imports (organization_id, id) ON DELETE CASCADE
);
SELECT cerebro_tenant_rls('import_records');
