import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ALL_JOB_HANDLERS,
  ALL_JOB_SOURCES,
  ALL_ROUTES,
  MODULE_REGISTRY,
  MODULES,
  periodicTasks,
} from '../src/modules/index.js';
import type { Deps } from '../src/platform/context/index.js';

const MODULES_DIR = path.resolve(import.meta.dirname, '../src/modules');

describe('the module list', () => {
  it('lists every module folder once, by its folder name', async () => {
    const folders = (await readdir(MODULES_DIR, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(MODULES.map((m) => m.name).sort()).toEqual(folders.sort());
  });

  it('has each module index export exactly one definition and register nothing at import', async () => {
    for (const m of MODULES) {
      const source = await readFile(path.join(MODULES_DIR, m.name, 'index.ts'), 'utf8');
      expect(source.match(/export const \w+: ModuleDefinition\b/g), m.name).toHaveLength(1);
      // Belt and braces for the lint rule: a top-level register*/install* call is an import side effect.
      expect(
        source.split('\n').filter((line) => /^(register|install)[A-Z]\w*\(/.test(line)),
        m.name,
      ).toEqual([]);
    }
  });

  it('derives a catalog that names every permission a route checks, and no other resource twice', () => {
    const resources = MODULE_REGISTRY.permissions.map((p) => p.resource);
    expect(new Set(resources).size).toBe(resources.length);
    const checked = new Set(
      ALL_ROUTES.map((r) => r.permission).filter((p) => p !== 'public' && p !== 'authenticated'),
    );
    expect([...checked].filter((p) => !MODULE_REGISTRY.allPermissions.includes(p))).toEqual([]);
  });

  it('gives the built-in roles only permissions of the catalog', () => {
    for (const role of MODULE_REGISTRY.defaultRoles) {
      expect(
        role.permissions.filter((g) => !MODULE_REGISTRY.allPermissions.includes(g.permission)),
        role.key,
      ).toEqual([]);
    }
  });

  it('sends real-time events of every registered object, each read under a resource of the catalog', () => {
    const declared = [...MODULE_REGISTRY.objects.values()].map((o) => [o.key, o.resource]);
    const resources = MODULE_REGISTRY.permissions.map((p) => p.resource);
    expect(declared.filter(([, resource]) => !resources.includes(resource ?? ''))).toEqual([]);
    const dataPermissions = MODULES.flatMap((m) =>
      m.dataObjectsPermission ? [m.dataObjectsPermission] : [],
    );
    expect(dataPermissions.filter((p) => !resources.includes(p))).toEqual([]);
    expect(dataPermissions).toHaveLength(1);
    expect(declared.map(([type]) => type).sort()).toEqual([
      'activity',
      'company',
      'contact',
      'deal',
      'lead',
      'ticket',
    ]);
  });

  it('has a handler for the jobs of every job source, and runs each source and no user work as a sweep', () => {
    const handled = new Set(ALL_JOB_HANDLERS.map((h) => h.name));
    expect(ALL_JOB_SOURCES.map((s) => s.job).filter((name) => !handled.has(name))).toEqual([]);
    expect(ALL_JOB_SOURCES.map((s) => s.job).sort()).toEqual([
      'records.task-reminder',
      'sales.forecast-snapshot',
      'sales.unassigned-lead-reminder',
      'workflow.date-trigger',
    ]);
    // Binding the tasks runs nothing: the deps are only captured.
    const names = periodicTasks({} as Deps).map((task) => task.name);
    expect(names.filter((n) => n.endsWith('(source)'))).toHaveLength(ALL_JOB_SOURCES.length);
    // What stays a sweep is maintenance that keeps nobody's work waiting.
    expect(names.filter((n) => !n.endsWith('(source)')).sort()).toEqual([
      'automation.webhook-retention',
      'contacts.purge-trash',
      'objects.purge-record-trash',
      'sales.purge-lead-trash',
      'sales.purge-trash',
      'support.purge-ticket-trash',
    ]);
  });
});
