-- An admin marks a custom object's record name as personal data (a person's name, say), so GDPR
-- export covers it and erasure replaces it with a neutral placeholder (the name is required).
ALTER TABLE custom_objects ADD COLUMN personal_name boolean NOT NULL DEFAULT false;
