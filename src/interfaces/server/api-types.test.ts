import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderApiTypes } from './api-types.js';

describe("the web app's generated API types", () => {
  it('match the route schemas (run `npm run gen:api` after changing a route)', async () => {
    const committed = await readFile(
      new URL('../../../web/src/api/schema.d.ts', import.meta.url),
      'utf8',
    );
    expect(
      committed === (await renderApiTypes()),
      'web/src/api/schema.d.ts is stale: run npm run gen:api',
    ).toBe(true);
  });
});
