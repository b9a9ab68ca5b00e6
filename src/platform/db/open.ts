import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-driver.js';
import {
  inThreadEngine,
  openPglite,
  type EmbeddedEngine,
  type EmbeddedSource,
} from './pglite-engine.js';
import { startPgliteWorker, workerEngine } from './pglite-thread.js';
import type { PlatformTables } from './tables.js';

/** Which of the two database implementations is in use. */
export type DatabaseKind = 'embedded' | 'postgres';

/** An open database: the owner connection (migrations, system work) and how to close it. */
export interface Database {
  kind: DatabaseKind;
  /** Runs as the owner role. Tenant work goes through withTenant(), which drops to the app role. */
  db: Kysely<PlatformTables>;
  close(): Promise<void>;
  /** Embedded only: a tarball of the data directory, used by tests to clone a migrated template. */
  dump?: () => Promise<Blob>;
}

const INT8_OID = 20;
const EMBEDDED_DIR = 'pgdata';

// bigint counts and sequences fit comfortably in a double for this application's ranges.
pg.types.setTypeParser(INT8_OID, (v: string) => Number(v));

/**
 * Where the embedded database's SQL executes. `worker`: in a worker thread, so the server's event
 * loop (HTTP, JSON, jobs) is never blocked behind PGlite's synchronous WASM and a second core is
 * used — the server's choice. `main`: in the calling thread, with no message cost and no thread to
 * start — cheaper for tests that open hundreds of short-lived in-memory databases.
 */
export type EmbeddedThread = 'worker' | 'main';

/** How to open the embedded database. */
export interface EmbeddedOptions {
  /** Where SQL executes (default `main`). */
  thread?: EmbeddedThread;
}

async function openEngine(source: EmbeddedSource, thread: EmbeddedThread): Promise<EmbeddedEngine> {
  return thread === 'worker'
    ? workerEngine(await startPgliteWorker(source))
    : inThreadEngine(await openPglite(source));
}

function embedded(engine: EmbeddedEngine): Database {
  return {
    kind: 'embedded',
    db: new Kysely<PlatformTables>({ dialect: new PGliteDialect(engine) }),
    close: () => engine.close(),
    dump: () => engine.dump(),
  };
}

/**
 * Opens (creating if needed) the embedded PostgreSQL in `dataDir/pgdata`.
 *
 * A first start that is killed while initdb runs must not leave a half-made cluster that later
 * starts trip over, so the cluster is created in a sibling temp directory and renamed into place
 * only once it is complete (rename is atomic within one file system). Leftover temp dirs from a
 * killed first start are removed.
 */
export async function openEmbedded(
  dataDir: string,
  options: EmbeddedOptions = {},
): Promise<Database> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const target = path.join(dataDir, EMBEDDED_DIR);
  for (const entry of await readdir(dataDir)) {
    if (entry.startsWith(`${EMBEDDED_DIR}.init-`))
      await rm(path.join(dataDir, entry), { recursive: true, force: true });
  }
  if (!existsSync(target)) {
    const temp = path.join(dataDir, `${EMBEDDED_DIR}.init-${randomBytes(4).toString('hex')}`);
    const fresh = await openPglite({ dataDir: temp });
    await fresh.close();
    await rename(temp, target);
  }
  return embedded(await openEngine({ dataDir: target }, options.thread ?? 'main'));
}

/** Opens an in-memory embedded database, optionally from a dumped template (tests). */
export async function openEmbeddedInMemory(
  template?: Blob,
  options: EmbeddedOptions = {},
): Promise<Database> {
  return embedded(await openEngine({ template: template ?? null }, options.thread ?? 'main'));
}

/** Opens a pooled connection to a PostgreSQL server. */
export async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection the server closes (a restart, a failover, pg_terminate_backend) must not
  // crash the process: the pool drops it and the next query opens a fresh one; /readyz reports
  // the database while it is unreachable.
  pool.on('error', () => undefined);
  const db = new Kysely<PlatformTables>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    close: () => db.destroy(),
  };
}
