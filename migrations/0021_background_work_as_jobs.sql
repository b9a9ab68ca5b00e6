-- Imports and bulk operations run as durable jobs (platform/jobs): the job holds the lease and
-- counts the attempts, the import and bulk-operation rows keep only the progress people see, and
-- `error` says why one that failed for good stopped (the job's last error).
ALTER TABLE imports ADD COLUMN error text;
ALTER TABLE bulk_operations ADD COLUMN error text;
ALTER TABLE imports DROP COLUMN lease_until;
-- The periodic sweeps that looked for open work are gone.
DROP INDEX imports_open;
DROP INDEX bulk_operations_open;

-- Work in flight at the upgrade gets the job the new code would have enqueued: an import resumes
-- after the rows it had committed, a bulk operation at its next batch.
INSERT INTO jobs (organization_id, id, name, payload, key)
SELECT organization_id, gen_random_uuid(), 'records.import', jsonb_build_object('importId', id), id::text
FROM imports WHERE status IN ('queued', 'running')
ON CONFLICT DO NOTHING;
INSERT INTO jobs (organization_id, id, name, payload, key)
SELECT organization_id, gen_random_uuid(), 'records.bulk', jsonb_build_object('operationId', id, 'processed', processed), id::text || ':' || processed
FROM bulk_operations WHERE status IN ('queued', 'running')
ON CONFLICT DO NOTHING;
