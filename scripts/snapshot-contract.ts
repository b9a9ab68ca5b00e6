// `tsx scripts/snapshot-contract.ts <dir>`: writes the OpenAPI document and every built-in object's
// described fields (as `GET /api/v1/objects` answers them) as JSON, so a refactor of how schemas are
// declared can be diffed against the contract before it (`diff -r before/ after/`).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ALL_ROUTES, MODULE_REGISTRY } from '../src/modules/index.js';
import { buildOpenApi } from '../src/platform/http/openapi.js';
import { bulkOfDefinition, describeFields } from '../src/platform/objects/index.js';

/** A copy with every object's keys in alphabetical order. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
  );
}

const dir = process.argv[2];
if (!dir) throw new Error('usage: tsx scripts/snapshot-contract.ts <output directory>');
await mkdir(dir, { recursive: true });
const document = buildOpenApi(ALL_ROUTES, { version: '0.1.0', serverUrl: '/' });
await writeFile(join(dir, 'openapi.json'), `${JSON.stringify(document, null, 2)}\n`);
for (const def of MODULE_REGISTRY.objects.values()) {
  const described = {
    fields: describeFields(def),
    bulk: bulkOfDefinition(def),
    // Sorted: which filters and sorts a list takes matters, not the order they were declared in.
    listFields: sorted(def.listFields),
  };
  await writeFile(join(dir, `object-${def.key}.json`), `${JSON.stringify(described, null, 2)}\n`);
}
process.stdout.write(`wrote ${dir}\n`);
