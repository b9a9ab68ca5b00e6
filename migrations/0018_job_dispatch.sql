-- Jobs on RabbitMQ (AMQP_URL): the jobs table stays the durable record of every job, and the
-- dispatcher publishes a message for each job that is due. dispatched_at says when the broker
-- confirmed the message for the job's current turn; a claim clears it, so a retry, a takeover
-- after an expired lease or an admin's retry is dispatched again. A mark older than the
-- re-dispatch window (a message that was lost or purged) is cleared by the dispatcher itself.
ALTER TABLE jobs ADD COLUMN dispatched_at timestamptz;
-- What the dispatcher publishes: due pending jobs that have no message out.
CREATE INDEX jobs_undispatched ON jobs (run_at) WHERE status = 'pending' AND dispatched_at IS NULL;
-- The sweep of stale marks.
CREATE INDEX jobs_dispatched ON jobs (dispatched_at) WHERE dispatched_at IS NOT NULL;
