import type { Channel, ConsumeMessage, LinkLog } from '../amqp/index.js';
import { decodeDueJob, type DueJob, type JobTopology } from './amqp-topology.js';

/** What the consumer asks of the runner: run this job if it is still due and unclaimed. */
export type RunOne = (job: DueJob) => Promise<boolean>;

/** The consumer of one channel. */
export interface JobConsumer {
  /** Stops taking messages and waits for the jobs being run; unacked messages return to the queue when the channel closes. */
  stop(): Promise<void>;
}

export interface JobConsumeOptions {
  topology: JobTopology;
  /** Jobs run at once by this process: the channel's prefetch. */
  concurrency: number;
  runOne: RunOne;
  /** Told when a message is settled, with whether its job ran here. */
  onSettled: (job: DueJob, ran: boolean) => void;
  /** Wait before a message whose claim failed (the database unreachable) goes back to the queue. */
  requeueDelayMs: number;
  log: LinkLog;
}

/**
 * Consumes the due-jobs queue. The ack follows the job's recorded outcome, so a worker killed
 * mid-job leaves its message unacked and the broker hands it to another worker — whose claim
 * waits for the lease to expire (the dispatcher sends the job again then). A claim that fails
 * puts the message back after a pause, so a database outage does not spin.
 */
export async function consumeDueJobs(
  channel: Channel,
  options: JobConsumeOptions,
): Promise<JobConsumer> {
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  await channel.prefetch(options.concurrency);

  const settle = (msg: ConsumeMessage, how: 'ack' | 'requeue') => {
    // The channel may have closed meanwhile: the broker then redelivers, and the claim absorbs it.
    try {
      if (how === 'ack') channel.ack(msg);
      else channel.nack(msg, false, true);
    } catch {
      /* channel gone */
    }
  };

  async function handle(msg: ConsumeMessage): Promise<void> {
    const job = decodeDueJob(msg.content);
    if (!job) {
      options.log.error(
        { messageId: msg.properties.messageId },
        'dropped a job message that names no job',
      );
      return settle(msg, 'ack');
    }
    try {
      const ran = await options.runOne(job);
      settle(msg, 'ack');
      options.onSettled(job, ran);
    } catch (err) {
      options.log.warn(
        { err, jobId: job.id },
        'could not claim a dispatched job; it goes back to the queue',
      );
      await new Promise((r) => setTimeout(r, options.requeueDelayMs));
      settle(msg, 'requeue');
    }
  }

  const { consumerTag } = await channel.consume(options.topology.queue, (msg) => {
    if (!msg) return;
    if (stopping) return settle(msg, 'requeue');
    const p = handle(msg).finally(() => inFlight.delete(p));
    inFlight.add(p);
  });

  return {
    stop: async () => {
      stopping = true;
      await channel.cancel(consumerTag).catch(() => undefined);
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  };
}
