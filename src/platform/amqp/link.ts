import { connect, type Channel, type ChannelModel } from 'amqplib';
import type { FastifyBaseLogger } from 'fastify';

/** What a link logs through; a pino logger fits. */
export type LinkLog = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;

/** What `setup` gets on every fresh connection. */
export interface LinkSetup {
  connection: ChannelModel;
  /** Ties a channel's life to the session: when it closes unexpectedly, the link reconnects. */
  watch: <C extends Channel>(channel: C) => C;
}

/** How to open, rebuild and log one long-lived RabbitMQ connection. */
export interface AmqpLinkOptions<S> {
  url: string;
  /** Shown by the broker (`rabbitmqctl list_connections name`) to tell processes apart. */
  name: string;
  /** Opens channels, declares topology, starts consumers; runs again after every reconnect. */
  setup(link: LinkSetup): Promise<S>;
  /** Told when a session is lost (before the reconnect), so work bound to its channels stops. */
  onLost?(session: S): void;
  log?: LinkLog;
  /** Reconnect delays: exponential from `baseMs` (200) up to `maxMs` (30 000), with jitter. */
  backoff?: { baseMs?: number; maxMs?: number };
}

/** One RabbitMQ connection that reconnects by itself until closed. */
export interface AmqpLink<S> {
  /** The live session, or null while disconnected. */
  current(): S | null;
  /** Waits for a live session, rejecting after `timeoutMs` or when the link is closed. */
  ready(timeoutMs: number): Promise<S>;
  /** Closes the connection for good; no reconnect follows. */
  close(): Promise<void>;
}

const SILENT = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
} as unknown as LinkLog;

/** The broker URL with a heartbeat, so a silently dead TCP connection is noticed in ~30 s, not minutes. */
function withHeartbeat(url: string): string {
  const u = new URL(url);
  if (!u.searchParams.has('heartbeat')) u.searchParams.set('heartbeat', '15');
  return u.toString();
}

/** The broker address without credentials, for logs. */
function describe(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}

/**
 * Opens a connection now and keeps one open: when the connection or a watched channel drops,
 * it waits (exponential backoff with jitter, so a restarted broker is not hit by every process
 * at the same instant), connects again and runs `setup` again, which re-declares the topology.
 * A failed `setup` (e.g. a queue declared with other arguments) is retried the same way.
 */
export function createAmqpLink<S>(options: AmqpLinkOptions<S>): AmqpLink<S> {
  const log = options.log ?? SILENT;
  const baseMs = options.backoff?.baseMs ?? 200;
  const maxMs = options.backoff?.maxMs ?? 30_000;
  const url = withHeartbeat(options.url);
  const where = describe(options.url);
  let connection: ChannelModel | null = null;
  let session: S | null = null;
  let stopped = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | null = null;
  let opening: Promise<void> | null = null;
  const waiters = new Set<{ resolve: (s: S) => void; reject: (e: Error) => void }>();

  // "Equal jitter": half the exponential step plus a random half, so delays grow but never
  // collapse to zero when many processes reconnect together.
  const nextDelay = () => {
    const step = Math.min(maxMs, baseMs * 2 ** attempt);
    attempt++;
    return Math.round(step / 2 + (Math.random() * step) / 2);
  };

  const schedule = () => {
    if (stopped || timer) return;
    const ms = nextDelay();
    // Not unref'd: a worker waiting for its broker must stay alive to reconnect.
    timer = setTimeout(() => {
      timer = null;
      opening = open().finally(() => (opening = null));
    }, ms);
    return ms;
  };

  const lost = (from: ChannelModel, reason: unknown) => {
    if (connection !== from) return;
    const old = session;
    connection = null;
    session = null;
    from.close().catch(() => undefined);
    if (old !== null) options.onLost?.(old);
    if (stopped) return;
    const ms = schedule();
    log.warn(
      { err: reason, broker: where, retryInMs: ms },
      'RabbitMQ connection lost; reconnecting',
    );
  };

  async function open(): Promise<void> {
    if (stopped) return;
    let conn: ChannelModel | null = null;
    try {
      conn = await connect(url, {
        clientProperties: { connection_name: options.name },
        timeout: 10_000,
      });
      const current = conn;
      // Every 'error' is followed by 'close', which is where the link reacts.
      current.on('error', () => undefined);
      current.on('close', (err?: Error) => lost(current, err ?? new Error('connection closed')));
      connection = current;
      const watch = <C extends Channel>(channel: C): C => {
        channel.on('error', () => undefined);
        channel.on('close', () => lost(current, new Error('channel closed')));
        return channel;
      };
      const fresh = await options.setup({ connection: current, watch });
      if (connection !== current) return;
      if (stopped) return void (await current.close().catch(() => undefined));
      session = fresh;
      attempt = 0;
      log.info({ broker: where, name: options.name }, 'RabbitMQ connected');
      for (const w of waiters) w.resolve(fresh);
      waiters.clear();
    } catch (err) {
      if (conn && connection === conn) connection = null;
      await conn?.close().catch(() => undefined);
      if (stopped) return;
      const ms = schedule();
      log.warn({ err, broker: where, retryInMs: ms }, 'RabbitMQ unreachable; retrying');
    }
  }

  opening = open().finally(() => (opening = null));

  return {
    current: () => session,
    ready: (timeoutMs) => {
      if (session !== null) return Promise.resolve(session);
      if (stopped) return Promise.reject(new Error('the RabbitMQ link is closed'));
      return new Promise<S>((resolve, reject) => {
        const waiter = {
          resolve: (s: S) => (clearTimeout(t), resolve(s)),
          reject: (e: Error) => (clearTimeout(t), reject(e)),
        };
        const t = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`RabbitMQ at ${where} is not reachable (waited ${timeoutMs} ms)`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      for (const w of waiters) w.reject(new Error('the RabbitMQ link is closed'));
      waiters.clear();
      await opening;
      const conn = connection;
      connection = null;
      session = null;
      await conn?.close().catch(() => undefined);
    },
  };
}
