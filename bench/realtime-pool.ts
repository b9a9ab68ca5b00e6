// The client processes of `npm run bench:realtime`, seen from the bench: connect them, learn when a
// change has reached every socket that should get it, collect their counts, close them.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type {
  ClientMode,
  FromClient,
  PhaseCount,
  RecordPlan,
  SocketPlan,
  ToClient,
} from './realtime-protocol.js';

const CLIENT = path.resolve(import.meta.dirname, 'realtime-clients.ts');
/** Linux reports process times in USER_HZ ticks, 100 a second on every architecture. */
const USER_HZ = 100;

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  // Fields after the parenthesized command name; utime and stime are the 14th and 15th overall.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
}

/** Resident memory of a process in MB. */
export function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

interface Worker {
  child: ChildProcess;
  expectedPerRecord: number[];
  inbox: FromClient[];
  waiters: Array<(m: FromClient) => void>;
}

/** What the client processes together counted in one phase. */
export interface PoolReport {
  phases: PhaseCount[][];
  otherMessages: number;
  closedByServer: number;
}

/** Client processes sharing the sockets between them. */
export interface ClientPool {
  /** Opens `sockets` (dealt round-robin to the processes); calls `progress` with the number open so far. */
  connect(
    url: string,
    mode: ClientMode,
    sockets: SocketPlan[],
    records: RecordPlan[],
    progress: (open: number) => void,
  ): Promise<{ open: number; failed: number; firstError: string | null }>;
  /** Tells the processes that changes from `firstSeq` on belong to phase `name`. */
  phase(name: string, firstSeq: number): void;
  /** Resolves true once every socket that should get change `seq` has it, false after `timeoutMs`. */
  delivered(seq: number, timeoutMs: number): Promise<boolean>;
  /** How many deliveries change `seq` should make over all processes. */
  expectedFor(seq: number): number;
  report(phases: Array<{ name: string; seqs: number[] }>): Promise<PoolReport>;
  cpuSeconds(): number;
  close(): Promise<void>;
}

/** Forks `count` client processes. */
export function startClientPool(count: number): ClientPool {
  const workers: Worker[] = Array.from({ length: count }, () => {
    const child = fork(CLIENT, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const w: Worker = { child, expectedPerRecord: [], inbox: [], waiters: [] };
    child.on('message', (m: FromClient) => {
      if (m.kind === 'done') return onDone(m.seq);
      const waiter = w.waiters.shift();
      if (waiter) waiter(m);
      else w.inbox.push(m);
    });
    return w;
  });
  const next = (w: Worker): Promise<FromClient> => {
    const queued = w.inbox.shift();
    return queued ? Promise.resolve(queued) : new Promise((resolve) => w.waiters.push(resolve));
  };
  const tell = (w: Worker, m: ToClient) => w.child.send(m);
  let records = 0;
  const doneCounts = new Map<number, number>();
  const doneWaiters = new Map<number, () => void>();
  const required = (seq: number) =>
    workers.filter((w) => (w.expectedPerRecord[seq % records] ?? 0) > 0).length;
  function onDone(seq: number): void {
    const n = (doneCounts.get(seq) ?? 0) + 1;
    doneCounts.set(seq, n);
    if (n >= required(seq)) doneWaiters.get(seq)?.();
  }

  return {
    async connect(url, mode, sockets, recordPlans, progress) {
      records = recordPlans.length;
      const opened = workers.map(() => 0);
      const shares = workers.map((_, i) => sockets.filter((_, s) => s % workers.length === i));
      const results = await Promise.all(
        workers.map(async (w, i) => {
          tell(w, {
            kind: 'connect',
            url,
            mode,
            sockets: shares[i] ?? [],
            records: recordPlans,
            concurrency: 100,
          });
          for (;;) {
            const m = await next(w);
            if (m.kind === 'progress') {
              opened[i] = m.open;
              progress(opened.reduce((a, b) => a + b, 0));
            } else if (m.kind === 'connected') {
              w.expectedPerRecord = m.expectedPerRecord;
              return m;
            }
          }
        }),
      );
      const firstError = results.find((r) => r.firstError)?.firstError ?? null;
      return {
        open: results.reduce((s, r) => s + r.open, 0),
        failed: results.reduce((s, r) => s + r.failed, 0),
        firstError,
      };
    },
    phase: (name, firstSeq) => workers.forEach((w) => tell(w, { kind: 'phase', name, firstSeq })),
    delivered: (seq, timeoutMs) => {
      if ((doneCounts.get(seq) ?? 0) >= required(seq)) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          doneWaiters.delete(seq);
          resolve(false);
        }, timeoutMs);
        doneWaiters.set(seq, () => {
          clearTimeout(timer);
          doneWaiters.delete(seq);
          resolve(true);
        });
      });
    },
    expectedFor: (seq) =>
      workers.reduce((s, w) => s + (w.expectedPerRecord[seq % records] ?? 0), 0),
    async report(phases) {
      const parts = await Promise.all(
        workers.map(async (w) => {
          tell(w, { kind: 'report', phases });
          for (;;) {
            const m = await next(w);
            if (m.kind === 'report') return m;
          }
        }),
      );
      return {
        phases: parts.map((p) => p.phases),
        otherMessages: parts.reduce((s, p) => s + p.otherMessages, 0),
        closedByServer: parts.reduce((s, p) => s + p.closedByServer, 0),
      };
    },
    cpuSeconds: () => workers.reduce((s, w) => s + cpuSeconds(w.child.pid), 0),
    async close() {
      await Promise.all(
        workers.map(async (w) => {
          if (w.child.exitCode !== null || !w.child.connected) return;
          const exited = new Promise((r) => w.child.once('exit', r));
          tell(w, { kind: 'close' });
          await exited;
        }),
      );
    },
  };
}
