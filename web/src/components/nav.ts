/** The sidebar: modules add their pages here. `permission` hides what the user cannot open. */
export const NAV: ReadonlyArray<{
  name: string;
  label: string;
  path: string;
  permission?: string;
}> = [
  { name: 'home', label: 'Home', path: '/' },
  { name: 'contacts', label: 'Contacts', path: '/contacts', permission: 'contacts:read' },
  { name: 'companies', label: 'Companies', path: '/companies', permission: 'companies:read' },
  { name: 'duplicates', label: 'Duplicates', path: '/duplicates', permission: 'contacts:read' },
  { name: 'leads', label: 'Leads', path: '/leads', permission: 'leads:read' },
  { name: 'deals', label: 'Deals', path: '/deals', permission: 'deals:read' },
  { name: 'sales', label: 'Sales dashboard', path: '/sales', permission: 'deals:read' },
  { name: 'tickets', label: 'Tickets', path: '/tickets', permission: 'tickets:read' },
  { name: 'workflows', label: 'Workflows', path: '/workflows', permission: 'workflows:read' },
  { name: 'trash', label: 'Trash', path: '/trash' },
  { name: 'settings', label: 'Settings', path: '/settings/profile' },
];
