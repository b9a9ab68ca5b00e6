import type { FastifyReply } from 'fastify';

/**
 * A signal that fires when the client goes away before its answer is sent — a typeahead client
 * aborts the previous keystroke's request when the next one starts — so the service can stop
 * spending database time on an answer nobody will read.
 */
export function abortedByClient(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  const res = reply.raw;
  // 'close' also fires after a normal reply; only an unfinished response means the client left.
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
