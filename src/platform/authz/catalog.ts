import type { Grant, Scope } from './index.js';

/** One resource a role can be granted, with its actions (`contacts` → read, create, …). */
export interface PermissionEntry {
  resource: string;
  actions: readonly string[];
}

/**
 * Every resource and action a role can be granted. Each module declares its own entries
 * (`ModuleDefinition.permissions`); the module list joins them and hands the catalog to the
 * process through `deps.modules`. Roles are data, so admins decide who gets what.
 */
export type PermissionCatalog = readonly PermissionEntry[];

/** Every `resource:action` string of a catalog. */
export const permissionsOf = (catalog: PermissionCatalog): string[] =>
  catalog.flatMap((r) => r.actions.map((a) => `${r.resource}:${a}`));

/** The roles every new organization starts with; their grants come from the modules. */
export const DEFAULT_ROLE_KEYS = [
  'admin',
  'sales_manager',
  'sales_rep',
  'marketing_specialist',
  'support_agent',
] as const;
export type DefaultRoleKey = (typeof DEFAULT_ROLE_KEYS)[number];

/** A role every new organization starts with. */
export interface RoleTemplate {
  key: string;
  name: string;
  description: string;
  permissions: Grant[];
}

/**
 * What one module gives each built-in role of its own resources. Admins are left out: they get
 * every permission of the catalog on all records.
 */
export type DefaultGrants = Partial<Record<Exclude<DefaultRoleKey, 'admin'>, readonly Grant[]>>;

const ROLE_NAMES: Record<DefaultRoleKey, { name: string; description: string }> = {
  admin: {
    name: 'Admin',
    description: 'Everything, including users, roles, settings and the audit log',
  },
  sales_manager: {
    name: 'Sales manager',
    description: "Their teams' records, pipelines and reports",
  },
  sales_rep: {
    name: 'Sales rep',
    description: "Their own and their team's records; deletes only their own",
  },
  marketing_specialist: {
    name: 'Marketing specialist',
    description: 'Campaigns, segments and templates; reads contacts and companies',
  },
  support_agent: { name: 'Support agent', description: 'Tickets; reads contacts and companies' },
};

/**
 * A grant builder over one module's catalog entries: `grant('team', ['leads'], ['read'])`. An
 * action a resource does not have is skipped, so one action list serves several resources.
 */
export const grantsOver =
  (catalog: PermissionCatalog) =>
  (scope: Scope, resources: readonly string[], actions: readonly string[]): Grant[] =>
    resources.flatMap((r) =>
      actions
        .filter((a) => catalog.find((c) => c.resource === r)?.actions.includes(a))
        .map((a) => ({ permission: `${r}:${a}`, scope })),
    );

/**
 * The built-in roles: reps see and edit their own records and their team's (deleting only their
 * own), managers act on their teams' records, admins on everything. Stored as data per
 * organization when it is created.
 */
export function defaultRoles(
  catalog: PermissionCatalog,
  grants: readonly DefaultGrants[],
): RoleTemplate[] {
  return DEFAULT_ROLE_KEYS.map((key) => ({
    key,
    ...ROLE_NAMES[key],
    permissions:
      key === 'admin'
        ? permissionsOf(catalog).map((permission) => ({ permission, scope: 'all' as const }))
        : grants.flatMap((g) => g[key] ?? []),
  }));
}
