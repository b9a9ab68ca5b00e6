/**
 * The settings pages (`/settings/<path>`), in the order the settings sidebar lists them; the command
 * palette offers the same ones. `permission` hides what the user cannot open.
 */
export const SETTINGS_SECTIONS: ReadonlyArray<{
  path: string;
  label: string;
  permission?: string;
}> = [
  { path: 'profile', label: 'Profile and security' },
  { path: 'users', label: 'Users and invitations', permission: 'users:read' },
  { path: 'roles', label: 'Roles and permissions', permission: 'roles:read' },
  { path: 'teams', label: 'Teams', permission: 'teams:read' },
  { path: 'objects', label: 'Objects and fields', permission: 'settings:update' },
  { path: 'api-keys', label: 'API keys', permission: 'api-keys:read' },
  { path: 'webhooks', label: 'Webhooks', permission: 'webhooks:read' },
  // Forms and rules place every new lead: admins (and team managers, by URL) set them up.
  { path: 'forms', label: 'Web forms', permission: 'settings:update' },
  { path: 'assignment-rules', label: 'Assignment rules', permission: 'settings:update' },
  { path: 'products', label: 'Products', permission: 'products:create' },
  { path: 'price-lists', label: 'Price lists', permission: 'products:create' },
  { path: 'currencies', label: 'Currencies', permission: 'deals:read' },
  { path: 'pipelines', label: 'Pipelines', permission: 'pipelines:update' },
  { path: 'quotas', label: 'Quotas', permission: 'quotas:read' },
  { path: 'audit', label: 'Audit log', permission: 'audit:read' },
  { path: 'jobs', label: 'Background jobs', permission: 'jobs:read' },
  { path: 'mailbox', label: 'Dev mailbox', permission: 'mailbox:read' },
];
