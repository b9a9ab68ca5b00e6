-- Lead assignment rules run in position order; equal positions used to fall back to creation
-- order silently. Positions are now unique per organization (the API answers 409 on a taken one).
-- Rules that shared a position keep their running order: each organization with a tie is
-- renumbered 0, 1, 2, … in the order the rules ran until now.
UPDATE lead_assignment_rules r
SET position = n.rank - 1
FROM (
  SELECT organization_id, id, row_number() OVER (PARTITION BY organization_id ORDER BY position, created_at, id) AS rank
  FROM lead_assignment_rules
  WHERE organization_id IN (
    SELECT organization_id FROM lead_assignment_rules GROUP BY organization_id, position HAVING count(*) > 1
  )
) n
WHERE r.organization_id = n.organization_id AND r.id = n.id;

DROP INDEX lead_assignment_rules_order;
CREATE UNIQUE INDEX lead_assignment_rules_position ON lead_assignment_rules (organization_id, position);
