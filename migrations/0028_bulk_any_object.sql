-- Bulk actions apply to every declared object with a lifecycle (leads, deals, tickets, custom
-- objects, notes…), named by its key; which keys exist is the object registry's to say, not a
-- constraint's (custom object keys are data).
ALTER TABLE bulk_operations DROP CONSTRAINT bulk_operations_object_type_check;
