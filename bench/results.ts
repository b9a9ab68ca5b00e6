import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Writes a benchmark's result to `bench/results/<name>-<at>.json`; answers the file's path. */
export async function saveResult(name: string, result: { at: string }): Promise<string> {
  const dir = path.resolve(import.meta.dirname, 'results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}-${result.at.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/** Saves the result and prints it as JSON, the way most benchmarks report. */
export async function reportResult(name: string, result: { at: string }): Promise<void> {
  await saveResult(name, result);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
