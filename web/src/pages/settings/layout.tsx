import { NavLink, Outlet } from 'react-router';
import { can, useMe } from '../../api/session';
import { cn } from '../../lib/cn';
import { SETTINGS_SECTIONS as SECTIONS } from '../../components/settings-sections';

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
