-- Notes, a built-in object kept by the object kernel (src/modules/notes): its records live in
-- object_records under the fixed object id the module declares, so all it needs here are the
-- indexes of its related lists (a contact's, company's or deal's notes), spelled exactly as
-- objects/field-indexes.ts builds them for an admin's fields so the list query uses them.
CREATE INDEX IF NOT EXISTS "or_9b3fde19720a_contact_f" ON object_records (organization_id, (("data" ->> 'contact'))) WHERE object_id = '457dc2c5-9ca4-5ba7-9fac-9b3fde19720a' AND deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS "or_9b3fde19720a_company_f" ON object_records (organization_id, (("data" ->> 'company'))) WHERE object_id = '457dc2c5-9ca4-5ba7-9fac-9b3fde19720a' AND deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS "or_9b3fde19720a_deal_f" ON object_records (organization_id, (("data" ->> 'deal'))) WHERE object_id = '457dc2c5-9ca4-5ba7-9fac-9b3fde19720a' AND deleted_at IS NULL;
