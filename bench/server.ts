import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** A `cerebro start` child, the time it took to answer /readyz, and its resident memory. */
export interface BenchServer {
  url: string;
  child: ChildProcess;
  startupMs: number;
  rssMb(): number;
  stop(): Promise<void>;
}

/**
 * Starts `cerebro start` (or, given `args`, another Node program that answers /readyz on PORT).
 * With `serves: false` (a `cerebro worker`) nothing answers HTTP: it is taken as ready once up.
 */
export async function startBenchServer(
  env: Record<string, string>,
  args: string[] = [path.join(ROOT, 'bin/cerebro.mjs'), 'start'],
  options: { serves?: boolean } = {},
): Promise<BenchServer> {
  const port = await freePort();
  const started = performance.now();
  // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the server under load:
  // Node refuses --cpu-prof in NODE_OPTIONS.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', DEMO: 'false', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  if (options.serves === false) await new Promise((r) => setTimeout(r, 3000));
  else
    for (;;) {
      if (child.exitCode !== null) throw new Error('server exited during start-up');
      try {
        if ((await globalThis.fetch(`${url}/readyz`)).ok) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  const startupMs = performance.now() - started;
  return {
    url,
    child,
    startupMs,
    rssMb: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** Drops and creates a database on the benchmark PostgreSQL server; answers its URL. */
export async function freshDatabase(adminUrl: string, name: string): Promise<string> {
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
