-- Support, the first slice: tickets. Email intake, SLAs, routing, the knowledge base and CSAT
-- build on this table later; `first_response_at` is kept for them and not set by anything yet.

-- The last ticket number handed out per organization. The upsert that takes the next one locks
-- the organization's row until the creating transaction ends, so two tickets created at once
-- queue for their numbers instead of racing, and a rolled-back create gives its number back.
CREATE TABLE ticket_counters (
  organization_id uuid PRIMARY KEY REFERENCES organizations (id),
  last_number integer NOT NULL CHECK (last_number > 0)
);
SELECT cerebro_tenant_rls('ticket_counters');

CREATE TABLE tickets (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  -- The human number people quote (#1042): sequential and unique per organization.
  number integer NOT NULL CHECK (number > 0),
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
  description text,
  status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'open', 'pending', 'on_hold', 'solved', 'closed')),
  priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  channel text NOT NULL DEFAULT 'web' CHECK (channel IN ('web', 'email', 'phone', 'api', 'chat')),
  contact_id uuid,
  company_id uuid,
  -- The assignee; NULL while the ticket waits in its team's queue.
  owner_id uuid,
  team_id uuid,
  tags text[] NOT NULL DEFAULT '{}',
  custom_fields jsonb NOT NULL DEFAULT '{}',
  solved_at timestamptz,
  closed_at timestamptz,
  first_response_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  PRIMARY KEY (organization_id, id),
  UNIQUE (organization_id, number),
  -- Closing implies solving: a closed ticket keeps (or gets) its solved time.
  CHECK ((status IN ('solved', 'closed')) = (solved_at IS NOT NULL)),
  CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
  -- SET NULL so the records trash purge can still delete a contact or company a ticket names.
  FOREIGN KEY (organization_id, contact_id) REFERENCES contacts (organization_id, id) ON DELETE SET NULL (contact_id),
  FOREIGN KEY (organization_id, company_id) REFERENCES companies (organization_id, id) ON DELETE SET NULL (company_id),
  FOREIGN KEY (organization_id, owner_id) REFERENCES users (organization_id, id),
  FOREIGN KEY (organization_id, team_id) REFERENCES teams (organization_id, id) ON DELETE SET NULL (team_id)
);
-- The list's default order and its filters (status, priority, assignee, team, contact, company, tag).
CREATE INDEX tickets_created ON tickets (organization_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX tickets_status ON tickets (organization_id, status, created_at) WHERE deleted_at IS NULL;
CREATE INDEX tickets_priority ON tickets (organization_id, priority, created_at) WHERE deleted_at IS NULL;
CREATE INDEX tickets_owner ON tickets (organization_id, owner_id, status) WHERE deleted_at IS NULL;
CREATE INDEX tickets_team ON tickets (organization_id, team_id, status) WHERE deleted_at IS NULL;
CREATE INDEX tickets_contact ON tickets (organization_id, contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX tickets_company ON tickets (organization_id, company_id) WHERE company_id IS NOT NULL;
CREATE INDEX tickets_tags ON tickets USING gin (tags);
CREATE INDEX tickets_custom ON tickets USING gin (custom_fields jsonb_path_ops);
CREATE INDEX tickets_trash ON tickets (deleted_at) WHERE deleted_at IS NOT NULL;
-- `q=` matches the subject's words and the number, so "1042" finds #1042 (0006's document).
CREATE INDEX tickets_fts ON tickets USING gin (cerebro_search_vector(subject, number::text));
SELECT cerebro_tenant_rls('tickets');

-- The word index read as the owner within cerebro_org(), as 0013 explains for the other records.
CREATE FUNCTION cerebro_words_tickets(q tsquery, lim integer) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT id FROM tickets
  WHERE organization_id = cerebro_org() AND deleted_at IS NULL AND cerebro_search_vector(subject, number::text) @@ q
  LIMIT lim $$;
REVOKE ALL ON FUNCTION cerebro_words_tickets(tsquery, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cerebro_words_tickets(tsquery, integer) TO cerebro_app;

-- A contact or company merge moves its tickets to the survivor; this remembers each move so an
-- undo of the merge can move them back (like deal_merge_moves for deals).
CREATE TABLE ticket_merge_moves (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  merge_id uuid NOT NULL,
  ticket_id uuid NOT NULL,
  link text NOT NULL CHECK (link IN ('contact', 'company')),
  from_id uuid NOT NULL,
  PRIMARY KEY (organization_id, merge_id, ticket_id, link),
  FOREIGN KEY (organization_id, ticket_id) REFERENCES tickets (organization_id, id) ON DELETE CASCADE
);
SELECT cerebro_tenant_rls('ticket_merge_moves');

-- Existing organizations' built-in roles get the ticket permissions the role templates
-- (platform/authz/catalog.ts) now give new ones. Admins hold every permission at `all`, as 0015
-- did for jobs. Other built-in roles get a grant only where they hold none for that permission
-- yet, so a scope an admin already chose is kept; grants stay sorted like roles.ts writes them.
UPDATE roles r
SET permissions = (
      SELECT jsonb_agg(g ORDER BY g->>'permission' COLLATE "C")
      FROM (
        SELECT g FROM jsonb_array_elements(r.permissions) AS g
        WHERE g->>'permission' NOT IN ('tickets:read', 'tickets:create', 'tickets:update', 'tickets:delete')
        UNION ALL
        SELECT jsonb_build_object('permission', p, 'scope', 'all') FROM unnest(ARRAY['tickets:read', 'tickets:create', 'tickets:update', 'tickets:delete']) AS p
      ) AS grants),
    updated_at = now()
WHERE r.key = 'admin';

WITH wanted (role_key, permission, scope) AS (
  VALUES
    ('support_agent', 'tickets:read', 'team'), ('support_agent', 'tickets:create', 'team'),
    ('support_agent', 'tickets:update', 'team'), ('support_agent', 'tickets:delete', 'own'),
    ('sales_manager', 'tickets:read', 'team'), ('sales_manager', 'tickets:create', 'team'),
    ('sales_rep', 'tickets:read', 'team'), ('sales_rep', 'tickets:create', 'team')
),
missing AS (
  SELECT r.organization_id, r.id, jsonb_agg(jsonb_build_object('permission', w.permission, 'scope', w.scope)) AS grants
  FROM roles r
  JOIN wanted w ON w.role_key = r.key
  WHERE r.is_system AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(r.permissions) AS g WHERE g->>'permission' = w.permission)
  GROUP BY r.organization_id, r.id
)
UPDATE roles r
SET permissions = (
      SELECT jsonb_agg(g ORDER BY g->>'permission' COLLATE "C")
      FROM (SELECT jsonb_array_elements(r.permissions) AS g UNION ALL SELECT jsonb_array_elements(m.grants)) AS grants),
    updated_at = now()
FROM missing m
WHERE r.organization_id = m.organization_id AND r.id = m.id;
