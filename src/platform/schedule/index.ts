import type { FastifyBaseLogger } from 'fastify';

/** A periodic task of the worker process. */
export interface PeriodicTask {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

/**
 * Runs each task on its interval, never two runs of one task at once, logging failures and
 * carrying on. A user's work is never done here: these are maintenance sweeps (purges) and the
 * passes of job sources (platform/jobs/sources.ts), which only enqueue durable jobs; both are
 * idempotent and simply run again next time.
 */
export function startPeriodicTasks(
  tasks: readonly PeriodicTask[],
  log: FastifyBaseLogger,
): () => Promise<void> {
  const running = new Map<string, Promise<unknown>>();
  const timers = tasks.map((task) => {
    const tick = () => {
      if (running.has(task.name)) return;
      const p = task
        .run()
        .catch((err: unknown) =>
          log.error({ err, task: task.name }, 'periodic task failed; it runs again next interval'),
        )
        .finally(() => running.delete(task.name));
      running.set(task.name, p);
    };
    const t = setInterval(tick, task.everyMs);
    t.unref();
    return t;
  });
  return async () => {
    for (const t of timers) clearInterval(t);
    await Promise.all(running.values());
  };
}
export { createPollLoop, type PollLoop, type PollLoopOptions } from './poll-loop.js';
