import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * The RabbitMQ that tests use. These tests always need a broker (no skipping): `.ci/run` starts
 * the local one, and a developer's machine has it at the default address.
 */
export const TEST_AMQP_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A prefix for exchange and queue names that no other test file or CI run shares. */
export function uniqueAmqpPrefix(label: string): string {
  return `test-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A TCP proxy in front of the broker, so a test can drop and refuse connections like a network fault. */
export interface TcpProxy {
  /** TEST_AMQP_URL with the proxy's port. */
  url: string;
  /** Destroys every open connection, both ways. */
  cut(): void;
  /** While true, new connections are closed as soon as they arrive. */
  refuse(on: boolean): void;
  /** How many connections reached the broker through the proxy. */
  connections(): number;
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 that forwards to the broker of TEST_AMQP_URL. */
export async function startAmqpProxy(): Promise<TcpProxy> {
  const target = new URL(TEST_AMQP_URL);
  const sockets = new Set<net.Socket>();
  let refusing = false;
  let count = 0;
  const server = net.createServer((client) => {
    if (refusing) return void client.destroy();
    count++;
    const upstream = net.connect(Number(target.port || 5672), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = new URL(TEST_AMQP_URL);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  const cut = () => {
    for (const s of sockets) s.destroy();
  };
  return {
    url: url.toString(),
    cut,
    refuse: (on) => void (refusing = on),
    connections: () => count,
    close: async () => {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls `check` until it is true, failing with `what` after `timeoutMs`. */
export async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
