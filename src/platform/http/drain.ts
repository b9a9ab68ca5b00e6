import type { IncomingMessage } from 'node:http';

/** A client that stops sending for this long is not waited for. */
const IDLE_MS = 10_000;

/**
 * Reads and discards what is left of a request body the server refused (413, 415) before it
 * answers: closing a socket while the client is still sending makes the kernel reset the
 * connection, and a client that writes its whole body before reading (Node's `http`, most SDKs)
 * then sees EPIPE instead of the answer ("lingering close"). Reading stops after `cap` bytes or
 * when the client goes quiet; the result says whether the whole body was read, so the caller
 * can close the connection when not.
 */
export function discardBody(raw: IncomingMessage, cap: number, idleMs = IDLE_MS): Promise<boolean> {
  if (raw.complete || raw.readableEnded) return Promise.resolve(true);
  if (raw.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    let read = 0;
    const idle = setTimeout(() => stop(false), idleMs);
    const stop = (whole: boolean) => {
      clearTimeout(idle);
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('error', onFail);
      raw.off('close', onFail);
      if (!whole) raw.pause();
      resolve(whole);
    };
    const onData = (chunk: Buffer | string) => {
      read += chunk.length;
      if (read > cap) return stop(false);
      idle.refresh();
    };
    const onEnd = () => stop(true);
    const onFail = () => stop(raw.complete);
    raw.on('data', onData);
    raw.once('end', onEnd);
    raw.once('error', onFail);
    raw.once('close', onFail);
    raw.resume();
  });
}
