import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import { createAmqpLink, type AmqpLink, type ConfirmChannel, type LinkLog } from '../amqp/index.js';
import { onCommit, type PlatformTables } from '../db/index.js';
import { createPollLoop } from '../schedule/index.js';
import { consumeDueJobs, type JobConsumer } from './amqp-consume.js';
import { declareJobTopology, jobTopology, type DueJob, type JobTopology } from './amqp-topology.js';
import { dispatchDueJobs } from './dispatch.js';
import type { JobRunner } from './runner.js';
import { fireDueSchedules } from './schedules.js';

/** Settings of jobs on RabbitMQ; all but `url` default to production values. */
export interface AmqpJobQueueOptions {
  url: string;
  /** First word of the exchange and queue names (`cerebro`); tests use a unique one. */
  prefix?: string;
  /** Whether this process runs jobs (a worker) or only enqueues them (`cerebro api`). */
  consume: boolean;
  /** Jobs run at once by this process (4): the consumer's prefetch. */
  concurrency?: number;
  /** How often the dispatcher looks for due jobs when nothing woke it (500 ms). */
  pollMs?: number;
  /** Most jobs published per pass (200). */
  batchSize?: number;
  confirmTimeoutMs?: number;
  /** After this long without being claimed, a dispatched job's message is taken for lost and sent again (5 min). */
  redispatchMs?: number;
  /** How long `runDue()` waits for the broker and for this process's consumer (15 s). */
  drainTimeoutMs?: number;
  /** Pause before a message whose claim failed goes back to the queue (1 s). */
  requeueDelayMs?: number;
  reconnect?: { baseMs?: number; maxMs?: number };
  now: () => Date;
  log: LinkLog;
  name?: string;
}

/** Told of the jobs a pass is about to publish. */
type BeforePublish = (jobs: readonly DueJob[]) => void;

interface Session {
  publisher: ConfirmChannel;
  consumer: JobConsumer | null;
}

/**
 * Jobs dispatched through RabbitMQ. The jobs table stays the durable record — enqueued in the
 * caller's transaction, with attempts, backoff, leases and the dead-letter status exactly as
 * embedded — and RabbitMQ carries the work: a dispatcher (dispatch.ts) publishes each job when
 * it becomes due, and every worker consumes the one queue with a prefetch of its concurrency, so
 * the broker balances jobs over workers and a worker is told of a job at once instead of polling.
 * While the broker is unreachable nothing is dispatched and jobs wait in the table.
 *
 * `runner` executes the jobs: its loop fires schedules and sweeps but claims nothing by itself
 * (created with `claimOnPoll: false`); a message makes it claim one job (`runOne`).
 */
export function createAmqpJobQueue(
  db: Kysely<PlatformTables>,
  runner: JobRunner,
  options: AmqpJobQueueOptions,
): JobRunner {
  const pollMs = options.pollMs ?? 500;
  const batchSize = options.batchSize ?? 200;
  const confirmTimeoutMs = options.confirmTimeoutMs ?? 10_000;
  const redispatchMs = options.redispatchMs ?? 300_000;
  const drainTimeoutMs = options.drainTimeoutMs ?? 15_000;
  const topology: JobTopology = jobTopology(options.prefix);
  const log = options.log;
  let link: AmqpLink<Session> | null = null;
  // runDue() waits for the jobs it dispatched: id → told whether the job ran here.
  const awaited = new Map<string, (ran: boolean) => void>();

  const onSettled = (job: DueJob, ran: boolean) => {
    const done = awaited.get(job.id);
    awaited.delete(job.id);
    done?.(ran);
  };

  const openLink = (): AmqpLink<Session> =>
    (link ??= createAmqpLink<Session>({
      url: options.url,
      name: options.name ?? `cerebro-jobs-${hostname()}-${process.pid}`,
      log,
      backoff: options.reconnect,
      setup: async ({ connection, watch }) => {
        const publisher = watch(await connection.createConfirmChannel());
        await declareJobTopology(publisher, topology);
        const consumer = options.consume
          ? await consumeDueJobs(watch(await connection.createChannel()), {
              topology,
              concurrency: options.concurrency ?? 4,
              runOne: (job) => runner.runOne(job.id, job.organizationId),
              onSettled,
              requeueDelayMs: options.requeueDelayMs ?? 1_000,
              log,
            })
          : null;
        // Jobs that fell due while disconnected go out now, not at the next poll.
        loop.wake();
        return { publisher, consumer };
      },
      onLost: (session) => void session.consumer?.stop(),
    }));

  /** One dispatch pass on the live connection; nothing while disconnected. */
  async function dispatchOnce(beforePublish?: BeforePublish): Promise<DueJob[]> {
    const session = link?.current();
    if (!session) return [];
    const result = await dispatchDueJobs(db, session.publisher, topology, {
      now: options.now(),
      batchSize,
      confirmTimeoutMs,
      redispatchMs,
      beforePublish,
    });
    for (const job of result.unconfirmed) onSettled(job, false);
    if (result.more) loop.wake();
    return result.dispatched;
  }

  const loop = createPollLoop<BeforePublish | undefined, DueJob[]>(dispatchOnce, {
    pollMs,
    idle: undefined,
    onError: (err) => log.warn({ err }, 'job dispatch pass failed; retrying at the next poll'),
  });

  /**
   * Dispatches what is due now and waits for this process's consumer to run it (tests and the
   * embedded CLI call this as they call the database runner's runDue). A process that does not
   * consume runs the due jobs itself.
   */
  async function runDue(): Promise<number> {
    if (!options.consume) return runner.runDue();
    await openLink().ready(drainTimeoutMs);
    await fireDueSchedules(db, options.now(), 100, (key, err) =>
      log.error({ err, schedule: key }, 'a job schedule has an unusable pattern; disabled'),
    );
    const outcomes: Array<Promise<boolean>> = [];
    const ids: string[] = [];
    // Registered before the publish: a fast consumer may settle a job before its confirm arrives.
    await loop.run((jobs) => {
      for (const job of jobs) {
        ids.push(job.id);
        outcomes.push(new Promise<boolean>((resolve) => awaited.set(job.id, resolve)));
      }
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>(
      (resolve) => (timer = setTimeout(() => resolve('timeout'), drainTimeoutMs)),
    );
    const ran = await Promise.race([Promise.all(outcomes), timeout]);
    clearTimeout(timer);
    if (ran === 'timeout') {
      for (const id of ids) awaited.delete(id);
      log.warn(
        { jobs: outcomes.length },
        'runDue: dispatched jobs not run by this process in time (another worker may have taken them)',
      );
      return 0;
    }
    return ran.filter(Boolean).length;
  }

  return {
    kind: 'rabbitmq',
    runDue,
    runOne: (jobId, organizationId) => runner.runOne(jobId, organizationId),
    wake: () => loop.wake(),
    // When this process cannot take the job it is an ordinary pending job: the dispatcher sends it.
    enqueueHere: (tx, job) => {
      onCommit(tx, loop.wake);
      return runner.enqueueHere(tx, job);
    },
    start: () => {
      runner.start();
      openLink();
      loop.start();
    },
    stop: async () => {
      await loop.stop();
      const current = link;
      link = null;
      await current?.current()?.consumer?.stop();
      await current?.close();
      for (const done of awaited.values()) done(false);
      awaited.clear();
      await runner.stop();
    },
    outcomes: () => runner.outcomes(),
  };
}
