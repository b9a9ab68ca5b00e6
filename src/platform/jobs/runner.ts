import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../context/index.js';
import { onCommit, type Tx } from '../db/index.js';
import { isDomainError } from '../errors/index.js';
import { DEFAULT_RETRY_BASE_MS, retryDelayMs } from './backoff.js';
import { DEFAULT_MAX_ATTEMPTS, enqueueJob, insertJob, type JobInput } from './enqueue.js';
import { fireDueSchedules } from './schedules.js';
import {
  claimDue,
  completeInTx,
  LEASE_EXPIRED_ERROR,
  purgeSucceededJobs,
  recordAttempt,
  releaseOrphanedJobs,
  renewLease,
  type AttemptResult,
  type ClaimedJob,
  type OneJob,
} from './store.js';

/** What a handler receives. `attempt` is 1-based. */
export interface JobRun {
  id: string;
  organizationId: string;
  name: string;
  payload: Record<string, unknown>;
  attempt: number;
  maxAttempts: number;
  /**
   * Marks the job succeeded in the handler's transaction `tx`, so the effect and the outcome
   * commit together and the runner records nothing afterwards (one transaction fewer per job).
   */
  complete(tx: Tx): Promise<void>;
}

/** A handler: throws to fail the attempt (retried with backoff until maxAttempts, then dead). Must be idempotent (at-least-once). */
export interface JobHandler {
  name: string;
  handle(job: JobRun, deps: Deps): Promise<void>;
  /**
   * Told when a job failed for good without the handler finishing: its worker vanished during
   * the last attempt (LEASE_EXPIRED_ERROR). Lets the owner of the work record the failure.
   */
  abandoned?(job: Omit<JobRun, 'complete'>, error: string, deps: Deps): Promise<void>;
}

/** Thrown by a handler to fail at once without further retries. */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}

/** How attempts ended, counted per job name since the runner was created (for /metrics). */
export type JobOutcome = 'succeeded' | 'retried' | 'failed';

/** Runs due jobs of every organization: polling, woken after commits, and one by one for a queue consumer. */
export interface JobRunner {
  /** Where jobs are dispatched from: polled from the database, or delivered by RabbitMQ. */
  readonly kind: 'database' | 'rabbitmq';
  /** Claims and runs due jobs once; resolves with how many ran (tests call this). */
  runDue(): Promise<number>;
  /** Runs the one job with this id if it is due and unclaimed (the RabbitMQ consumer will call this); resolves with whether it ran. */
  runOne(jobId: string, organizationId: string): Promise<boolean>;
  /** Asks for a prompt poll (called after a commit that enqueued jobs); a no-op until start(). */
  readonly wake: () => void;
  /**
   * Enqueues a job due now that this process runs right after `tx` commits, when it can (it is
   * started, has the handler and a free slot): the row is inserted already leased to it, so no
   * claim is needed. Otherwise an ordinary enqueue. Either way the job is durable with the commit.
   */
  enqueueHere(tx: Tx, job: JobInput): Promise<string>;
  start(): void;
  /** Stops polling and waits for the jobs in flight to finish and be recorded. */
  stop(): Promise<void>;
  /** Attempts finished by this runner, per job name and outcome. */
  outcomes(): ReadonlyArray<{ name: string; outcome: JobOutcome; count: number }>;
}

/** Knobs; production runs with the defaults, tests shorten them. */
export interface JobRunnerOptions {
  /** How often the loop looks for due jobs and schedules when nothing woke it (default 1 s). */
  pollMs?: number;
  /** Jobs run at once by this runner (default 4). */
  concurrency?: number;
  /** How long a claim lasts unless renewed; the runner renews it every third of this while the handler runs (default 30 s). */
  leaseMs?: number;
  /** The base of the retry backoff (default 2 s; see backoff.ts). */
  retryBaseMs?: number;
  /**
   * Whether the loop claims due jobs itself (default true). False when RabbitMQ dispatches them
   * (amqp-queue.ts): the loop then only fires schedules and sweeps, and jobs arrive by runOne.
   */
  claimOnPoll?: boolean;
}

/** The text kept of an error: its code or class and message, bounded and storable (PostgreSQL text cannot hold NUL). */
function describeError(err: unknown): string {
  const text = isDomainError(err)
    ? `${err.code}: ${err.message}`
    : err instanceof PermanentJobError
      ? err.message
      : err instanceof Error
        ? err.name && err.name !== 'Error'
          ? `${err.name}: ${err.message}`
          : err.message
        : String(err);
  return (text || 'the handler failed without a message').replaceAll('\u0000', '').slice(0, 2000);
}

const SWEEP_EVERY_MS = 3_600_000;

export function createJobRunner(
  deps: Deps,
  handlers: readonly JobHandler[],
  options: JobRunnerOptions = {},
): JobRunner {
  const pollMs = options.pollMs ?? 1_000;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const leaseMs = options.leaseMs ?? 30_000;
  const retryBaseMs = options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
  const claimOnPoll = options.claimOnPoll ?? true;
  const byName = new Map<string, JobHandler>();
  for (const h of handlers) {
    if (byName.has(h.name)) throw new Error(`Two job handlers are named ${h.name}`);
    byName.set(h.name, h);
  }
  const database = deps.database.db;
  const active = new Set<Promise<void>>();
  const counts = new Map<string, { name: string; outcome: JobOutcome; count: number }>();
  let stopped = true;
  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<void> | null = null;
  let again = false;
  let starting: Promise<void> | null = null;
  let lastSweep = 0;
  let lastScheduleCheck = 0;

  const count = (name: string, outcome: JobOutcome) => {
    const key = `${name}\u0000${outcome}`;
    const entry = counts.get(key) ?? { name, outcome, count: 0 };
    entry.count++;
    counts.set(key, entry);
  };

  /** Runs the handler with the lease renewed in the background; never throws. `completed`: the handler recorded its success itself. */
  async function attempt(job: ClaimedJob): Promise<AttemptResult & { completed?: boolean }> {
    const handler = byName.get(job.name);
    const fail = (error: string, final: boolean): AttemptResult => {
      const retryAt = new Date(
        deps.clock.now().getTime() + retryDelayMs(job.attempts, retryBaseMs),
      );
      return { ok: false, error, final: final || job.attempts >= job.max_attempts, retryAt };
    };
    // A job from a newer release, or of a module since removed: retrying here cannot help.
    if (!handler)
      return fail(
        `No handler is registered for jobs named "${job.name}" in this version of Cerebro`,
        true,
      );
    const renew = setInterval(
      () => {
        renewLease(database, job, new Date(deps.clock.now().getTime() + leaseMs)).catch(
          (err: unknown) => deps.log.warn({ err, jobId: job.id }, 'could not renew a job lease'),
        );
      },
      Math.max(10, Math.floor(leaseMs / 3)),
    );
    renew.unref();
    let completed = false;
    const complete = async (tx: Tx) => {
      await completeInTx(tx, job, deps.clock.now());
      onCommit(tx, () => (completed = true));
    };
    try {
      await handler.handle(
        {
          id: job.id,
          organizationId: job.organization_id,
          name: job.name,
          payload: job.payload,
          attempt: job.attempts,
          maxAttempts: job.max_attempts,
          complete,
        },
        deps,
      );
      return { ok: true, completed };
    } catch (err) {
      deps.log.warn(
        { err, jobId: job.id, job: job.name, attempt: job.attempts },
        'job attempt failed',
      );
      return fail(describeError(err), err instanceof PermanentJobError);
    } finally {
      clearInterval(renew);
    }
  }

  async function process(job: ClaimedJob): Promise<void> {
    const result = await attempt(job);
    if (result.ok && result.completed) return void count(job.name, 'succeeded');
    try {
      const recorded = await recordAttempt(database, job, result, deps.clock.now());
      if (!recorded) {
        deps.log.warn(
          { jobId: job.id, job: job.name },
          'job outcome dropped: another runner took the job over after its lease expired',
        );
        return;
      }
      count(job.name, result.ok ? 'succeeded' : result.final ? 'failed' : 'retried');
      if (!result.ok && result.final)
        deps.log.error(
          { jobId: job.id, job: job.name, attempts: job.attempts, error: result.error },
          'job failed for good (dead-letter list)',
        );
    } catch (err) {
      // The lease runs out and the job is claimed again: at-least-once.
      deps.log.error(
        { err, jobId: job.id },
        'could not record a job outcome; it runs again after its lease',
      );
    }
  }

  /** Runs a job this runner holds the lease of; its completion frees a slot and wakes the loop. */
  function run(job: ClaimedJob): Promise<void> {
    const p: Promise<void> = process(job).finally(() => {
      active.delete(p);
      if (claimOnPoll) wake();
    });
    active.add(p);
    return p;
  }

  /** Tells the handlers of jobs failed because their worker vanished during the last attempt. */
  async function settleAbandoned(abandoned: readonly ClaimedJob[]): Promise<void> {
    for (const job of abandoned) {
      count(job.name, 'failed');
      deps.log.error(
        { jobId: job.id, job: job.name, attempts: job.attempts },
        'job failed for good: its worker stopped during the last attempt',
      );
      const run = {
        id: job.id,
        organizationId: job.organization_id,
        name: job.name,
        payload: job.payload,
        attempt: job.attempts,
        maxAttempts: job.max_attempts,
      };
      await byName
        .get(job.name)
        ?.abandoned?.(run, LEASE_EXPIRED_ERROR, deps)
        .catch((err: unknown) =>
          deps.log.error({ err, jobId: job.id }, 'the handler could not record an abandoned job'),
        );
    }
  }

  /** Starts each claimed job and answers their completions. */
  async function claimAndStart(limit: number, only?: OneJob): Promise<Array<Promise<void>>> {
    const { claimed, abandoned } = await claimDue(database, deps.clock.now(), leaseMs, limit, only);
    await settleAbandoned(abandoned);
    return claimed.map(run);
  }

  const handedOver = new WeakSet<Tx>();

  async function enqueueHere(tx: Tx, input: JobInput): Promise<string> {
    const now = deps.clock.now();
    // One over the concurrency: the handler enqueueing its successor is about to free its slot.
    // Not while starting: the embedded start releases every running job, this one's too, and a
    // second claim would run it twice and use up an attempt.
    // One hand-over per transaction: a leased job counts an attempt, so a transaction that starts
    // many runs at once (a consumer's batch) would otherwise lease more than the runner can start,
    // and a crash before they ran would spend an attempt of each.
    const canRun =
      !stopped &&
      !starting &&
      !handedOver.has(tx) &&
      byName.has(input.name) &&
      (input.runAt ?? now) <= now &&
      active.size <= concurrency;
    if (!canRun) {
      onCommit(tx, wake);
      return enqueueJob(tx, input);
    }
    const lease = {
      leaseId: uuidv7(),
      leasedUntil: new Date(now.getTime() + leaseMs),
      startedAt: now,
    };
    handedOver.add(tx);
    const { id, leased } = await insertJob(tx, input, lease);
    if (!leased) {
      onCommit(tx, wake);
      return id;
    }
    const job: ClaimedJob = {
      organization_id: input.organizationId,
      id,
      name: input.name,
      payload: input.payload,
      attempts: 1,
      max_attempts: input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      lease_id: lease.leaseId,
    };
    onCommit(tx, () => void run(job));
    return id;
  }

  async function fireSchedules(): Promise<void> {
    await fireDueSchedules(database, deps.clock.now(), 100, (key, err) =>
      deps.log.error({ err, schedule: key }, 'a job schedule has an unusable pattern; disabled'),
    );
  }

  async function runDue(): Promise<number> {
    await fireSchedules();
    const started = await claimAndStart(concurrency - active.size);
    await Promise.all(started);
    return started.length;
  }

  async function runOne(jobId: string, organizationId: string): Promise<boolean> {
    const [started] = await claimAndStart(1, { organizationId, id: jobId });
    if (!started) return false;
    await started;
    return true;
  }

  /** One pass of the loop: sweeps now and then, fires schedules, fills free slots without waiting for them. */
  async function tick(): Promise<void> {
    const now = deps.clock.now().getTime();
    if (now - lastSweep >= SWEEP_EVERY_MS) {
      lastSweep = now;
      await purgeSucceededJobs(database, deps.clock.now());
    }
    // Passes woken by finished jobs come often under load; schedules need looking at once a poll.
    if (now - lastScheduleCheck >= pollMs) {
      lastScheduleCheck = now;
      await fireSchedules();
    }
    // Not awaited: the jobs run on, and each completion wakes the loop (process() never rejects).
    if (claimOnPoll) void Promise.all(await claimAndStart(concurrency - active.size));
  }

  function schedule(ms: number): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      // A wake during a pass runs another pass right after it: the wake may be for a job the pass missed.
      if (ticking) {
        again = true;
        return;
      }
      ticking = tick()
        .catch((err: unknown) => deps.log.error({ err }, 'job runner pass failed; trying again'))
        .finally(() => {
          ticking = null;
          const next = again ? 0 : pollMs;
          again = false;
          schedule(next);
        });
    }, ms);
    timer.unref();
  }

  function wake(): void {
    if (!starting) schedule(0);
  }

  return {
    kind: 'database',
    runDue,
    runOne,
    wake,
    enqueueHere,
    start() {
      if (!stopped) return;
      stopped = false;
      const release =
        deps.database.kind === 'embedded'
          ? releaseOrphanedJobs(database, deps.clock.now())
          : Promise.resolve(0);
      starting = release
        .then((n) => {
          if (n > 0)
            deps.log.info({ jobs: n }, 'released jobs left running by the previous process');
        })
        .catch((err: unknown) => deps.log.error({ err }, 'could not release jobs left running'))
        .finally(() => {
          starting = null;
          schedule(0);
        });
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await starting;
      await ticking;
      while (active.size > 0) await Promise.all(active);
    },
    outcomes: () => [...counts.values()].map((c) => ({ ...c })),
  };
}
