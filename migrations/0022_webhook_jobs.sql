-- Webhook deliveries run as durable jobs (platform/jobs): one job per round of attempts at a
-- delivery holds the lease, counts the attempts, backs off with the platform's one policy and
-- lands on the failed-jobs page after the last try. The delivery row keeps what people see — its
-- status, every attempt with the receiver's answer — and `job_id` names the job of its latest
-- round: a job whose id is no longer there (a redelivery or replay started a new round) does
-- nothing, and retrying the dead job of a failed delivery from the failed-jobs page sends it
-- again. NULL while a pending delivery waits for its disabled webhook to be enabled.
ALTER TABLE webhook_deliveries ADD COLUMN job_id uuid;

-- Deliveries waiting at the upgrade get the job the new code would have queued, due when their
-- next attempt was, with the attempts left of their round.
UPDATE webhook_deliveries SET job_id = gen_random_uuid() WHERE status = 'pending';
INSERT INTO jobs (organization_id, id, name, payload, max_attempts, run_at)
SELECT organization_id, job_id, 'automation.webhook-delivery', jsonb_build_object('deliveryId', id),
  greatest(1, least(100, max_attempts - attempts)), next_attempt_at
FROM webhook_deliveries WHERE status = 'pending'
ON CONFLICT DO NOTHING;

-- The delivery worker's own schedule and lease are gone with it (the due index goes with its column).
ALTER TABLE webhook_deliveries
  DROP COLUMN max_attempts,
  DROP COLUMN next_attempt_at,
  DROP COLUMN lease_id,
  DROP COLUMN leased_until;

-- The notice to the admins of a webhook switched off after failures is a job too, queued in the
-- transaction that switches it off (automation/disable-notices.ts), instead of a 5-second sweep.
-- Webhooks still waiting for theirs at the upgrade get it now.
INSERT INTO jobs (organization_id, id, name, payload, key)
SELECT organization_id, gen_random_uuid(), 'automation.webhook-disabled-notice',
  jsonb_build_object('webhookId', id, 'consecutiveFailures', consecutive_failures),
  id::text || '@' || to_char(disabled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
FROM webhooks
WHERE disabled_reason IS NOT NULL AND disabled_notified_at IS NULL AND disabled_at IS NOT NULL
ON CONFLICT DO NOTHING;
DROP INDEX webhooks_unnotified;
