import cluster from 'node:cluster';
import type { Config } from '../../platform/config/index.js';
import type { StartOptions } from './start.js';

/** What the cluster needs of a started process (`start()`'s `Running` is one). */
export interface Started {
  deps: {
    log: {
      info(details: object, message: string): void;
      error(details: object, message: string): void;
    };
  };
  stop(): Promise<void>;
}

/** One forked API process, as the primary watches it. */
export interface ApiProcess {
  /** Called once, when the process exits for whatever reason. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** Called once the process accepts connections. */
  onListening(listener: () => void): void;
  kill(signal: NodeJS.Signals): void;
}

/** Where the processes come from: node:cluster in production, a stand-in in tests. */
export interface ProcessHost {
  /** True in the process the operator started; false in a forked API process. */
  isPrimary(): boolean;
  /** Forks one more process running this same program. */
  fork(): ApiProcess;
}

/** The node:cluster host: forked processes share the primary's listening port. */
export const NODE_CLUSTER: ProcessHost = {
  isPrimary: () => cluster.isPrimary,
  fork() {
    const worker = cluster.fork();
    return {
      onExit: (listener) => worker.once('exit', listener),
      onListening: (listener) => worker.once('listening', () => listener()),
      kill: (signal) => worker.process.kill(signal),
    };
  },
};

/** What `startCluster` needs from its surroundings (tests hand in their own). */
export interface ClusterDeps<R extends Started> {
  host: ProcessHost;
  start: (config: Config, options: StartOptions) => Promise<R>;
  /** Installs the primary's shutdown on SIGTERM/SIGINT; answers nothing. */
  onSignal: (handler: (signal: NodeJS.Signals) => void) => void;
  exit: (code: number) => void;
}

/** The running primary: its own process and the API processes it keeps alive. */
export interface ClusterPrimary<R extends Started> {
  running: R;
  /** API processes alive now. */
  size(): number;
  /** Stops the API processes first (they drain their requests), then the background work. */
  stop(): Promise<void>;
}

/**
 * `cerebro start` with `config.http.processes` API processes (WEB_CONCURRENCY). One process runs
 * everything, as before. With more, the primary migrates, seeds and runs the background work
 * (events, jobs, schedules) alone — so no job or schedule runs twice by construction — and then
 * forks the HTTP processes, which only serve. A process that dies after it served is replaced; one
 * that dies before it ever listened stops the whole start-up, as a single process would.
 */
export async function startCluster<R extends Started>(
  config: Config,
  deps: ClusterDeps<R>,
): Promise<R | ClusterPrimary<R>> {
  const processes = config.http.processes;
  if (processes <= 1) return deps.start(config, { http: true, workers: true });
  if (!deps.host.isPrimary()) return deps.start(config, { http: true, workers: false });

  const running = await deps.start(config, { http: false, workers: true, signals: false });
  const alive = new Set<ApiProcess>();
  let allExited: (() => void) | null = null;
  let stopping = false;
  const fork = () => {
    const child = deps.host.fork();
    let listened = false;
    alive.add(child);
    child.onListening(() => (listened = true));
    child.onExit((code, signal) => {
      alive.delete(child);
      if (alive.size === 0) allExited?.();
      if (stopping) return;
      running.deps.log.error({ code, signal }, 'an API process exited');
      if (listened) fork();
      else void shutdown().then(() => deps.exit(1));
    });
  };
  let stopped: Promise<void> | null = null;
  const shutdown = () =>
    (stopped ??= (async () => {
      stopping = true;
      if (alive.size > 0) {
        const done = new Promise<void>((resolve) => (allExited = resolve));
        for (const child of alive) child.kill('SIGTERM');
        await done;
      }
      await running.stop();
    })());
  for (let i = 0; i < processes; i++) fork();
  deps.onSignal((signal) => {
    running.deps.log.info({ signal }, 'shutting down');
    // As a single process does: an API process stuck in a request must not hold the exit forever.
    const force = setTimeout(() => deps.exit(1), 15_000);
    force.unref();
    shutdown().then(
      () => (clearTimeout(force), deps.exit(0)),
      (err: unknown) => {
        clearTimeout(force);
        running.deps.log.error({ err }, 'shutdown failed');
        deps.exit(1);
      },
    );
  });
  return { running, size: () => alive.size, stop: shutdown };
}
