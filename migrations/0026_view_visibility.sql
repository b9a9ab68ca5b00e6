-- Saved views are shared privately, with one team, or with everyone (issue 13). `shared` becomes
-- `visibility`; the API still answers `shared` (visibility = 'everyone') and takes it in bodies.
ALTER TABLE saved_views
  ADD COLUMN visibility text NOT NULL DEFAULT 'private'
    CHECK (visibility IN ('private', 'team', 'everyone')),
  ADD COLUMN team_id uuid;
UPDATE saved_views SET visibility = 'everyone' WHERE shared;
ALTER TABLE saved_views DROP COLUMN shared;
-- Only a team view names a team. When its team is deleted the view keeps `team` visibility with
-- no team, so it is left to its owner alone rather than widened or lost.
ALTER TABLE saved_views
  ADD CONSTRAINT saved_views_team_only_for_team CHECK (team_id IS NULL OR visibility = 'team'),
  ADD CONSTRAINT saved_views_team_fk FOREIGN KEY (organization_id, team_id)
    REFERENCES teams (organization_id, id) ON DELETE SET NULL (team_id);
-- The list reads a user's own views, their teams' and everyone's, per object.
CREATE INDEX saved_views_team ON saved_views (organization_id, team_id) WHERE team_id IS NOT NULL;

-- Tickets can now be exported (GET /api/v1/tickets/export). Existing organizations' built-in
-- roles get tickets:export where the role templates (platform/authz/catalog.ts) now give it to new
-- ones: admins at `all`, support agents at `team`; a grant an admin already chose is kept, and
-- grants stay sorted like roles.ts writes them (as 0017 did for the other ticket permissions).
WITH wanted (role_key, permission, scope) AS (
  VALUES ('admin', 'tickets:export', 'all'), ('support_agent', 'tickets:export', 'team')
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
