import { mkdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { ALL_CONSUMERS, ALL_JOB_HANDLERS, periodicTasks } from '../../modules/index.js';
import { startPeriodicTasks } from '../../platform/schedule/index.js';
import { bootstrapOrganization, listOrganizations } from '../../modules/identity/index.js';
import type { Config } from '../../platform/config/index.js';
import type { Deps } from '../../platform/context/index.js';
import { createHttpApp } from './app.js';
import { lockDataDir } from './data-dir-lock.js';
import { closeDeps, createDeps } from './deps.js';

/** What this process runs: the HTTP API, the background workers, or both (the embedded default). */
export interface StartOptions {
  http: boolean;
  workers: boolean;
  /** Print the first-run credentials to this stream (stdout). */
  out?: NodeJS.WritableStream;
  /** Install the SIGTERM/SIGINT shutdown (true); a cluster primary installs its own. */
  signals?: boolean;
}

export interface Running {
  url: string | null;
  deps: Deps;
  stop(): Promise<void>;
}

const DEMO_EMAIL = 'admin@demo.cerebro.local';

/**
 * First run: an empty database gets a demo organization and an admin with a random password,
 * printed once, and every module's demo seed in module list order. Later starts print nothing secret.
 */
async function seedFirstRun(deps: Deps, out: NodeJS.WritableStream): Promise<void> {
  if (!deps.config.demo) return;
  const existing = await listOrganizations(deps);
  if (existing.length > 0) return;
  const password = randomBytes(12).toString('base64url');
  const { organizationId, userId } = await bootstrapOrganization(deps, {
    organizationName: 'Demo Company',
    email: DEMO_EMAIL,
    name: 'Demo Admin',
    password,
  });
  for (const seed of deps.modules.demoSeeds) await seed(deps, organizationId, userId);
  out.write(
    `\n  First run: created the organization "Demo Company".\n  Log in as ${DEMO_EMAIL} with password ${password}\n  (shown once; change it under Settings → Profile)\n\n`,
  );
}

/** Starts Cerebro in one process and installs graceful shutdown on SIGTERM/SIGINT. */
export async function start(config: Config, options: StartOptions): Promise<Running> {
  const started = performance.now();
  const out = options.out ?? process.stdout;
  let unlock: (() => Promise<void>) | null = null;
  if (!config.database.url) {
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
    unlock = await lockDataDir(config.dataDir);
  }
  let deps: Deps;
  try {
    deps = await createDeps(config, {
      consumers: options.workers ? ALL_CONSUMERS : [],
      jobHandlers: options.workers ? ALL_JOB_HANDLERS : [],
    });
  } catch (e) {
    await unlock?.();
    throw e;
  }
  await seedFirstRun(deps, out);
  let url: string | null = null;
  const http = options.http ? (await createHttpApp(deps)).app : null;
  if (http) {
    await http.listen({ port: config.http.port, host: config.http.host });
    const address = http.server.address();
    const port = typeof address === 'object' && address ? address.port : config.http.port;
    url = config.http.publicUrl.includes(`:${config.http.port}`)
      ? config.http.publicUrl.replace(`:${config.http.port}`, `:${port}`)
      : config.http.publicUrl;
  }
  if (options.workers) {
    deps.outbox.start();
    deps.jobs.start();
  }
  const stopTasks = options.workers
    ? startPeriodicTasks(periodicTasks(deps), deps.log)
    : async () => undefined;
  deps.log.info({ url, ms: Math.round(performance.now() - started) }, 'cerebro started');
  if (url) out.write(`  Cerebro is running at ${url}\n`);

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      // Stop accepting, let in-flight requests finish, then drain workers and close the database.
      await http?.close();
      await stopTasks();
      await deps.jobs.stop();
      await deps.outbox.stop();
      await closeDeps(deps);
      await unlock?.();
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    deps.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        deps.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  if (options.signals !== false) {
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  return { url, deps, stop };
}
