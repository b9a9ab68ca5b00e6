import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-driver.js';
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

function embedded(pglite: PGlite): Database {
  return {
    kind: 'embedded',
    db: new Kysely<PlatformTables>({ dialect: new PGliteDialect(pglite) }),
    close: async () => {
      if (!pglite.closed) await pglite.close();
    },
    dump: () => pglite.dumpDataDir('none'),
  };
}

function pgliteOptions() {
  return {
    extensions: { pg_trgm, fuzzystrmatch },
    parsers: { [INT8_OID]: (v: string) => Number(v) },
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
export async function openEmbedded(dataDir: string): Promise<Database> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const target = path.join(dataDir, EMBEDDED_DIR);
  for (const entry of await readdir(dataDir)) {
    if (entry.startsWith(`${EMBEDDED_DIR}.init-`))
      await rm(path.join(dataDir, entry), { recursive: true, force: true });
  }
  if (!existsSync(target)) {
    const temp = path.join(dataDir, `${EMBEDDED_DIR}.init-${randomBytes(4).toString('hex')}`);
    const fresh = new PGlite(temp, pgliteOptions());
    await fresh.waitReady;
    await fresh.close();
    await rename(temp, target);
  }
  const pglite = new PGlite(target, pgliteOptions());
  await pglite.waitReady;
  return embedded(pglite);
}

/** Opens an in-memory embedded database, optionally from a dumped template (tests). */
export async function openEmbeddedInMemory(template?: Blob): Promise<Database> {
  const pglite = new PGlite({ ...pgliteOptions(), ...(template ? { loadDataDir: template } : {}) });
  await pglite.waitReady;
  return embedded(pglite);
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
