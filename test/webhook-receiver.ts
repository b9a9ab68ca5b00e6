import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request a fake receiver got. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The raw body, exactly as sent (what a signature covers). */
  body: string;
}

/** How the receiver answers its n-th request (0-based). */
export type Responder = (
  req: ReceivedRequest,
  n: number,
) => { status: number; body?: string; headers?: Record<string, string>; delayMs?: number };

/** A real HTTP server on 127.0.0.1 standing in for a customer's webhook endpoint. */
export interface Receiver {
  /** `http://127.0.0.1:<port>/hook`. */
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** Changes how later requests are answered. */
  respond(fn: Responder): void;
  /** Stops listening (connections are refused) until `start` listens on the same port again. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a receiver that answers 200 unless told otherwise. */
export async function startReceiver(
  responder: Responder = () => ({ status: 200, body: 'ok' }),
): Promise<Receiver> {
  let respond = responder;
  const requests: ReceivedRequest[] = [];
  let port = 0;
  let server: http.Server | null = null;

  const listen = async () => {
    const s = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const received: ReceivedRequest = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        const n = requests.push(received) - 1;
        const answer = respond(received, n);
        const send = () =>
          res
            .writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers })
            .end(answer.body ?? '');
        if (answer.delayMs) setTimeout(send, answer.delayMs);
        else send();
      });
    });
    await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', resolve));
    port = (s.address() as AddressInfo).port;
    server = s;
  };
  const stop = async () => {
    const s = server;
    server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  await listen();
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    requests,
    respond: (fn) => (respond = fn),
    stop,
    start: listen,
    close: stop,
  };
}
