-- Imports of companies as well as contacts. Numbered 0008, not 0006: main already holds 0006 and
-- 0007, and a migration's number is its identity in schema_migrations.
ALTER TABLE imports DROP CONSTRAINT imports_object_type_check;
ALTER TABLE imports ADD CONSTRAINT imports_object_type_check CHECK (object_type IN ('contact', 'company'));
