import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'bin/cerebro.mjs');

/** A port nobody listens on right now (the child binds it; a restart binds the same one). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() =>
        typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no free port')),
      );
    });
  });
}

/** One `cerebro <command>` child process that can be killed and started again with the same environment. */
export interface CerebroProcess {
  /** Starts the child and resolves once it logged "cerebro started" (HTTP listening, workers running). */
  start(): Promise<void>;
  /** SIGKILL: no shutdown hook runs, in-flight work is cut wherever it is. */
  kill(): Promise<void>;
  /** SIGTERM: the graceful shutdown. */
  stop(): Promise<void>;
  /** How often it was started. */
  starts(): number;
  /** The last lines it wrote to stderr (for a failure message). */
  stderrTail(): string;
}

/** Runs `node bin/cerebro.mjs <command>` with `env` over the test's own environment. */
export function cerebroProcess(
  command: 'start' | 'api' | 'worker',
  env: Record<string, string>,
): CerebroProcess {
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let count = 0;
  let stderr = '';

  const start = async () => {
    if (child) throw new Error(`cerebro ${command} is already running`);
    count++;
    const c = spawn(process.execPath, [CLI, command], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = c;
    exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    void exited.then(() => {
      if (child === c) child = null;
    });
    c.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const ready = new Promise<void>((resolve, reject) => {
      let buffer = '';
      const timeout = setTimeout(
        () => reject(new Error(`cerebro ${command} did not start within 60 s: ${stderr}`)),
        60_000,
      );
      c.stdout?.on('data', (chunk: Buffer) => {
        buffer = (buffer + chunk.toString()).slice(-20_000);
        if (!buffer.includes('"msg":"cerebro started"')) return;
        clearTimeout(timeout);
        // Stop looking but keep draining stdout, so the child never blocks on a full pipe.
        c.stdout?.removeAllListeners('data');
        c.stdout?.resume();
        resolve();
      });
    });
    const died = exited.then(() => {
      throw new Error(`cerebro ${command} exited during start-up: ${stderr}`);
    });
    await Promise.race([ready, died]);
    died.catch(() => undefined);
  };

  const signal = async (sig: NodeJS.Signals) => {
    const c = child;
    if (!c) return;
    c.kill(sig);
    await exited;
    child = null;
  };

  return {
    start,
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
    starts: () => count,
    stderrTail: () => stderr,
  };
}
