import { PGlite } from '@electric-sql/pglite';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

/** What one statement answers: the rows of its (last) result and how many rows it changed. */
export interface StatementResult {
  rows: unknown[];
  affectedRows?: number;
}

/**
 * The embedded database as the Kysely dialect sees it, wherever PGlite runs: in this thread or in
 * a worker thread (pglite-thread.ts). One engine is one connection; the dialect serializes use.
 */
export interface EmbeddedEngine {
  /** Runs one statement (or, without parameters, several separated by semicolons). */
  run(sql: string, params: readonly unknown[]): Promise<StatementResult>;
  /** A tarball of the data directory (tests clone a migrated template from it). */
  dump(): Promise<Blob>;
  /** Closes the database; safe to call twice. */
  close(): Promise<void>;
}

/** Where an embedded database lives: a directory on disk, or memory (optionally from a dump). */
export type EmbeddedSource = { dataDir: string } | { template: Blob | null };

const INT8_OID = 20;

/** The options every PGlite of Cerebro opens with, in whichever thread. */
export function pgliteOptions() {
  return {
    extensions: { pg_trgm, fuzzystrmatch },
    // bigint counts and sequences fit comfortably in a double for this application's ranges.
    parsers: { [INT8_OID]: (v: string) => Number(v) },
  };
}

/** Opens PGlite in the calling thread and waits until it answers. */
export async function openPglite(source: EmbeddedSource): Promise<PGlite> {
  const pglite =
    'dataDir' in source
      ? new PGlite(source.dataDir, pgliteOptions())
      : new PGlite({
          ...pgliteOptions(),
          ...(source.template ? { loadDataDir: source.template } : {}),
        });
  await pglite.waitReady;
  return pglite;
}

/**
 * Runs one statement on PGlite. Without parameters it uses the simple protocol, which (like
 * node-postgres) accepts several statements in one string: migrations rely on that.
 */
export async function runStatement(
  pglite: PGlite,
  sql: string,
  params: readonly unknown[],
): Promise<StatementResult> {
  if (params.length === 0) {
    const last = (await pglite.exec(sql)).at(-1);
    return {
      rows: last?.rows ?? [],
      ...(last?.affectedRows !== undefined ? { affectedRows: last.affectedRows } : {}),
    };
  }
  const result = await pglite.query(sql, params as unknown[]);
  return {
    rows: result.rows,
    ...(result.affectedRows !== undefined ? { affectedRows: result.affectedRows } : {}),
  };
}

/** An engine over PGlite in this thread: no message cost, but SQL blocks this event loop. */
export function inThreadEngine(pglite: PGlite): EmbeddedEngine {
  return {
    run: (sql, params) => runStatement(pglite, sql, params),
    dump: () => pglite.dumpDataDir('none'),
    close: async () => {
      if (!pglite.closed) await pglite.close();
    },
  };
}
