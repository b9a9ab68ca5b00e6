import { openEmbeddedInMemory, migrate, withTenant, withoutTenant, sql } from '../src/platform/db/index.ts';
const t = Date.now();
const d = await openEmbeddedInMemory();
console.log(await migrate(d.db), Date.now() - t);
await d.db.insertInto('organizations').values({ id: '0190a000-0000-7000-8000-000000000001', name: 'A', slug: 'a', settings: {} }).execute();
console.log(await withoutTenant(d.db, (tx) => tx.selectFrom('organizations').selectAll().execute()));
console.log((await withTenant(d.db, '0190a000-0000-7000-8000-000000000001', (tx) => tx.selectFrom('organizations').select('name').execute())));
console.log(await migrate(d.db));
await d.close();
