-- Leads can be imported from CSV/XLSX too (the sales module registers how).
ALTER TABLE imports DROP CONSTRAINT imports_object_type_check;
ALTER TABLE imports ADD CONSTRAINT imports_object_type_check CHECK (object_type IN ('contact', 'company', 'lead'));
