import type { Grant, Scope } from './index.js';

/**
 * Every resource and action a role can be granted. Modules that add a resource add it here;
 * roles are data, so admins decide who gets it.
 */
export const PERMISSION_CATALOG: ReadonlyArray<{ resource: string; actions: readonly string[] }> = [
  { resource: 'contacts', actions: ['read', 'create', 'update', 'delete', 'export'] },
  { resource: 'companies', actions: ['read', 'create', 'update', 'delete', 'export'] },
  { resource: 'activities', actions: ['read', 'create', 'update', 'delete'] },
  { resource: 'leads', actions: ['read', 'create', 'update', 'delete', 'export'] },
  { resource: 'deals', actions: ['read', 'create', 'update', 'delete', 'export'] },
  { resource: 'pipelines', actions: ['read', 'create', 'update', 'delete'] },
  { resource: 'products', actions: ['read', 'create', 'update', 'delete'] },
  { resource: 'quotas', actions: ['read', 'create', 'update', 'delete'] },
  { resource: 'tickets', actions: ['read', 'create', 'update', 'delete'] },
  { resource: 'campaigns', actions: ['read', 'create', 'update', 'delete'] },
  { resource: 'segments', actions: ['read', 'create', 'update', 'delete'] },
  { resource: 'email-templates', actions: ['read', 'create', 'update', 'delete'] },
  { resource: 'workflows', actions: ['read', 'create', 'update', 'delete'] },
  { resource: 'webhooks', actions: ['read', 'create', 'update', 'delete'] },
  { resource: 'reports', actions: ['read'] },
  { resource: 'users', actions: ['read', 'create', 'update', 'delete'] },
  { resource: 'roles', actions: ['read', 'create', 'update', 'delete'] },
  { resource: 'teams', actions: ['read', 'create', 'update', 'delete'] },
  { resource: 'api-keys', actions: ['read', 'create', 'delete'] },
  { resource: 'audit', actions: ['read'] },
  { resource: 'mailbox', actions: ['read'] },
  { resource: 'jobs', actions: ['read', 'update'] },
  { resource: 'settings', actions: ['read', 'update'] },
];

export const ALL_PERMISSIONS: readonly string[] = PERMISSION_CATALOG.flatMap((r) => r.actions.map((a) => `${r.resource}:${a}`));

/** A role every new organization starts with. */
export interface RoleTemplate {
  key: string;
  name: string;
  description: string;
  permissions: Grant[];
}

const grant = (scope: Scope, resources: readonly string[], actions: readonly string[]): Grant[] =>
  resources.flatMap((r) =>
    actions
      .filter((a) => PERMISSION_CATALOG.find((c) => c.resource === r)?.actions.includes(a))
      .map((a) => ({ permission: `${r}:${a}`, scope })),
  );

const SALES = ['contacts', 'companies', 'activities', 'leads', 'deals'];
const CRUD = ['read', 'create', 'update', 'delete', 'export'];
const DIRECTORY = [
  { permission: 'users:read', scope: 'all' as const },
  { permission: 'teams:read', scope: 'all' as const },
  { permission: 'pipelines:read', scope: 'all' as const },
  { permission: 'products:read', scope: 'all' as const },
];

/**
 * Defaults: reps see and edit their own records and their team's (deleting only their own),
 * managers act on their teams' records, admins on everything. Stored as data per organization.
 */
export const DEFAULT_ROLES: readonly RoleTemplate[] = [
  {
    key: 'admin',
    name: 'Admin',
    description: 'Everything, including users, roles, settings and the audit log',
    permissions: ALL_PERMISSIONS.map((permission) => ({ permission, scope: 'all' as const })),
  },
  {
    key: 'sales_manager',
    name: 'Sales manager',
    description: 'Their teams\' records, pipelines and reports',
    permissions: [
      ...grant('team', SALES, CRUD),
      ...grant('all', ['pipelines', 'products'], ['read', 'create', 'update']),
      ...grant('team', ['quotas'], ['read', 'create', 'update', 'delete']),
      // Sales sees and raises their customers' issues; support works them.
      ...grant('team', ['tickets'], ['read', 'create']),
      { permission: 'reports:read', scope: 'team' },
      { permission: 'users:read', scope: 'all' },
      { permission: 'teams:read', scope: 'all' },
      { permission: 'api-keys:read', scope: 'own' },
      { permission: 'api-keys:create', scope: 'own' },
      { permission: 'api-keys:delete', scope: 'own' },
    ],
  },
  {
    key: 'sales_rep',
    name: 'Sales rep',
    description: 'Their own and their team\'s records; deletes only their own',
    permissions: [
      ...grant('team', SALES, ['read', 'create', 'update']),
      ...grant('own', SALES, ['delete']),
      ...grant('own', ['quotas'], ['read']),
      ...grant('team', ['tickets'], ['read', 'create']),
      ...DIRECTORY,
      { permission: 'reports:read', scope: 'own' },
    ],
  },
  {
    key: 'marketing_specialist',
    name: 'Marketing specialist',
    description: 'Campaigns, segments and templates; reads contacts and companies',
    permissions: [
      ...grant('all', ['campaigns', 'segments', 'email-templates'], CRUD),
      ...grant('all', ['contacts', 'companies', 'leads'], ['read', 'export']),
      ...grant('team', ['leads'], ['create', 'update']),
      ...DIRECTORY,
      { permission: 'reports:read', scope: 'all' },
    ],
  },
  {
    key: 'support_agent',
    name: 'Support agent',
    description: 'Tickets; reads contacts and companies',
    permissions: [
      ...grant('team', ['tickets'], ['read', 'create', 'update']),
      ...grant('own', ['tickets'], ['delete']),
      ...grant('all', ['contacts', 'companies'], ['read']),
      ...grant('own', ['activities'], ['read', 'create', 'update']),
      ...DIRECTORY,
    ],
  },
];
