import { useQuery, useQueryClient } from '@tanstack/react-query';
import { GitMerge } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { http, unwrap } from '../api/http';
import { keys } from '../api/keys';
import type { Contact } from '../api/types';
import { can, useMe } from '../api/session';
import { Badge, Button, Card } from '../components/ui';
import { useRecordUpdate } from '../lib/use-record-update';
import { useUsers } from '../lib/use-users';
import { ActivityComposer } from './activity-composer';
import { CONSENT_LABELS, STATUS_LABELS } from './choice-labels';
import { customFieldSpec, type FieldSpec } from './field-values';
import { MergeWith } from './merge-with';
import { PersonalDataActions } from './personal-data-actions';
import { RecordActivities } from './record-activities';
import { FieldsPanel } from './record-fields';
import { RecordName } from './record-links';
import { RecordHeader, RecordMissing, RecordSkeleton, useCustomFieldDefs } from './record-page';
import { DeleteRecordButton } from './objects/record-sections';
import { RunWorkflowMenu } from './workflows/run-workflow-menu';

const STATUSES = ['LEAD', 'PROSPECT', 'CUSTOMER', 'INACTIVE'] as const;
const STATUS_TONE = {
  LEAD: 'accent',
  PROSPECT: 'accent',
  CUSTOMER: 'success',
  INACTIVE: 'neutral',
} as const;
const ADDRESS_KEYS = [
  ['street', 'Street'],
  ['city', 'City'],
  ['region', 'Region'],
  ['postalCode', 'Postal code'],
  ['country', 'Country'],
] as const;
const SOCIAL_KEYS = [
  ['linkedin', 'LinkedIn'],
  ['x', 'X'],
  ['twitter', 'Twitter'],
  ['github', 'GitHub'],
  ['facebook', 'Facebook'],
  ['instagram', 'Instagram'],
  ['website', 'Website'],
] as const;

/** The standard fields of a contact, in the order people fill them in. */
function contactFields(c: Contact, canPickOwner: boolean): FieldSpec[] {
  const set = (key: string) => (value: unknown) => ({ [key]: value });
  const others = (list: Array<{ email?: string; number?: string; primary: boolean }>) =>
    list.filter((e) => !e.primary).map((e) => e.email ?? e.number ?? '');
  const fields: FieldSpec[] = [
    {
      path: 'firstName',
      label: 'First name',
      kind: 'text',
      value: c.firstName,
      toPatch: set('firstName'),
    },
    {
      path: 'lastName',
      label: 'Last name',
      kind: 'text',
      value: c.lastName,
      toPatch: set('lastName'),
    },
    { path: 'email', label: 'Email', kind: 'email', value: c.email, toPatch: set('email') },
    { path: 'phone', label: 'Phone', kind: 'phone', value: c.phone, toPatch: set('phone') },
    { path: 'title', label: 'Title', kind: 'text', value: c.title, toPatch: set('title') },
    {
      path: 'companyId',
      label: 'Company',
      kind: 'company',
      value: c.companyId,
      toPatch: set('companyId'),
    },
    {
      path: 'status',
      label: 'Status',
      kind: 'select',
      value: c.status,
      choices: STATUSES,
      choiceLabels: STATUS_LABELS,
      required: true,
      toPatch: set('status'),
    },
    {
      path: 'ownerId',
      label: 'Owner',
      kind: 'user',
      value: c.ownerId,
      readOnly: !canPickOwner,
      toPatch: set('ownerId'),
    },
    { path: 'source', label: 'Source', kind: 'text', value: c.source, toPatch: set('source') },
    { path: 'tags', label: 'Tags', kind: 'tags', value: c.tags, toPatch: set('tags') },
    {
      path: 'address',
      label: 'Address',
      kind: 'keyed',
      keys: ADDRESS_KEYS,
      value: c.address,
      toPatch: (v) => ({ address: v && typeof v === 'object' && Object.keys(v).length ? v : null }),
    },
    {
      path: 'socialProfiles',
      label: 'Profiles',
      kind: 'keyed',
      keys: SOCIAL_KEYS,
      value: c.socialProfiles,
      toPatch: set('socialProfiles'),
    },
    {
      path: 'emailConsent',
      label: 'Email consent',
      kind: 'select',
      value: c.emailConsent.status,
      choices: ['opted_in', 'opted_out', 'unknown'],
      choiceLabels: CONSENT_LABELS,
      required: true,
      toPatch: (v) => ({ emailConsent: { status: v } }),
    },
  ];
  const extraEmails = others(c.emails);
  const extraPhones = others(c.phones);
  if (extraEmails.length)
    fields.splice(3, 0, {
      path: 'emails',
      label: 'Other emails',
      kind: 'tags',
      value: extraEmails,
      readOnly: true,
      toPatch: set('emails'),
    });
  if (extraPhones.length)
    fields.splice(fields.findIndex((f) => f.path === 'phone') + 1, 0, {
      path: 'phones',
      label: 'Other phones',
      kind: 'tags',
      value: extraPhones,
      readOnly: true,
      toPatch: set('phones'),
    });
  return [
    ...fields,
    {
      path: 'leadScore',
      label: 'Lead score',
      kind: 'number',
      value: c.leadScore,
      readOnly: true,
      emptyText: 'Not scored yet',
      toPatch: set('leadScore'),
    },
    {
      path: 'lastContactedAt',
      label: 'Last contacted',
      kind: 'datetime',
      value: c.lastContactedAt,
      readOnly: true,
      emptyText: 'No call, email or meeting logged',
      toPatch: set('lastContactedAt'),
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

function CompanyCard({ companyId }: { companyId: string | null }) {
  const company = useQuery({
    queryKey: keys.records('companies').detail(companyId ?? ''),
    queryFn: () =>
      unwrap(http.GET('/api/v1/companies/{id}', { params: { path: { id: companyId ?? '' } } })),
    enabled: Boolean(companyId),
  });
  return (
    <Card className="p-4">
      <h2 className="mb-1 text-sm font-medium text-ink">Company</h2>
      {!companyId ? (
        <p className="text-sm text-ink-soft">
          Not linked to a company yet. Choose one under{' '}
          <strong className="font-medium">Company</strong> in the details to see it here.
        </p>
      ) : company.isPending ? (
        <div className="h-5 w-40 animate-pulse rounded bg-muted" />
      ) : company.data ? (
        <div className="text-sm" data-testid="contact-company">
          <Link
            to={`/companies/${company.data.id}`}
            className="font-medium text-accent underline decoration-accent/40 underline-offset-2 hover:decoration-accent"
          >
            {company.data.name}
          </Link>
          <p className="text-ink-soft">
            {[
              company.data.domain,
              company.data.industry,
              company.data.size ? `${company.data.size} people` : null,
            ]
              .filter(Boolean)
              .join(' · ') || 'No domain or industry recorded'}
          </p>
        </div>
      ) : (
        <p className="text-sm text-ink-soft">The linked company is no longer available.</p>
      )}
    </Card>
  );
}

function ContactView({ contact: c }: { contact: Contact }) {
  const queryClient = useQueryClient();
  const me = useMe().data;
  const { nameOf, canPick } = useUsers();
  const defs = useCustomFieldDefs('contact');
  const save = useRecordUpdate('contacts', c);
  const [merging, setMerging] = useState(false);
  const timelineKey = keys.records('contacts').timeline(c.id);
  const owner = nameOf(c.ownerId);
  const customFields = (defs.data?.data ?? []).map((d) => customFieldSpec(d, c.customFields));
  return (
    <div className="mx-auto max-w-6xl space-y-4" data-testid="contact-record">
      <RecordHeader
        back={{ to: '/contacts', label: 'Contacts' }}
        name={c.name}
        badge={<Badge tone={STATUS_TONE[c.status]}>{STATUS_LABELS[c.status]}</Badge>}
        lines={[
          c.title || c.companyId ? (
            <>
              {c.title}
              {c.title && c.companyId ? ' at ' : ''}
              {c.companyId ? <RecordName resource="companies" id={c.companyId} /> : null}
            </>
          ) : null,
          [c.email, owner ? `Owner: ${owner}` : 'No owner'].filter(Boolean).join(' · '),
        ]}
        actions={
          <>
            <RunWorkflowMenu object="contact" recordId={c.id} />
            {can(me, 'contacts:update') ? (
              <Button variant="secondary" onClick={() => setMerging(true)} data-testid="merge-with">
                <GitMerge size={15} aria-hidden />
                Merge with…
              </Button>
            ) : null}
            <PersonalDataActions resource="contacts" id={c.id} name={c.name} />
            <DeleteRecordButton resource="contacts" record={c} title={c.name} singular="Contact" />
          </>
        }
      />
      <div className="grid items-start gap-4 lg:grid-cols-[24rem_minmax(0,1fr)]">
        <div className="space-y-4">
          <FieldsPanel
            title="Details"
            fields={contactFields(c, canPick)}
            onSave={save}
            idPrefix="contact"
            testId="contact-fields"
          />
          <FieldsPanel
            title="Custom fields"
            fields={customFields}
            onSave={save}
            idPrefix="contact"
            testId="contact-custom-fields"
            loading={defs.isPending}
            empty={
              <p className="text-sm text-ink-soft">
                Your organization has no custom fields for contacts yet. An admin can add them (a
                renewal date, a plan, a segment) with{' '}
                <code className="text-xs">POST /api/v1/custom-fields</code>; they then show here,
                editable like the rest.
              </p>
            }
          />
        </div>
        <div className="min-w-0 space-y-4">
          <CompanyCard companyId={c.companyId} />
          <Card className="p-4">
            <ActivityComposer
              target={{ objectType: 'contact', recordId: c.id }}
              recordName={c.name}
              onLogged={() => void queryClient.invalidateQueries({ queryKey: timelineKey })}
            />
          </Card>
          <RecordActivities
            target={{ objectType: 'contact', recordId: c.id }}
            timelineKey={timelineKey}
            timelineOf={{ resource: 'contacts', id: c.id }}
          />
        </div>
      </div>
      <MergeWith open={merging} onOpenChange={setMerging} kind="contact" record={c} />
    </div>
  );
}

/** The contact record page: header, editable standard and custom fields, company, activities and history. */
export function ContactRecord({ id }: { id: string }) {
  const contact = useQuery({
    queryKey: keys.records('contacts').detail(id),
    queryFn: () => unwrap(http.GET('/api/v1/contacts/{id}', { params: { path: { id } } })),
  });
  if (contact.isError)
    return <RecordMissing error={contact.error} resource="contacts" singular="contact" />;
  if (!contact.data) return <RecordSkeleton />;
  return <ContactView contact={contact.data} />;
}
