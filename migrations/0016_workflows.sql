-- Workflows: definitions with a draft and published versions, runs that keep the version they
-- started on, a log row per step attempt, and round-robin positions of assign-owner steps.

-- What caused an event: a workflow run's action, and how deep in a chain of runs it is. The
-- loop guard reads it, so a workflow that changes its own trigger record stops after a few rounds.
ALTER TABLE outbox ADD COLUMN causation jsonb;

CREATE TABLE workflows (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  name text NOT NULL,
  description text,
  enabled boolean NOT NULL DEFAULT false,
  -- The definition being edited; publishing copies it into workflow_versions.
  draft jsonb NOT NULL,
  published_version integer,
  -- Denormalized from the published version so an event finds its workflows by index:
  -- `contact.created`, `deal.stage_changed`, `schedule`, `manual:contact`, …
  trigger_key text,
  -- The inbound-webhook secret, AES-256-GCM sealed (the URL is shown again to editors).
  inbound_secret_enc text,
  -- The secret that signs the workflow's outgoing webhook calls (X-Cerebro-Signature), sealed.
  signing_secret_enc text NOT NULL,
  -- Who is told when a run fails.
  owner_id uuid,
  created_by uuid,
  -- Relative-date triggers fire for dates that entered the window since this instant.
  date_swept_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  PRIMARY KEY (organization_id, id)
);
CREATE INDEX workflows_trigger ON workflows (organization_id, trigger_key) WHERE enabled AND deleted_at IS NULL;
CREATE INDEX workflows_dates ON workflows (trigger_key) WHERE enabled AND deleted_at IS NULL AND trigger_key LIKE 'date:%';
SELECT cerebro_tenant_rls('workflows');

CREATE TABLE workflow_versions (
  organization_id uuid NOT NULL,
  workflow_id uuid NOT NULL,
  version integer NOT NULL,
  definition jsonb NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now(),
  published_by uuid,
  PRIMARY KEY (organization_id, workflow_id, version),
  FOREIGN KEY (organization_id, workflow_id) REFERENCES workflows (organization_id, id)
);
SELECT cerebro_tenant_rls('workflow_versions');

CREATE TABLE workflow_runs (
  organization_id uuid NOT NULL,
  id uuid NOT NULL,
  workflow_id uuid NOT NULL,
  version integer NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'waiting', 'succeeded', 'failed', 'stopped')),
  trigger_type text NOT NULL,
  -- The event that started the run (null for schedules, inbound webhooks, manual runs).
  event_id uuid,
  record_type text,
  record_id uuid,
  -- What templates and conditions read: the trigger record, its contact, the webhook body, …
  data jsonb NOT NULL,
  -- 0 for a run caused by a person; n + 1 for a run caused by an action of a depth-n run.
  depth integer NOT NULL DEFAULT 0,
  -- The step to run next and its sequence number; the engine advances both in the same
  -- transaction as the step's effect, so a step is done exactly when its log says so.
  current_step text,
  step_seq integer NOT NULL DEFAULT 0,
  error text,
  -- Why a guard stopped the run, in words for people.
  stop_reason text,
  -- One run per (workflow, key): an event, a schedule fire time, a date, an inbound request id.
  dedupe_key text,
  started_by uuid,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id),
  UNIQUE (organization_id, workflow_id, dedupe_key),
  FOREIGN KEY (organization_id, workflow_id, version) REFERENCES workflow_versions (organization_id, workflow_id, version)
);
CREATE INDEX workflow_runs_newest ON workflow_runs (organization_id, workflow_id, id DESC);
CREATE INDEX workflow_runs_record ON workflow_runs (organization_id, workflow_id, record_id, started_at);
CREATE INDEX workflow_runs_status ON workflow_runs (organization_id, status, id DESC);
SELECT cerebro_tenant_rls('workflow_runs');

CREATE TABLE workflow_run_steps (
  organization_id uuid NOT NULL,
  id uuid NOT NULL,
  run_id uuid NOT NULL,
  seq integer NOT NULL,
  step_id text NOT NULL,
  step_type text NOT NULL,
  status text NOT NULL CHECK (status IN ('succeeded', 'failed', 'retrying', 'waiting')),
  attempt integer NOT NULL,
  input jsonb,
  output jsonb,
  error text,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  PRIMARY KEY (organization_id, id),
  -- A step attempt is logged once, whichever worker believes it ran it.
  UNIQUE (organization_id, run_id, seq, attempt),
  FOREIGN KEY (organization_id, run_id) REFERENCES workflow_runs (organization_id, id) ON DELETE CASCADE
);
SELECT cerebro_tenant_rls('workflow_run_steps');

CREATE TABLE workflow_cursors (
  organization_id uuid NOT NULL,
  workflow_id uuid NOT NULL,
  step_id text NOT NULL,
  position integer NOT NULL DEFAULT 0,
  PRIMARY KEY (organization_id, workflow_id, step_id)
);
SELECT cerebro_tenant_rls('workflow_cursors');
