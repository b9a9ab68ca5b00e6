/** A pass run on a poll interval, on demand, or both — never two at once. */
export interface PollLoop<A, T> {
  /** Runs a pass now with `arg`, after the one in flight; works whether started or not. */
  run(arg: A): Promise<T>;
  /** Asks for a pass in `ms` (default now) instead of at the next poll; ignored until started. */
  readonly wake: (ms?: number) => void;
  start(): void;
  /** Stops polling and waits for the pass in flight. */
  stop(): Promise<void>;
}

export interface PollLoopOptions<A> {
  pollMs: number;
  /** The argument of the passes the loop runs by itself. */
  idle: A;
  /** Told when a timed pass fails; the loop carries on at the next poll. */
  onError(err: unknown): void;
}

/**
 * The loop under the outbox relays and the job dispatcher: passes are serialized (a pass asked
 * for during another waits for it), a wake pulls the next timed pass forward, and the timer is
 * unref'd so an idle loop never keeps a process alive.
 */
export function createPollLoop<A, T>(
  pass: (arg: A) => Promise<T>,
  options: PollLoopOptions<A>,
): PollLoop<A, T> {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<T> | null = null;
  let stopped = true;

  async function run(arg: A): Promise<T> {
    while (running) await running.catch(() => undefined);
    running = pass(arg).finally(() => (running = null));
    return running;
  }

  function wake(ms = 0): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      run(options.idle)
        .catch((err: unknown) => options.onError(err))
        .finally(() => wake(options.pollMs));
    }, ms);
    timer.unref();
  }

  return {
    run,
    wake,
    start: () => {
      stopped = false;
      wake(0);
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (running) await running.catch(() => undefined);
    },
  };
}
