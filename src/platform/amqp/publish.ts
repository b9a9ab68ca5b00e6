import type { ConfirmChannel, Options } from 'amqplib';

/** One message to publish on a confirm channel. */
export interface OutgoingMessage {
  exchange: string;
  routingKey: string;
  body: Buffer;
  properties: Options.Publish;
}

/** Resolves when the channel may take more writes, or has closed. */
function writable(channel: ConfirmChannel): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      channel.removeListener('drain', done);
      channel.removeListener('close', done);
      resolve();
    };
    channel.once('drain', done);
    channel.once('close', done);
  });
}

/**
 * Publishes in order on one channel (the broker keeps a channel's order into each queue) and
 * answers, per message, whether the broker confirmed it within `timeoutMs`. A nack, a closed
 * channel or the timeout leaves a message unconfirmed: callers keep their durable copy (the
 * outbox row, the job row) and publish it again later.
 */
export async function publishConfirmed(
  channel: ConfirmChannel,
  messages: readonly OutgoingMessage[],
  timeoutMs: number,
): Promise<boolean[]> {
  const acked: boolean[] = messages.map(() => false);
  const confirms: Promise<void>[] = [];
  for (const [i, m] of messages.entries()) {
    let full = false;
    let failed = false;
    confirms.push(
      new Promise<void>((resolve) => {
        try {
          full = !channel.publish(
            m.exchange,
            m.routingKey,
            m.body,
            m.properties,
            (err: unknown) => {
              acked[i] = err === null || err === undefined;
              resolve();
            },
          );
        } catch {
          failed = true;
          resolve();
        }
      }),
    );
    // The channel closed under us: the rest is not published now.
    if (failed) break;
    if (full) await writable(channel);
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(confirms),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
  ]);
  clearTimeout(timer);
  return acked;
}
