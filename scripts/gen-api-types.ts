// `npm run gen:api`: writes the web app's API types from the OpenAPI document, which is itself
// generated from the route schemas the server validates with. A test fails when the file is stale.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderApiTypes } from '../src/interfaces/server/api-types.js';

const target = fileURLToPath(new URL('../web/src/api/schema.d.ts', import.meta.url));
await writeFile(target, await renderApiTypes());
process.stdout.write(`wrote ${target}\n`);
