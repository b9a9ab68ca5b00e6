import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { migrationsHash, TEST_DATA_DIR } from '../test/template.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * A data directory that `cerebro migrate` has already brought up to date, rebuilt whenever a
 * migration changes. A first start on an empty directory creates the embedded cluster and applies
 * every migration, which costs each e2e file several seconds of CPU; the first start itself is
 * covered by src/platform/db/first-start.test.ts.
 */
export const e2eTemplateDir = (): string =>
  path.join(TEST_DATA_DIR, `e2e-template-${migrationsHash()}`);

/** Builds the migrated template data directory once, through the real CLI. */
export async function ensureE2eTemplate(): Promise<string> {
  const dir = e2eTemplateDir();
  if (existsSync(dir)) return dir;
  await mkdir(TEST_DATA_DIR, { recursive: true });
  const temp = await mkdtemp(`${dir}.tmp-`);
  // The template is the embedded database, whatever database this shell points at.
  const { DATABASE_URL: _postgres, ...env } = process.env;
  try {
    await promisify(execFile)(process.execPath, [path.join(ROOT, 'bin/cerebro.mjs'), 'migrate'], {
      cwd: ROOT,
      env: { ...env, DATA_DIR: temp, LOG_LEVEL: 'warn' },
    });
    // Renamed into place only once complete, so a killed build is never taken for a template.
    await rename(temp, dir);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return dir;
}

/** Gives a fresh data directory its own copy of the migrated database. */
export async function copyE2eTemplate(dataDir: string): Promise<void> {
  await cp(path.join(e2eTemplateDir(), 'pgdata'), path.join(dataDir, 'pgdata'), {
    recursive: true,
  });
}
