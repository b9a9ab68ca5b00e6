-- An admin marks a custom field as personal data, so an object defined as data gets GDPR export
-- and erasure of exactly those fields (built-in objects declare theirs in code).
ALTER TABLE custom_fields ADD COLUMN personal boolean NOT NULL DEFAULT false;
