import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config/index.js';
import { startCluster, type ApiProcess, type ClusterDeps, type Started } from './cluster.js';
import type { StartOptions } from './start.js';

const SHARED = { DATABASE_URL: 'postgres://u@db/x', REDIS_URL: 'redis://cache:6379' };

/** A forked process the test drives: it listens, exits, and records the signals it got. */
class FakeProcess implements ApiProcess {
  signals: NodeJS.Signals[] = [];
  private exitListener: ((code: number | null, signal: string | null) => void) | null = null;
  private listeningListener: (() => void) | null = null;
  onExit(listener: (code: number | null, signal: string | null) => void): void {
    this.exitListener = listener;
  }
  onListening(listener: () => void): void {
    this.listeningListener = listener;
  }
  kill(signal: NodeJS.Signals): void {
    this.signals.push(signal);
    // Exits a tick later, as a real process drains and closes.
    setImmediate(() => this.exit(0, signal));
  }
  listen(): void {
    this.listeningListener?.();
  }
  exit(code: number | null, signal: string | null = null): void {
    this.exitListener?.(code, signal);
  }
}

/** The surroundings of one `cerebro start`, recording what it did in order. */
function world(primary: boolean) {
  const events: string[] = [];
  const starts: StartOptions[] = [];
  const forked: FakeProcess[] = [];
  const exits: number[] = [];
  let exited: (code: number) => void = () => undefined;
  /** Resolves with the code of the first exit the cluster asks for. */
  const firstExit = new Promise<number>((resolve) => (exited = resolve));
  let signalHandler: ((signal: NodeJS.Signals) => void) | null = null;
  const deps: ClusterDeps<Started> = {
    host: {
      isPrimary: () => primary,
      fork: () => {
        const p = new FakeProcess();
        forked.push(p);
        return p;
      },
    },
    start: async (_config, options) => {
      starts.push(options);
      return {
        deps: { log: { info: () => undefined, error: () => undefined } },
        stop: async () => {
          events.push(
            `primary stopped with ${forked.filter((p) => p.signals.length).length} killed`,
          );
        },
      };
    },
    onSignal: (handler) => (signalHandler = handler),
    exit: (code) => {
      exits.push(code);
      exited(code);
    },
  };
  const signal = (s: NodeJS.Signals) => signalHandler?.(s);
  return { deps, events, starts, forked, exits, signal, firstExit };
}

describe('cerebro start with WEB_CONCURRENCY', () => {
  it('runs everything in one process when one process is asked for', async () => {
    const w = world(true);
    await startCluster(loadConfig({ ...SHARED, WEB_CONCURRENCY: '1' }), w.deps);
    expect(w.starts).toEqual([{ http: true, workers: true }]);
    expect(w.forked).toHaveLength(0);
  });

  it('has the primary run the background work alone and fork N API processes', async () => {
    const w = world(true);
    const started = await startCluster(loadConfig({ ...SHARED, WEB_CONCURRENCY: '3' }), w.deps);
    expect(w.starts).toEqual([{ http: false, workers: true, signals: false }]);
    expect(w.forked).toHaveLength(3);
    expect('size' in started && started.size()).toBe(3);
  });

  it('serves HTTP without background work in a forked process', async () => {
    const w = world(false);
    await startCluster(loadConfig({ ...SHARED, WEB_CONCURRENCY: '3' }), w.deps);
    expect(w.starts).toEqual([{ http: true, workers: false }]);
    expect(w.forked).toHaveLength(0);
  });

  it('replaces an API process that dies after it served', async () => {
    const w = world(true);
    const started = await startCluster(loadConfig({ ...SHARED, WEB_CONCURRENCY: '2' }), w.deps);
    for (const p of w.forked) p.listen();
    w.forked[0]?.exit(1);
    expect(w.forked).toHaveLength(3);
    expect('size' in started && started.size()).toBe(2);
    expect(w.exits).toEqual([]);
  });

  it('stops everything with code 1 when an API process dies before it ever listened', async () => {
    const w = world(true);
    await startCluster(loadConfig({ ...SHARED, WEB_CONCURRENCY: '2' }), w.deps);
    w.forked[0]?.exit(1);
    expect(await w.firstExit).toBe(1);
    expect(w.forked).toHaveLength(2);
    expect(w.forked[1]?.signals).toEqual(['SIGTERM']);
    expect(w.exits).toEqual([1]);
  });

  it('on SIGTERM drains the API processes first, then stops the background work', async () => {
    const w = world(true);
    await startCluster(loadConfig({ ...SHARED, WEB_CONCURRENCY: '2' }), w.deps);
    for (const p of w.forked) p.listen();
    w.signal('SIGTERM');
    expect(await w.firstExit).toBe(0);
    expect(w.forked.map((p) => p.signals)).toEqual([['SIGTERM'], ['SIGTERM']]);
    // Both had been told to stop before the primary stopped, and none was replaced.
    expect(w.events).toEqual(['primary stopped with 2 killed']);
    expect(w.forked).toHaveLength(2);
    expect(w.exits).toEqual([0]);
  });
});

describe('WEB_CONCURRENCY', () => {
  it('defaults to one process per core with PostgreSQL and Redis, else to one', () => {
    expect(loadConfig(SHARED).http.processes).toBeGreaterThanOrEqual(1);
    expect(loadConfig({}).http.processes).toBe(1);
    expect(loadConfig({ DATABASE_URL: SHARED.DATABASE_URL }).http.processes).toBe(1);
    expect(loadConfig({ ...SHARED, WEB_CONCURRENCY: '4' }).http.processes).toBe(4);
  });

  it('refuses several processes over the embedded database or without Redis, naming it', () => {
    expect(() => loadConfig({ WEB_CONCURRENCY: '2' })).toThrow(/WEB_CONCURRENCY/);
    expect(() => loadConfig({ DATABASE_URL: SHARED.DATABASE_URL, WEB_CONCURRENCY: '2' })).toThrow(
      /needs DATABASE_URL and REDIS_URL/,
    );
    expect(() => loadConfig({ ...SHARED, WEB_CONCURRENCY: '0' })).toThrow(/WEB_CONCURRENCY/);
  });
});
