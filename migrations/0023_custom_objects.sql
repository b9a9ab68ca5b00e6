-- Custom objects as data: an admin's record types (projects, properties, shipments…) live beside the
-- built-in ones. Their fields are custom field definitions whose object_type is the object's key,
-- so the closed lists of object types on custom_fields and imports give way to a check of form;
-- the application checks a key against the registry and the organization's objects.
ALTER TABLE custom_fields DROP CONSTRAINT IF EXISTS custom_fields_object_type_check;
ALTER TABLE custom_fields ADD CONSTRAINT custom_fields_object_type_form CHECK (object_type ~ '^[a-z][a-z0-9_]{0,39}$');
-- Archived fields keep their values but leave forms, lists and validation until unarchived.
ALTER TABLE custom_fields ADD COLUMN archived_at timestamptz;
ALTER TABLE imports DROP CONSTRAINT IF EXISTS imports_object_type_check;
ALTER TABLE imports ADD CONSTRAINT imports_object_type_form CHECK (object_type ~ '^[a-z][a-z0-9_]{0,39}$');

CREATE TABLE custom_objects (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{1,39}$'),
  -- The REST collection: /api/v1/{resource}.
  resource text NOT NULL CHECK (resource ~ '^[a-z][a-z0-9-]{1,62}$'),
  singular text NOT NULL CHECK (length(singular) BETWEEN 1 AND 60),
  plural text NOT NULL CHECK (length(plural) BETWEEN 1 AND 60),
  icon text CHECK (length(icon) <= 40),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id),
  UNIQUE (organization_id, key),
  UNIQUE (organization_id, resource)
);
SELECT cerebro_tenant_rls('custom_objects');

-- Every custom object's records in one table. The admin's fields are keys of `data`, typed by their
-- definitions; each filterable field gets a typed expression index partial to its object when it is
-- defined (objects/field-indexes.ts), so a list of a million records filters and sorts on an index
-- instead of crawling rows. `search_text` is the lower-cased text of the record for q=.
CREATE TABLE object_records (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  id uuid NOT NULL,
  object_id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
  owner_id uuid,
  data jsonb NOT NULL DEFAULT '{}',
  search_text text NOT NULL DEFAULT '',
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  PRIMARY KEY (organization_id, id),
  FOREIGN KEY (organization_id, object_id) REFERENCES custom_objects (organization_id, id),
  FOREIGN KEY (organization_id, owner_id) REFERENCES users (organization_id, id)
);
CREATE INDEX object_records_created ON object_records (organization_id, object_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX object_records_name ON object_records (organization_id, object_id, lower(name), id) WHERE deleted_at IS NULL;
CREATE INDEX object_records_owner ON object_records (organization_id, object_id, owner_id) WHERE deleted_at IS NULL;
CREATE INDEX object_records_data ON object_records USING gin (data jsonb_path_ops);
CREATE INDEX object_records_search ON object_records USING gin (search_text gin_trgm_ops);
CREATE INDEX object_records_trash ON object_records (deleted_at) WHERE deleted_at IS NOT NULL;
SELECT cerebro_tenant_rls('object_records');

-- Records of custom objects are guarded like contacts for every existing role: a role that works
-- contacts at some scope works custom records at that scope (the templates in records/permissions.ts
-- give new organizations the same). Grants stay sorted like roles.ts writes them.
UPDATE roles r
SET permissions = (
      SELECT jsonb_agg(g ORDER BY g->>'permission' COLLATE "C")
      FROM (
        SELECT g FROM jsonb_array_elements(r.permissions) AS g
        WHERE g->>'permission' NOT LIKE 'custom-records:%'
        UNION ALL
        SELECT jsonb_build_object('permission', 'custom-records:' || split_part(g->>'permission', ':', 2), 'scope', g->'scope')
        FROM jsonb_array_elements(r.permissions) AS g
        WHERE g->>'permission' IN ('contacts:read', 'contacts:create', 'contacts:update', 'contacts:delete', 'contacts:export')
      ) AS grants),
    updated_at = now()
WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(r.permissions) AS g WHERE g->>'permission' LIKE 'contacts:%');
