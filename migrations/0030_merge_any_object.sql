-- Merging duplicates covers every object that opts in (its declaration's `merge` capability):
-- a merge names its object by key, and the records of leads, deals and custom objects can be
-- marked merged into a survivor like contacts' and companies' (reads answer RECORD_MERGED).
ALTER TABLE merges DROP CONSTRAINT IF EXISTS merges_object_type_check;
ALTER TABLE leads ADD COLUMN merged_into uuid;
ALTER TABLE deals ADD COLUMN merged_into uuid;
ALTER TABLE object_records ADD COLUMN merged_into uuid;
