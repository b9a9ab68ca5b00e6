import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);
const TEXT = /\.(js|css|html|svg|json|txt|map)$/;
/** Files smaller than this are sent as they are: a compressed copy would save next to nothing. */
const MIN_BYTES = 1024;

async function* filesOf(dir: string): AsyncGenerator<string> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* filesOf(p);
    else yield p;
  }
}

/**
 * Writes `.br` and `.gz` beside every text asset of the build, once, at build time: the server
 * (@fastify/static `preCompressed`) then sends the smallest one the browser accepts without
 * compressing anything per request.
 */
export function precompress(outDir: string): Plugin {
  return {
    name: 'cerebro-precompress',
    apply: 'build',
    async closeBundle() {
      for await (const file of filesOf(outDir)) {
        if (!TEXT.test(file)) continue;
        const body = await readFile(file);
        if (body.length < MIN_BYTES) continue;
        await writeFile(
          `${file}.br`,
          await brotli(body, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: 11,
              [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
            },
          }),
        );
        await writeFile(`${file}.gz`, await gz(body, { level: 9 }));
      }
    },
  };
}
