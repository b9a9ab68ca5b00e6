-- The periodic sweeps that did a user's work are job sources now (platform/jobs/sources.ts): each
-- worker looks for due units of work on an interval and enqueues one durable job per unit — a
-- task's reminder, a lead's unassigned reminder, a relative-date workflow start, an organization's
-- daily forecast snapshot — which then has the platform's lease, retries with backoff, dead letter
-- with its reason, the failed-jobs page and takeover after a dead worker.

-- A reminder names the job that sends it, written in the transaction that enqueues it: a due
-- reminder gets one job however many workers look, and one whose job failed for good waits on the
-- failed-jobs page (retry or discard) instead of being queued again. A new reminder time clears
-- it. `reminded_at` / `unassigned_reminded_at` stay: set with the event, they make it exactly-once.
ALTER TABLE activities ADD COLUMN reminder_job_id uuid;
ALTER TABLE leads ADD COLUMN unassigned_reminder_job_id uuid;

-- What the sources read: reminders due and without a job. Reminders due and unsent at the upgrade
-- have no job yet, so the first pass enqueues theirs; nothing else carries over.
DROP INDEX activities_due;
CREATE INDEX activities_due ON activities (remind_at)
  WHERE reminder_job_id IS NULL AND reminded_at IS NULL AND status = 'open' AND deleted_at IS NULL;
DROP INDEX leads_unassigned;
CREATE INDEX leads_unassigned ON leads (unassigned_remind_at)
  WHERE owner_id IS NULL AND unassigned_reminder_job_id IS NULL AND unassigned_reminded_at IS NULL AND deleted_at IS NULL;

-- `workflows.date_swept_at` stays as the relative-date source's cursor: the end of the last window
-- whose jobs were enqueued (a job per workflow, record and date, keyed so overlapping passes
-- enqueue it once). Forecast snapshots need no state: their job is keyed by the day.
