import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import {
  MIGRATIONS_DIR,
  migrate,
  openEmbeddedInMemory,
  openPostgres,
} from '../src/platform/db/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const TEST_DATA_DIR = path.join(ROOT, '.test-data');

/** A hash of every migration: the template is rebuilt whenever one changes. */
export function migrationsHash(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(MIGRATIONS_DIR).sort())
    h.update(f).update(readFileSync(path.join(MIGRATIONS_DIR, f)));
  return h.digest('hex').slice(0, 16);
}

export const templateFile = () => path.join(TEST_DATA_DIR, `template-${migrationsHash()}.tar`);
export const PG_TEMPLATE_DB = 'cerebro_test_template';

/** Builds the migrated embedded template once (~4 s); test files clone it (~0.3 s). */
export async function ensureEmbeddedTemplate(): Promise<string> {
  const file = templateFile();
  if (existsSync(file)) return file;
  await mkdir(TEST_DATA_DIR, { recursive: true });
  const db = await openEmbeddedInMemory();
  await migrate(db.db);
  const dump = await db.dump?.();
  await db.close();
  if (!dump) throw new Error('embedded database cannot dump');
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, Buffer.from(await dump.arrayBuffer()));
  await rename(temp, file);
  return file;
}

export async function loadEmbeddedTemplate(): Promise<Blob> {
  return new Blob([await readFile(await ensureEmbeddedTemplate())]);
}

/** A URL for database `name` on the server of `baseUrl`. */
export function databaseUrl(baseUrl: string, name: string): string {
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Builds the migrated PostgreSQL template database once per run. */
export async function ensurePostgresTemplate(baseUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${PG_TEMPLATE_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${PG_TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const db = await openPostgres(databaseUrl(baseUrl, PG_TEMPLATE_DB), 1);
  await migrate(db.db);
  await db.close();
}

/** Creates a fresh database cloned from the template; returns its URL and a drop function. */
export async function clonePostgresTemplate(
  baseUrl: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `cerebro_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${PG_TEMPLATE_DB}`);
  await admin.end();
  return {
    url: databaseUrl(baseUrl, name),
    drop: async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
