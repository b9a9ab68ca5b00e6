import { Cron } from 'croner';
import { sql, type Kysely } from 'kysely';
import { withSystem, type PlatformTables, type Tx } from '../db/index.js';
import { errors, type ErrorDetail } from '../errors/index.js';
import { enqueueJob } from './enqueue.js';
import type { JobTables } from './tables.js';

const db = (tx: Tx) => tx.withTables<JobTables>();

/** Cron schedules: a row per key; the runner's scheduler enqueues `job` at each fire time (idempotent: job key = `${key}@${fireTimeISO}`). */
export interface ScheduleInput {
  organizationId: string;
  /** The owner's name for the schedule, unique per organization (e.g. `workflow:<id>`). */
  key: string;
  /** Five fields (minute hour day month weekday) or six (seconds first); names like MON and JAN work. */
  cron: string;
  /** An IANA time zone the pattern is read in, e.g. Europe/Berlin (DST-aware). */
  timezone: string;
  job: { name: string; payload: Record<string, unknown> };
}

/** Seconds are allowed (six fields), years are not: a year field is a way to write "never again". */
const CRON_MODE = '5-or-6-parts';

/** The IANA name as the platform spells it (`utc` → `UTC`), or null when it is not a time zone. */
function canonicalTimeZone(timezone: string): string | null {
  if (!timezone.trim()) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The first fire time strictly after `after`, or null when the pattern never fires again. Throws on a bad pattern or zone. */
export function nextFireTime(cron: string, timezone: string, after: Date): Date | null {
  return new Cron(cron, { timezone, paused: true, mode: CRON_MODE }).nextRun(after);
}

/** What is wrong with a cron pattern and time zone, field by field (empty when both are usable). */
export function scheduleProblems(cron: string, timezone: string, now: Date): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const zone = canonicalTimeZone(timezone);
  if (!zone)
    problems.push({
      path: 'timezone',
      message: 'must be an IANA time zone such as Europe/Berlin or UTC',
    });
  try {
    if (nextFireTime(cron, zone ?? 'UTC', now) === null)
      problems.push({ path: 'cron', message: 'never fires' });
  } catch (e) {
    const reason =
      e instanceof Error ? e.message.replace(/^CronPattern: /, '') : 'is not a cron pattern';
    problems.push({
      path: 'cron',
      message: `is not a valid cron pattern (five or six fields): ${reason}`,
    });
  }
  return problems;
}

/**
 * Creates or replaces the schedule with this key. The next fire time is computed from `now`,
 * except when neither the pattern nor the zone changed: then a fire that is due stays due.
 * Throws VALIDATION_FAILED naming `cron` or `timezone`.
 */
export async function upsertSchedule(tx: Tx, s: ScheduleInput, now: Date): Promise<void> {
  const problems = scheduleProblems(s.cron, s.timezone, now);
  if (!s.key.trim()) problems.push({ path: 'key', message: 'is required' });
  if (!s.job.name.trim()) problems.push({ path: 'job.name', message: 'is required' });
  if (problems.length) throw errors.validation(problems);
  const timezone = canonicalTimeZone(s.timezone) ?? s.timezone;
  const next = nextFireTime(s.cron, timezone, now);
  await db(tx)
    .insertInto('job_schedules')
    .values({
      organization_id: s.organizationId,
      key: s.key,
      cron: s.cron,
      timezone,
      job_name: s.job.name,
      payload: JSON.stringify(s.job.payload),
      next_run_at: next,
      enabled: true,
    })
    .onConflict((oc) =>
      oc.columns(['organization_id', 'key']).doUpdateSet({
        job_name: (eb) => eb.ref('excluded.job_name'),
        payload: (eb) => eb.ref('excluded.payload'),
        next_run_at: sql`case when job_schedules.cron = excluded.cron and job_schedules.timezone = excluded.timezone and job_schedules.enabled
          then job_schedules.next_run_at else excluded.next_run_at end`,
        cron: (eb) => eb.ref('excluded.cron'),
        timezone: (eb) => eb.ref('excluded.timezone'),
        enabled: true,
        updated_at: now,
      }),
    )
    .execute();
}

/** Deletes the schedule with this key (nothing happens when there is none); jobs it fired stay. */
export async function removeSchedule(tx: Tx, organizationId: string, key: string): Promise<void> {
  await db(tx)
    .deleteFrom('job_schedules')
    .where('organization_id', '=', organizationId)
    .where('key', '=', key)
    .execute();
}

interface DueSchedule {
  organization_id: string;
  key: string;
  cron: string;
  timezone: string;
  job_name: string;
  payload: Record<string, unknown>;
  next_run_at: Date;
}

/**
 * Enqueues the job of every due schedule across organizations and advances it, in one
 * transaction per batch. SKIP LOCKED lets concurrent runners take disjoint schedules, and the job
 * key `${key}@${fireTime}` makes a fire that two runners both saw enqueue one job. After downtime
 * a schedule fires once, for its first missed time, and then moves to the next time after `now`.
 * Answers how many schedules fired.
 */
export async function fireDueSchedules(
  database: Kysely<PlatformTables>,
  now: Date,
  limit = 100,
  onBroken?: (key: string, err: unknown) => void,
): Promise<number> {
  return withSystem(database, async (tx) => {
    const due = await sql<DueSchedule>`
      select organization_id, key, cron, timezone, job_name, payload, next_run_at
      from job_schedules
      where enabled and next_run_at <= ${now}
      order by next_run_at
      limit ${limit}
      for update skip locked`.execute(tx);
    for (const s of due.rows) {
      await enqueueJob(tx, {
        organizationId: s.organization_id,
        name: s.job_name,
        payload: s.payload,
        key: `${s.key}@${s.next_run_at.toISOString()}`,
        runAt: s.next_run_at,
      });
      let next: Date | null = null;
      try {
        next = nextFireTime(s.cron, s.timezone, now);
      } catch (err) {
        // Validated on upsert, so only a row written around the service gets here: stop it, loudly.
        onBroken?.(s.key, err);
      }
      await db(tx)
        .updateTable('job_schedules')
        .set({ next_run_at: next, enabled: next !== null, updated_at: now })
        .where('organization_id', '=', s.organization_id)
        .where('key', '=', s.key)
        .execute();
    }
    return due.rows.length;
  });
}
