import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Grant } from '../../platform/authz/index.js';
import { MODULE_REGISTRY } from '../index.js';
import {
  migrate,
  MIGRATIONS_DIR,
  openEmbeddedInMemory,
  sql,
  type Database,
} from '../../platform/db/index.js';

/**
 * Migration 0017 on an organization that existed before it: its built-in roles were written from
 * the templates of the time (no ticket grants except the support agent's), and an admin had
 * already widened one grant by hand.
 */
describe('migration 0017: ticket grants for existing roles', () => {
  let database: Database;
  let dir: string;
  const org = uuidv7();
  const withoutTickets = (grants: readonly Grant[]) =>
    grants.filter((g) => !g.permission.startsWith('tickets:'));
  const before: Record<string, Grant[]> = {
    admin: withoutTickets(
      MODULE_REGISTRY.defaultRoles.find((r) => r.key === 'admin')?.permissions ?? [],
    ),
    sales_rep: withoutTickets(
      MODULE_REGISTRY.defaultRoles.find((r) => r.key === 'sales_rep')?.permissions ?? [],
    ),
    marketing_specialist: withoutTickets(
      MODULE_REGISTRY.defaultRoles.find((r) => r.key === 'marketing_specialist')?.permissions ?? [],
    ),
    // The agent's template always had these; this organization's admin had opened reading to everyone.
    support_agent: [
      { permission: 'tickets:create', scope: 'team' },
      { permission: 'tickets:read', scope: 'all' },
      { permission: 'tickets:update', scope: 'team' },
    ],
    night_shift: [{ permission: 'contacts:read', scope: 'all' }],
  };

  beforeAll(async () => {
    database = await openEmbeddedInMemory();
    dir = await mkdtemp(path.join(tmpdir(), 'cerebro-0017-'));
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
    for (const f of files.filter((x) => x < '0017'))
      await copyFile(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
    await migrate(database.db, dir);
    await sql`insert into organizations (id, name, slug) values (${org}, 'Before', ${`before-${org}`})`.execute(
      database.db,
    );
    for (const [key, grants] of Object.entries(before)) {
      await sql`insert into roles (organization_id, id, key, name, is_system, permissions)
        values (${org}, ${uuidv7()}, ${key}, ${key}, ${key !== 'night_shift'}, ${JSON.stringify(grants)}::jsonb)`.execute(
        database.db,
      );
    }
    for (const f of files.filter((x) => x >= '0017'))
      await copyFile(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
    await migrate(database.db, dir);
  }, 120_000);
  afterAll(async () => {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  });

  const rolesNow = async () =>
    Object.fromEntries(
      (
        await sql<{
          key: string;
          permissions: Grant[];
        }>`select key, permissions from roles where organization_id = ${org}`.execute(database.db)
      ).rows.map((r) => [r.key, r.permissions]),
    );
  const ticketGrants = (grants: Grant[] | undefined) =>
    (grants ?? []).filter((g) => g.permission.startsWith('tickets:'));

  it('gives admins every ticket permission on all, and the other built-in roles what their templates now hold', async () => {
    const roles = await rolesNow();
    expect(ticketGrants(roles.admin)).toEqual(
      // 0026 adds tickets:export (admins at all, agents at team) to roles that existed before it.
      ['create', 'delete', 'export', 'read', 'update'].map((a) => ({
        permission: `tickets:${a}`,
        scope: 'all',
      })),
    );
    expect(ticketGrants(roles.sales_rep)).toEqual([
      { permission: 'tickets:create', scope: 'team' },
      { permission: 'tickets:read', scope: 'team' },
    ]);
    expect(ticketGrants(roles.marketing_specialist)).toEqual([]);
    const template =
      MODULE_REGISTRY.defaultRoles.find((r) => r.key === 'sales_rep')?.permissions ?? [];
    expect(ticketGrants(roles.sales_rep)).toEqual(
      ticketGrants([...template].sort((a, b) => (a.permission < b.permission ? -1 : 1))),
    );
  });

  it('keeps a scope an admin chose, adds only what is missing, leaves custom roles alone and keeps the grants it wrote sorted', async () => {
    const roles = await rolesNow();
    expect(ticketGrants(roles.support_agent)).toEqual([
      { permission: 'tickets:create', scope: 'team' },
      { permission: 'tickets:delete', scope: 'own' },
      { permission: 'tickets:export', scope: 'team' },
      { permission: 'tickets:read', scope: 'all' },
      { permission: 'tickets:update', scope: 'team' },
    ]);
    expect(roles.night_shift).toEqual(before.night_shift);
    for (const key of ['admin', 'sales_rep', 'support_agent']) {
      const names = (roles[key] ?? []).map((g) => g.permission);
      expect(names, key).toEqual([...names].sort());
      expect(new Set(names).size, key).toBe(names.length);
    }
    expect(roles.admin?.length).toBe((before.admin?.length ?? 0) + 5);
  });
});
