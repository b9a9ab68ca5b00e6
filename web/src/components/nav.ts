/** The sidebar: modules add their pages here. `permission` hides what the user cannot open. */
export const NAV: ReadonlyArray<{
  name: string;
  label: string;
  path: string;
  permission?: string;
}> = [
  { name: 'home', label: 'Home', path: '/' },
  { name: 'tasks', label: 'Tasks', path: '/tasks', permission: 'activities:read' },
  { name: 'contacts', label: 'Contacts', path: '/contacts', permission: 'contacts:read' },
  { name: 'companies', label: 'Companies', path: '/companies', permission: 'companies:read' },
  { name: 'duplicates', label: 'Duplicates', path: '/duplicates', permission: 'contacts:read' },
  { name: 'leads', label: 'Leads', path: '/leads', permission: 'leads:read' },
  { name: 'deals', label: 'Deals', path: '/deals', permission: 'deals:read' },
  { name: 'sales', label: 'Sales dashboard', path: '/sales', permission: 'deals:read' },
  {
    name: 'insights',
    label: 'Insights',
    path: '/insights/predictions',
    permission: 'predictions:read',
  },
  { name: 'tickets', label: 'Tickets', path: '/tickets', permission: 'tickets:read' },
  { name: 'workflows', label: 'Workflows', path: '/workflows', permission: 'workflows:read' },
  { name: 'trash', label: 'Trash', path: '/trash' },
  { name: 'settings', label: 'Settings', path: '/settings/profile' },
];

/**
 * The objects with no page of their own above — an admin's custom objects, built-in objects kept
 * as data such as notes — in the order GET /objects lists them: the sidebar's "Objects" group and
 * the command palette offer each one's generic list (`/<resource>`).
 */
export function objectsWithoutPage<T extends { resource: string }>(objects: readonly T[]): T[] {
  const pages = new Set(NAV.map((n) => n.path));
  return objects.filter((o) => !pages.has(`/${o.resource}`));
}
