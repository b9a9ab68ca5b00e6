import { useQuery, useQueryClient } from '@tanstack/react-query';
import { GitMerge } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, type Page } from '../api/client';
import { can, useMe } from '../api/session';
import type { Company, Contact } from '../api/types';
import { Badge, Button, Card, Skeleton } from '../components/ui';
import { useRecordUpdate } from '../lib/use-record-update';
import { useUsers } from '../lib/use-users';
import { ActivityComposer } from './activity-composer';
import { STATUS_LABELS } from './choice-labels';
import { customFieldSpec, type FieldSpec } from './field-values';
import { MergeWith } from './merge-with';
import { RecordActivities } from './record-activities';
import { FieldsPanel } from './record-fields';
import { RecordName } from './record-links';
import { RecordHeader, RecordMissing, RecordSkeleton, useCustomFieldDefs } from './record-page';
import { RunWorkflowMenu } from './workflows/run-workflow-menu';

const ADDRESS_KEYS = [
  ['street', 'Street'],
  ['city', 'City'],
  ['region', 'Region'],
  ['postalCode', 'Postal code'],
  ['country', 'Country'],
] as const;

/** The standard fields of a company. */
function companyFields(c: Company, canPickOwner: boolean): FieldSpec[] {
  const set = (key: string) => (value: unknown) => ({ [key]: value });
  const currency = c.annualRevenue?.currency ?? 'USD';
  return [
    {
      path: 'name',
      label: 'Name',
      kind: 'text',
      value: c.name,
      required: true,
      toPatch: set('name'),
    },
    { path: 'domain', label: 'Domain', kind: 'text', value: c.domain, toPatch: set('domain') },
    { path: 'website', label: 'Website', kind: 'url', value: c.website, toPatch: set('website') },
    {
      path: 'industry',
      label: 'Industry',
      kind: 'text',
      value: c.industry,
      toPatch: set('industry'),
    },
    { path: 'size', label: 'Size', kind: 'text', value: c.size, toPatch: set('size') },
    // The API keeps revenue in minor units with its currency; the editor works in whole units.
    {
      path: 'annualRevenue',
      label: 'Annual revenue',
      kind: 'currency',
      currency,
      value: c.annualRevenue?.amount ?? null,
      toPatch: (v) => ({ annualRevenue: typeof v === 'number' ? { amount: v, currency } : null }),
    },
    { path: 'phone', label: 'Phone', kind: 'phone', value: c.phone, toPatch: set('phone') },
    {
      path: 'address',
      label: 'Address',
      kind: 'keyed',
      keys: ADDRESS_KEYS,
      value: c.address,
      toPatch: (v) => ({ address: v && typeof v === 'object' && Object.keys(v).length ? v : null }),
    },
    {
      path: 'parentId',
      label: 'Parent company',
      kind: 'company',
      value: c.parentId,
      toPatch: set('parentId'),
    },
    {
      path: 'ownerId',
      label: 'Owner',
      kind: 'user',
      value: c.ownerId,
      readOnly: !canPickOwner,
      toPatch: set('ownerId'),
    },
    {
      path: 'createdAt',
      label: 'Created',
      kind: 'datetime',
      value: c.createdAt,
      readOnly: true,
      toPatch: set('createdAt'),
    },
  ];
}

function CompanyContacts({ company }: { company: Company }) {
  const contacts = useQuery({
    queryKey: ['contacts', 'at-company', company.id],
    queryFn: () =>
      api<Page<Contact>>(
        'GET',
        `/contacts?filter[companyId]=${company.id}&limit=50&count=true&sort=lastName,firstName`,
      ),
  });
  const total = contacts.data?.meta.total ?? 0;
  return (
    <Card className="p-4">
      <h2 className="mb-2 text-sm font-medium text-ink">
        People{contacts.data ? ` (${total})` : ''}
      </h2>
      {contacts.isPending ? (
        <Skeleton rows={3} />
      ) : !contacts.data?.data.length ? (
        <p className="text-sm text-ink-soft">
          No contacts at {company.name} yet. Open a contact and choose this company under{' '}
          <strong className="font-medium">Company</strong>, or import contacts with a company
          column.
        </p>
      ) : (
        <ul className="divide-y divide-line text-sm" data-testid="company-contacts">
          {contacts.data.data.map((p) => (
            <li key={p.id} className="flex flex-wrap items-baseline gap-x-3 py-1.5">
              <Link to={`/contacts/${p.id}`} className="font-medium text-ink hover:text-accent">
                {p.name}
              </Link>
              <span className="min-w-0 flex-1 truncate text-ink-soft">
                {[p.title, p.email].filter(Boolean).join(' · ')}
              </span>
              <Badge>{STATUS_LABELS[p.status]}</Badge>
            </li>
          ))}
          {total > contacts.data.data.length ? (
            <li className="py-1.5 text-xs text-ink-soft">
              and {total - contacts.data.data.length} more; filter the contacts list by this company
              to see them all.
            </li>
          ) : null}
        </ul>
      )}
    </Card>
  );
}

function CompanyFamily({ company }: { company: Company }) {
  const children = useQuery({
    queryKey: ['companies', 'children', company.id],
    queryFn: () =>
      api<Page<Company>>('GET', `/companies?filter[parentId]=${company.id}&limit=50&sort=name`),
  });
  const subsidiaries = children.data?.data ?? [];
  // Most companies have neither a parent nor subsidiaries: then the card would only say so twice.
  if (!company.parentId && subsidiaries.length === 0) return null;
  return (
    <Card className="p-4">
      <h2 className="mb-2 text-sm font-medium text-ink">Company family</h2>
      <dl className="space-y-1.5 text-sm">
        {company.parentId ? (
          <div>
            <dt className="text-xs text-ink-soft">Parent company</dt>
            <dd>
              <RecordName resource="companies" id={company.parentId} />
            </dd>
          </div>
        ) : null}
        {subsidiaries.length ? (
          <div>
            <dt className="text-xs text-ink-soft">Subsidiaries</dt>
            <dd className="flex flex-wrap gap-x-3">
              {subsidiaries.map((s) => (
                <Link key={s.id} to={`/companies/${s.id}`} className="text-accent hover:underline">
                  {s.name}
                </Link>
              ))}
            </dd>
          </div>
        ) : null}
      </dl>
    </Card>
  );
}

function CompanyView({ company: c }: { company: Company }) {
  const queryClient = useQueryClient();
  const me = useMe().data;
  const { nameOf, canPick } = useUsers();
  const defs = useCustomFieldDefs('company');
  const save = useRecordUpdate('companies', c);
  const [merging, setMerging] = useState(false);
  const timelineKey = ['companies', c.id, 'timeline'];
  const owner = nameOf(c.ownerId);
  // Only http(s) becomes a link: a `javascript:` website stored before the API refused them must not run on click.
  const website =
    c.website && /^https?:\/\//i.test(c.website)
      ? c.website
      : c.domain
        ? `https://${c.domain}`
        : null;
  return (
    <div className="mx-auto max-w-6xl space-y-4" data-testid="company-record">
      <RecordHeader
        back={{ to: '/companies', label: 'Companies' }}
        name={c.name}
        badge={c.industry ? <Badge tone="accent">{c.industry}</Badge> : undefined}
        lines={[
          website || c.parentId ? (
            <>
              {website ? (
                <a
                  href={website}
                  target="_blank"
                  rel="noreferrer noopener"
                  className="text-accent hover:underline"
                >
                  {c.domain ?? website}
                </a>
              ) : null}
              {website && c.parentId ? ' · ' : ''}
              {c.parentId ? (
                <>
                  part of <RecordName resource="companies" id={c.parentId} />
                </>
              ) : null}
            </>
          ) : null,
          [c.size ? `${c.size} people` : null, owner ? `Owner: ${owner}` : 'No owner']
            .filter(Boolean)
            .join(' · '),
        ]}
        actions={
          <>
            <RunWorkflowMenu object="company" recordId={c.id} />
            {can(me, 'companies:update') ? (
              <Button variant="secondary" onClick={() => setMerging(true)} data-testid="merge-with">
                <GitMerge size={15} aria-hidden />
                Merge with…
              </Button>
            ) : null}
          </>
        }
      />
      <div className="grid items-start gap-4 lg:grid-cols-[24rem_minmax(0,1fr)]">
        <div className="space-y-4">
          <FieldsPanel
            title="Details"
            fields={companyFields(c, canPick)}
            onSave={save}
            idPrefix="company"
            testId="company-fields"
          />
          <FieldsPanel
            title="Custom fields"
            fields={(defs.data?.data ?? []).map((d) => customFieldSpec(d, c.customFields))}
            onSave={save}
            idPrefix="company"
            testId="company-custom-fields"
            loading={defs.isPending}
            empty={
              <p className="text-sm text-ink-soft">
                Your organization has no custom fields for companies yet. An admin can add them (a
                tier, a renewal date) with{' '}
                <code className="text-xs">POST /api/v1/custom-fields</code>; they then show here,
                editable like the rest.
              </p>
            }
          />
        </div>
        <div className="min-w-0 space-y-4">
          <CompanyContacts company={c} />
          <CompanyFamily company={c} />
          <Card className="p-4">
            <ActivityComposer
              link={{ companyId: c.id }}
              recordName={c.name}
              onLogged={() => void queryClient.invalidateQueries({ queryKey: timelineKey })}
            />
          </Card>
          <RecordActivities
            link="companyId"
            id={c.id}
            timelineKey={timelineKey}
            timelinePath={`/companies/${c.id}/timeline`}
          />
        </div>
      </div>
      <MergeWith open={merging} onOpenChange={setMerging} kind="company" record={c} />
    </div>
  );
}

/** The company record page: header, editable fields, its people, parent and subsidiaries, activities and timeline. */
export function CompanyRecord({ id }: { id: string }) {
  const company = useQuery({
    queryKey: ['companies', id],
    queryFn: () => api<Company>('GET', `/companies/${id}`),
  });
  if (company.isError)
    return <RecordMissing error={company.error} resource="companies" singular="company" />;
  if (!company.data) return <RecordSkeleton />;
  return <CompanyView company={company.data} />;
}
