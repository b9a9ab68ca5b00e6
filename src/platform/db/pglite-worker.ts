// The body of the PGlite worker thread (started by pglite-thread.ts through pglite-worker.mjs):
// opens the database named in workerData and answers requests one message each, so PGlite's
// synchronous WASM work runs on this thread instead of the server's event loop.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { PGlite } from '@electric-sql/pglite';
import { openPglite, runStatement } from './pglite-engine.js';
import {
  serializeError,
  type WorkerHello,
  type WorkerInit,
  type WorkerReply,
  type WorkerRequest,
  type WorkerResult,
} from './pglite-protocol.js';

if (!parentPort) throw new Error('pglite-worker runs only as a worker thread');
const port: MessagePort = parentPort;

async function answer(pglite: PGlite, request: WorkerRequest): Promise<WorkerResult> {
  switch (request.op) {
    case 'run':
      return { kind: 'rows', ...(await runStatement(pglite, request.sql, request.params)) };
    case 'dump': {
      const data = await (await pglite.dumpDataDir('none')).arrayBuffer();
      return { kind: 'dump', data };
    }
    case 'close':
      if (!pglite.closed) await pglite.close();
      return { kind: 'closed' };
  }
}

const init = workerData as WorkerInit;
const source =
  'dataDir' in init ? init : { template: init.template ? new Blob([init.template]) : null };

async function handle(pglite: PGlite, request: WorkerRequest): Promise<void> {
  let reply: WorkerReply;
  try {
    reply = { id: request.id, ok: true, result: await answer(pglite, request) };
  } catch (e) {
    reply = { id: request.id, ok: false, error: serializeError(e) };
  }
  try {
    port.postMessage(reply, reply.ok && reply.result.kind === 'dump' ? [reply.result.data] : []);
  } catch (e) {
    // A value structured clone cannot carry must fail its query, not the thread.
    port.postMessage({ id: request.id, ok: false, error: serializeError(e) } satisfies WorkerReply);
  }
  // Closing the port lets the thread end once the database is closed.
  if (reply.ok && reply.result.kind === 'closed') port.close();
}

try {
  const pglite = await openPglite(source);
  port.on('message', (request: WorkerRequest) => void handle(pglite, request));
  port.postMessage({ ready: true } satisfies WorkerHello);
} catch (e) {
  port.postMessage({ ready: false, error: serializeError(e) } satisfies WorkerHello);
  port.close();
}
