import { NavLink, Outlet } from 'react-router';
import { can, useMe } from '../../api/session';
import { cn } from '../../lib/cn';

const SECTIONS = [
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
  { path: 'currencies', label: 'Currencies', permission: 'deals:read' },
  { path: 'pipelines', label: 'Pipelines', permission: 'pipelines:update' },
  { path: 'quotas', label: 'Quotas', permission: 'quotas:read' },
  { path: 'audit', label: 'Audit log', permission: 'audit:read' },
  { path: 'jobs', label: 'Background jobs', permission: 'jobs:read' },
  { path: 'mailbox', label: 'Dev mailbox', permission: 'mailbox:read' },
];

export default function SettingsLayout() {
  const me = useMe().data;
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6 lg:flex-row">
      <nav
        aria-label="Settings"
        className="flex shrink-0 gap-1 overflow-x-auto lg:w-52 lg:flex-col"
      >
        {SECTIONS.filter((s) => !s.permission || can(me, s.permission)).map((s) => (
          <NavLink
            key={s.path}
            to={s.path}
            data-testid={`settings-${s.path}`}
            className={({ isActive }) =>
              cn(
                'whitespace-nowrap rounded-md px-3 py-1.5 text-sm',
                isActive
                  ? 'bg-accent-soft font-medium text-accent'
                  : 'text-ink-soft hover:bg-muted hover:text-ink',
              )
            }
          >
            {s.label}
          </NavLink>
        ))}
      </nav>
      <div className="min-w-0 flex-1">
        <Outlet />
      </div>
    </div>
  );
}
