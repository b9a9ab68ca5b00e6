-- Activities link to records through one polymorphic table instead of one column per record type
-- (contact_id, company_id, deal_id, lead_id, ticket_id): a new object type — built in or custom —
-- needs no new column, and attachments, comments and emails can link the same way later.
--
-- object_type is the record type's key ('contact', 'deal', …, later a custom object's key), so it
-- is checked for its form only, not against a closed list. record_id has no foreign key: it may
-- name a row of any table; the application checks references when a link is written and the
-- trash purge removes the links of the records it deletes.
CREATE TABLE activity_links (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  activity_id uuid NOT NULL,
  object_type text NOT NULL CHECK (object_type ~ '^[a-z][a-z0-9_]{0,62}$'),
  record_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, activity_id, object_type, record_id),
  FOREIGN KEY (organization_id, activity_id) REFERENCES activities (organization_id, id) ON DELETE CASCADE
);
-- "The activities of a record": timelines, record pages' activity lists, filter[dealId], moves on
-- conversion and merge. The primary key answers "the links of an activity".
CREATE INDEX activity_links_record ON activity_links (organization_id, object_type, record_id, activity_id);
SELECT cerebro_tenant_rls('activity_links');

INSERT INTO activity_links (organization_id, activity_id, object_type, record_id, created_at)
SELECT a.organization_id, a.id, l.object_type, l.record_id, a.created_at
FROM activities a
CROSS JOIN LATERAL (
  VALUES ('contact', a.contact_id), ('company', a.company_id), ('deal', a.deal_id), ('lead', a.lead_id), ('ticket', a.ticket_id)
) AS l (object_type, record_id)
WHERE l.record_id IS NOT NULL;

-- Merges that can still be undone remember the activities they moved under the old column names;
-- undo now moves links, so the keys are renamed ("activities.contact_id" → "activity_links.contact").
UPDATE merges m
SET moved = (
  SELECT coalesce(jsonb_object_agg(s.key, (
    SELECT coalesce(jsonb_object_agg(
      CASE r.key
        WHEN 'activities.contact_id' THEN 'activity_links.contact'
        WHEN 'activities.company_id' THEN 'activity_links.company'
        ELSE r.key
      END, r.value), '{}'::jsonb)
    FROM jsonb_each(s.value) AS r)), '{}'::jsonb)
  FROM jsonb_each(m.moved) AS s)
WHERE m.moved::text LIKE '%"activities.%';

-- Their indexes and foreign keys go with them.
ALTER TABLE activities
  DROP COLUMN contact_id,
  DROP COLUMN company_id,
  DROP COLUMN deal_id,
  DROP COLUMN lead_id,
  DROP COLUMN ticket_id;
