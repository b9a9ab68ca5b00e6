import { connect } from 'amqplib';
import { z } from 'zod';
import type { Channel, OutgoingMessage } from '../amqp/index.js';

/**
 * The RabbitMQ names jobs travel by: one direct exchange and one durable queue that every worker
 * consumes with a prefetch of its concurrency, so the broker spreads due jobs over the workers.
 * A message only says which job is due; the job row holds its payload and state.
 */
export interface JobTopology {
  prefix: string;
  exchange: string;
  queue: string;
}

/** The names under one prefix (`cerebro` in production; a unique one per test). */
export function jobTopology(prefix = 'cerebro'): JobTopology {
  return { prefix, exchange: `${prefix}.jobs`, queue: `${prefix}.jobs.due` };
}

const ROUTING_KEY = 'due';

/** Declares the exchange and the queue, idempotently (on every connect). */
export async function declareJobTopology(channel: Channel, topology: JobTopology): Promise<void> {
  await channel.assertExchange(topology.exchange, 'direct', { durable: true });
  await channel.assertQueue(topology.queue, { durable: true });
  await channel.bindQueue(topology.queue, topology.exchange, ROUTING_KEY);
}

/** Deletes the queue and exchange (tests clean up after themselves). */
export async function deleteJobTopology(url: string, topology: JobTopology): Promise<void> {
  const connection = await connect(url);
  try {
    const channel = await connection.createChannel();
    await channel.deleteQueue(topology.queue);
    await channel.deleteExchange(topology.exchange);
    await channel.close();
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/** Which job a message is about. */
export interface DueJob {
  organizationId: string;
  id: string;
}

const BODY = z.object({ organizationId: z.uuid(), id: z.uuid() });

/** The message for a due job: persistent, with the job id as message id. */
export function dueJobMessage(topology: JobTopology, job: DueJob): OutgoingMessage {
  return {
    exchange: topology.exchange,
    routingKey: ROUTING_KEY,
    body: Buffer.from(JSON.stringify({ organizationId: job.organizationId, id: job.id })),
    properties: { persistent: true, messageId: job.id, contentType: 'application/json' },
  };
}

/** The job a message names, or null for a body that is not one. */
export function decodeDueJob(body: Buffer): DueJob | null {
  try {
    const parsed = BODY.safeParse(JSON.parse(body.toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
