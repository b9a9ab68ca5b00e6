import { Worker } from 'node:worker_threads';
import { DomainError } from '../errors/index.js';
import type { EmbeddedEngine, EmbeddedSource, StatementResult } from './pglite-engine.js';
import {
  deserializeError,
  type WorkerHello,
  type WorkerInit,
  type WorkerReply,
  type WorkerRequest,
  type WorkerResult,
} from './pglite-protocol.js';

type Pending = { resolve: (r: WorkerResult) => void; reject: (e: unknown) => void };
type Request = WorkerRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

const WORKER_ENTRY = new URL('./pglite-worker.mjs', import.meta.url);

const stopped = (cause?: unknown) =>
  new DomainError(
    'unavailable',
    'DATABASE_UNAVAILABLE',
    'The embedded database has stopped; restart Cerebro',
    { cause },
  );

/** Starts a PGlite worker thread over `source`; it answers once the database is open. */
export async function startPgliteWorker(source: EmbeddedSource): Promise<Worker> {
  const init: WorkerInit =
    'dataDir' in source
      ? source
      : { template: source.template ? await source.template.arrayBuffer() : null };
  const transfer = 'template' in init && init.template ? [init.template] : [];
  const worker = new Worker(WORKER_ENTRY, { workerData: init, transferList: transfer });
  const hello = await new Promise<WorkerHello>((resolve, reject) => {
    const onExit = (code: number) =>
      reject(new Error(`the database thread exited (${code}) while opening`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.once('message', (m: WorkerHello) => {
      worker.off('error', reject);
      worker.off('exit', onExit);
      resolve(m);
    });
  });
  if (!hello.ready) {
    await worker.terminate();
    throw deserializeError(hello.error);
  }
  return worker;
}

/**
 * An engine whose PGlite runs in `worker`: each statement is one message round trip, and the SQL
 * runs on another core while this event loop keeps serving. A thread that dies (a WASM abort, an
 * out-of-memory) fails every pending and later statement with DATABASE_UNAVAILABLE — never a hang —
 * so /readyz reports the database down.
 */
export function workerEngine(worker: Worker): EmbeddedEngine {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let dead: DomainError | null = null;
  let closing: Promise<void> | null = null;
  const idle = () => {
    if (pending.size === 0 && !closing) worker.unref();
  };
  const exit = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  // The thread keeps the process alive only while a statement waits for it, as PGlite in this
  // thread would: an idle open database never stops a CLI command from ending.
  worker.unref();

  const fail = (e: DomainError) => {
    dead ??= e;
    for (const p of pending.values()) p.reject(dead);
    pending.clear();
  };
  worker.on('message', (reply: WorkerReply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    idle();
    if (reply.ok) p.resolve(reply.result);
    else p.reject(deserializeError(reply.error));
  });
  worker.on('error', (e) => fail(stopped(e)));
  worker.on('exit', (code) =>
    fail(stopped(new Error(`the database thread exited with code ${code}`))),
  );

  const call = (request: Request): Promise<WorkerResult> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise<WorkerResult>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      if (pending.size === 1) worker.ref();
      try {
        worker.postMessage({ ...request, id });
      } catch (e) {
        // A parameter structured clone cannot carry (a function) fails its statement only.
        pending.delete(id);
        idle();
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  };
  const expect = <K extends WorkerResult['kind']>(kind: K, r: WorkerResult) => {
    if (r.kind !== kind) throw new Error(`the database thread answered ${r.kind} to ${kind}`);
    return r as Extract<WorkerResult, { kind: K }>;
  };

  const closeThread = async () => {
    // Held until the thread has ended, so closing finishes even with nothing else to do.
    worker.ref();
    if (!dead) await call({ op: 'close' });
    fail(stopped(new Error('closed')));
    await exit;
  };

  return {
    run: async (sql, params): Promise<StatementResult> => {
      const { rows, affectedRows } = expect('rows', await call({ op: 'run', sql, params }));
      return { rows, ...(affectedRows !== undefined ? { affectedRows } : {}) };
    },
    dump: async () => new Blob([expect('dump', await call({ op: 'dump' })).data]),
    close: () => (closing ??= closeThread()),
  };
}
