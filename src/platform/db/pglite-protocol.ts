import { messages } from '@electric-sql/pglite';
import type { StatementResult } from './pglite-engine.js';

/** What the main thread asks the PGlite worker; `id` pairs each reply with its request. */
export type WorkerRequest =
  | { id: number; op: 'run'; sql: string; params: readonly unknown[] }
  | { id: number; op: 'dump' }
  | { id: number; op: 'close' };

/** The worker's answer to one request. */
export type WorkerReply =
  | { id: number; ok: true; result: WorkerResult }
  | { id: number; ok: false; error: SerializedError };

export type WorkerResult =
  ({ kind: 'rows' } & StatementResult) | { kind: 'dump'; data: ArrayBuffer } | { kind: 'closed' };

/** The worker's first message: PGlite opened, or why it could not. */
export type WorkerHello = { ready: true } | { ready: false; error: SerializedError };

/** The data the worker opens its database from (workerData). */
export type WorkerInit = { dataDir: string } | { template: ArrayBuffer | null };

/**
 * An error as it crosses the thread boundary. Structured clone keeps only an Error's message and
 * stack, but callers read PostgreSQL's fields (`code` 23505 → 409, `constraint` in the log), so
 * every primitive own field is carried, and a DatabaseError is rebuilt as a DatabaseError.
 */
export interface SerializedError {
  database: boolean;
  message: string;
  stack: string | undefined;
  fields: Record<string, string | number | boolean>;
}

export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error))
    return { database: false, message: String(e), stack: undefined, fields: {} };
  const fields: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(e)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      fields[key] = value;
  }
  return {
    database: e instanceof messages.DatabaseError,
    message: e.message,
    stack: e.stack,
    fields,
  };
}

export function deserializeError(s: SerializedError): Error {
  const e = s.database
    ? new messages.DatabaseError(s.message, Number(s.fields.length ?? 0), 'error')
    : new Error(s.message);
  Object.assign(e, s.fields);
  if (s.stack !== undefined) e.stack = s.stack;
  return e;
}
