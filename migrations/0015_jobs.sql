-- Durable background jobs (platform/jobs): one row per job with its state machine, and cron
-- schedules that enqueue a job at each fire time.

CREATE TABLE jobs (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  -- The handler's name, e.g. workflow.step.
  name text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  -- Dedupe key: at most one job per (organization, name, key) ever. NULL keys never collide.
  key text,
  -- pending: waiting for run_at (or retrying); running: a worker holds the lease; succeeded;
  -- failed: the last attempt failed (the dead-letter list); discarded: an admin gave up on it.
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'discarded')),
  -- Attempts started so far (counted at claim time, so a worker killed mid-job used one up).
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 5 CHECK (max_attempts BETWEEN 1 AND 100),
  run_at timestamptz NOT NULL DEFAULT now(),
  -- The worker that claimed the job holds it until leased_until and renews it while the handler
  -- runs; only the holder of lease_id may record the outcome.
  lease_id uuid,
  leased_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  PRIMARY KEY (organization_id, id),
  UNIQUE (organization_id, name, key)
);
-- What the runner claims: due pending jobs, and running jobs whose worker stopped renewing.
CREATE INDEX jobs_due ON jobs (run_at) WHERE status = 'pending';
CREATE INDEX jobs_leased ON jobs (leased_until) WHERE status = 'running';
-- The admin list: per status, newest first (ids are UUIDv7).
CREATE INDEX jobs_by_status ON jobs (organization_id, status, id DESC);
-- The retention sweep of succeeded jobs.
CREATE INDEX jobs_succeeded ON jobs (finished_at) WHERE status = 'succeeded';
SELECT cerebro_tenant_rls('jobs');

CREATE TABLE job_schedules (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  -- The owner's name for the schedule, e.g. workflow:<id>; fired jobs get the key `${key}@${fireTime}`.
  key text NOT NULL,
  -- Five or six fields (seconds first when six), read in `timezone` (IANA).
  cron text NOT NULL,
  timezone text NOT NULL,
  job_name text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  -- The next fire time; NULL (with enabled false) once the pattern never fires again.
  next_run_at timestamptz,
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, key)
);
CREATE INDEX job_schedules_due ON job_schedules (next_run_at) WHERE enabled;
SELECT cerebro_tenant_rls('job_schedules');

-- The admin role always holds every permission (roles.ts enforces it on edits); existing
-- organizations' admin roles get the new jobs permissions, kept sorted like the service writes them.
UPDATE roles r
SET permissions = (
      SELECT jsonb_agg(g ORDER BY g->>'permission' COLLATE "C")
      FROM (
        SELECT g FROM jsonb_array_elements(r.permissions) AS g
        WHERE g->>'permission' NOT IN ('jobs:read', 'jobs:update')
        UNION ALL
        SELECT jsonb_build_object('permission', p, 'scope', 'all') FROM unnest(ARRAY['jobs:read', 'jobs:update']) AS p
      ) AS grants),
    updated_at = now()
WHERE r.key = 'admin';
