import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, type Page } from '../api/client';
import { can, useMe } from '../api/session';
import type { Company, Contact } from '../api/types';
import { Card } from '../components/ui';

export default function Home() {
  const me = useMe().data;
  const contacts = useQuery({
    queryKey: ['contacts', 'count'],
    queryFn: () => api<Page<Contact>>('GET', '/contacts?limit=1&count=true'),
    enabled: can(me, 'contacts:read'),
  });
  const companies = useQuery({
    queryKey: ['companies', 'count'],
    queryFn: () => api<Page<Company>>('GET', '/companies?limit=1&count=true'),
    enabled: can(me, 'companies:read'),
  });
  const stats = [
    { label: 'Contacts', value: contacts.data?.meta.total, to: '/contacts' },
    { label: 'Companies', value: companies.data?.meta.total, to: '/companies' },
  ];
  return (
    <div className="mx-auto max-w-5xl">
      <h1 className="text-xl font-semibold text-ink">
        Good to see you, {me?.user.name.split(' ')[0]}
      </h1>
      <p className="mt-1 text-sm text-ink-soft">{me?.organization.name}</p>
      <div className="mt-6 grid gap-4 sm:grid-cols-2">
        {stats.map((s) => (
          <Link
            key={s.label}
            to={s.to}
            className="rounded-lg border border-line bg-panel p-5 hover:border-accent/50"
          >
            <p className="text-sm text-ink-soft">{s.label}</p>
            <p className="mt-1 text-3xl font-semibold text-ink">{s.value ?? '—'}</p>
          </Link>
        ))}
      </div>
      <Card className="mt-6">
        <h2 className="font-medium text-ink">Getting started</h2>
        <ol className="mt-3 list-decimal space-y-1.5 pl-5 text-sm text-ink-soft">
          <li>
            <Link
              className="text-accent underline decoration-accent/40 underline-offset-2 hover:decoration-accent"
              to="/settings/users"
            >
              Invite your team
            </Link>{' '}
            and give each person a role.
          </li>
          <li>
            <Link
              className="text-accent underline decoration-accent/40 underline-offset-2 hover:decoration-accent"
              to="/contacts"
            >
              Add contacts
            </Link>{' '}
            or import them from a spreadsheet.
          </li>
          <li>
            <Link
              className="text-accent underline decoration-accent/40 underline-offset-2 hover:decoration-accent"
              to="/settings/profile"
            >
              Turn on two-step verification
            </Link>{' '}
            for your account.
          </li>
          <li>
            Press <kbd className="rounded border border-line bg-muted px-1 text-xs">Ctrl K</kbd>{' '}
            anywhere to search and jump around.
          </li>
        </ol>
      </Card>
    </div>
  );
}
