import { describe, expect, it } from 'vitest';
import type { Tx } from '../db/index.js';
import { buildModuleRegistry, type ModuleDefinition } from './index.js';

const tx = {} as Tx;

const crm: ModuleDefinition = {
  name: 'crm',
  permissions: [
    { resource: 'notes', actions: ['read', 'create', 'delete'] },
    { resource: 'tags', actions: ['read'] },
  ],
  defaultGrants: { sales_rep: [{ permission: 'notes:read', scope: 'team' }] },
  owners: { notes: async () => ({ ownerId: 'u1' }) },
};
const admin: ModuleDefinition = {
  name: 'admin',
  permissions: [{ resource: 'settings', actions: ['read', 'update'] }],
  defaultGrants: { sales_rep: [{ permission: 'settings:read', scope: 'all' }] },
};

describe('buildModuleRegistry', () => {
  it("joins the modules' permissions in list order and gives admins every one on all", () => {
    const registry = buildModuleRegistry([crm, admin]);
    expect(registry.permissions.map((p) => p.resource)).toEqual(['notes', 'tags', 'settings']);
    expect(registry.allPermissions).toEqual([
      'notes:read',
      'notes:create',
      'notes:delete',
      'tags:read',
      'settings:read',
      'settings:update',
    ]);
    const roles = new Map(registry.defaultRoles.map((r) => [r.key, r.permissions]));
    expect(roles.get('admin')).toEqual(
      registry.allPermissions.map((permission) => ({ permission, scope: 'all' })),
    );
    expect(roles.get('sales_rep')).toEqual([
      { permission: 'notes:read', scope: 'team' },
      { permission: 'settings:read', scope: 'all' },
    ]);
    // A role no module grants anything starts empty rather than missing.
    expect(roles.get('support_agent')).toEqual([]);
    expect([...registry.owners.keys()]).toEqual(['notes']);
  });

  it('runs organization setups and demo seeds in module order', async () => {
    const ran: string[] = [];
    const step = (name: string): ModuleDefinition => ({
      name,
      organizationSetup: async () => void ran.push(`setup:${name}`),
      demoSeed: async () => void ran.push(`seed:${name}`),
    });
    const registry = buildModuleRegistry([step('a'), { name: 'quiet' }, step('b')]);
    for (const setup of registry.organizationSetups) await setup(tx, 'org');
    for (const seed of registry.demoSeeds) await seed({} as never, 'org', 'admin');
    expect(ran).toEqual(['setup:a', 'setup:b', 'seed:a', 'seed:b']);
  });

  it('refuses a resource or an owner lookup declared by two modules', () => {
    expect(() =>
      buildModuleRegistry([
        crm,
        { name: 'copy', permissions: [{ resource: 'notes', actions: ['read'] }] },
      ]),
    ).toThrow('two modules declare the permission resource "notes"');
    expect(() =>
      buildModuleRegistry([crm, { name: 'copy', owners: { notes: async () => null } }]),
    ).toThrow('two modules declare the owner lookup "notes"');
  });
});
