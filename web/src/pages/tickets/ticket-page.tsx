import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { toast } from 'sonner';
import { http, unwrap } from '../../api/http';
import { keys } from '../../api/keys';
import { teamsQuery } from '../../api/queries';
import { can, useMe } from '../../api/session';
import type { Ticket } from '../../api/types';
import { Badge, Card, formatDate } from '../../components/ui';
import { cn } from '../../lib/cn';
import { useRecordUpdate } from '../../lib/use-record-update';
import { useUsers } from '../../lib/use-users';
import { ActivityComposer, activitiesKey } from '../activity-composer';
import { customFieldSpec, type FieldSpec } from '../field-values';
import { RecordActivities } from '../record-activities';
import { FieldsPanel } from '../record-fields';
import { RecordHeader, RecordMissing, RecordSkeleton, useCustomFieldDefs } from '../record-page';
import { DeleteRecordButton } from '../objects/record-sections';
import { RunWorkflowMenu } from '../workflows/run-workflow-menu';
import {
  CHANNEL_WORDS,
  PRIORITY_TONE,
  PRIORITY_WORDS,
  STATUS_TONE,
  STATUS_WORDS,
  TICKET_CHANNELS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  ticketRef,
} from './ticket-words';

/** The standard fields of a ticket, editable in place where the user may change the ticket. */
function ticketFields(
  t: Ticket,
  options: { canPickOwner: boolean; teamName: string | null; readOnly: boolean },
): FieldSpec[] {
  const set = (key: string) => (value: unknown) => ({ [key]: value });
  const ro = options.readOnly;
  return [
    {
      path: 'subject',
      label: 'Subject',
      kind: 'text',
      value: t.subject,
      required: true,
      readOnly: ro,
      toPatch: set('subject'),
    },
    {
      path: 'priority',
      label: 'Priority',
      kind: 'select',
      value: t.priority,
      choices: TICKET_PRIORITIES,
      choiceLabels: PRIORITY_WORDS,
      required: true,
      readOnly: ro,
      toPatch: set('priority'),
    },
    {
      path: 'ownerId',
      label: 'Assignee',
      kind: 'user',
      value: t.ownerId,
      emptyText: 'Unassigned',
      readOnly: ro || !options.canPickOwner,
      toPatch: set('ownerId'),
    },
    {
      path: 'teamId',
      label: 'Team',
      kind: 'text',
      value: options.teamName,
      emptyText: 'No team',
      readOnly: true,
      toPatch: set('teamId'),
    },
    {
      path: 'contactId',
      label: 'Requester',
      kind: 'contact',
      value: t.contactId,
      readOnly: ro,
      toPatch: set('contactId'),
    },
    {
      path: 'companyId',
      label: 'Company',
      kind: 'company',
      value: t.companyId,
      readOnly: ro,
      toPatch: set('companyId'),
    },
    {
      path: 'channel',
      label: 'Came in by',
      kind: 'select',
      value: t.channel,
      choices: TICKET_CHANNELS,
      choiceLabels: CHANNEL_WORDS,
      required: true,
      readOnly: ro,
      toPatch: set('channel'),
    },
    {
      path: 'tags',
      label: 'Tags',
      kind: 'tags',
      value: t.tags,
      readOnly: ro,
      toPatch: set('tags'),
    },
    {
      path: 'createdAt',
      label: 'Opened',
      kind: 'datetime',
      value: t.createdAt,
      readOnly: true,
      toPatch: set('createdAt'),
    },
    {
      path: 'solvedAt',
      label: 'Solved',
      kind: 'datetime',
      value: t.solvedAt,
      readOnly: true,
      emptyText: 'Not yet',
      toPatch: set('solvedAt'),
    },
    {
      path: 'closedAt',
      label: 'Closed',
      kind: 'datetime',
      value: t.closedAt,
      readOnly: true,
      emptyText: 'Not yet',
      toPatch: set('closedAt'),
    },
  ];
}

/** Status as steps: click one to move the ticket there. A closed ticket stays closed (the API says why). */
function StatusSteps({
  ticket,
  disabled,
  onMove,
}: {
  ticket: Ticket;
  disabled: boolean;
  onMove: (status: Ticket['status']) => void;
}) {
  return (
    <nav aria-label="Status" className="flex flex-wrap gap-1" data-testid="ticket-status">
      {TICKET_STATUSES.map((s) => {
        const current = s === ticket.status;
        return (
          <button
            key={s}
            type="button"
            disabled={disabled || current || ticket.status === 'closed'}
            aria-current={current ? 'step' : undefined}
            onClick={() => onMove(s)}
            className={cn(
              'rounded-md border px-3 py-1.5 text-sm disabled:cursor-not-allowed',
              current
                ? 'border-accent bg-accent text-on-accent'
                : 'border-line bg-panel text-ink hover:bg-muted disabled:opacity-60 disabled:hover:bg-panel',
            )}
          >
            {STATUS_WORDS[s]}
          </button>
        );
      })}
    </nav>
  );
}

/** Who asked: the requester and their company, with the way to their records. */
function CustomerCard({
  contactId,
  companyId,
}: {
  contactId: string | null;
  companyId: string | null;
}) {
  const contact = useQuery({
    queryKey: keys.records('contacts').detail(contactId ?? ''),
    queryFn: () =>
      unwrap(http.GET('/api/v1/contacts/{id}', { params: { path: { id: contactId ?? '' } } })),
    enabled: Boolean(contactId),
  });
  const company = useQuery({
    queryKey: keys.records('companies').detail(companyId ?? ''),
    queryFn: () =>
      unwrap(http.GET('/api/v1/companies/{id}', { params: { path: { id: companyId ?? '' } } })),
    enabled: Boolean(companyId),
  });
  return (
    <Card className="p-4">
      <h2 className="mb-1 text-sm font-medium text-ink">Customer</h2>
      {!contactId && !companyId ? (
        <p className="text-sm text-ink-soft">
          No requester yet. Choose one under <strong className="font-medium">Requester</strong> in
          the details so workflows can write to them.
        </p>
      ) : (
        <dl className="grid gap-2 text-sm sm:grid-cols-2" data-testid="ticket-customer">
          {contactId ? (
            <div>
              <dt className="text-xs text-ink-soft">Requester</dt>
              <dd>
                {contact.data ? (
                  <>
                    <Link
                      className="font-medium text-accent underline decoration-accent/40 underline-offset-2 hover:decoration-accent"
                      to={`/contacts/${contact.data.id}`}
                    >
                      {contact.data.name}
                    </Link>
                    <span className="block text-ink-soft">
                      {contact.data.email ?? 'No email address'}
                    </span>
                  </>
                ) : contact.isPending ? (
                  '…'
                ) : (
                  'No longer available'
                )}
              </dd>
            </div>
          ) : null}
          {companyId ? (
            <div>
              <dt className="text-xs text-ink-soft">Company</dt>
              <dd>
                {company.data ? (
                  <Link
                    className="font-medium text-accent underline decoration-accent/40 underline-offset-2 hover:decoration-accent"
                    to={`/companies/${company.data.id}`}
                  >
                    {company.data.name}
                  </Link>
                ) : company.isPending ? (
                  '…'
                ) : (
                  'No longer available'
                )}
              </dd>
            </div>
          ) : null}
        </dl>
      )}
    </Card>
  );
}

function TicketView({ ticket: t }: { ticket: Ticket }) {
  const queryClient = useQueryClient();
  const me = useMe().data;
  const { nameOf, canPick } = useUsers();
  const defs = useCustomFieldDefs('ticket');
  const teams = useQuery({
    ...teamsQuery,
    enabled: Boolean(t.teamId) && can(me, 'teams:read'),
    staleTime: 5 * 60_000,
  });
  const save = useRecordUpdate('tickets', t);
  const [moving, setMoving] = useState(false);
  const mayUpdate = can(me, 'tickets:update');
  const teamName = t.teamId
    ? (teams.data?.data.find((x) => x.id === t.teamId)?.name ?? 'A team')
    : null;
  const moveTo = async (status: Ticket['status']) => {
    setMoving(true);
    const outcome = await save({ status }, 'status');
    setMoving(false);
    if (outcome.ok) toast.success(`${ticketRef(t)} is now ${STATUS_WORDS[status].toLowerCase()}`);
    else if (outcome.fieldError) toast.error(`Status ${outcome.fieldError}`);
  };
  const description: FieldSpec = {
    path: 'description',
    label: 'Description',
    kind: 'long_text',
    value: t.description,
    emptyText: mayUpdate ? 'Add what the customer reported' : 'No description',
    readOnly: !mayUpdate,
    toPatch: (v) => ({ description: v }),
  };
  return (
    <div className="mx-auto max-w-6xl space-y-4" data-testid="ticket-record">
      <RecordHeader
        back={{ to: '/tickets', label: 'Tickets' }}
        name={t.subject}
        badge={
          <>
            <Badge tone={STATUS_TONE[t.status]}>{STATUS_WORDS[t.status]}</Badge>
            <Badge tone={PRIORITY_TONE[t.priority]}>{PRIORITY_WORDS[t.priority]}</Badge>
          </>
        }
        lines={[
          `${ticketRef(t)} · opened ${formatDate(t.createdAt)} by ${CHANNEL_WORDS[t.channel].toLowerCase()}`,
          `Assignee: ${nameOf(t.ownerId) ?? 'nobody yet'}`,
        ]}
        actions={
          <>
            <RunWorkflowMenu object="ticket" recordId={t.id} />
            <DeleteRecordButton resource="tickets" record={t} title={t.subject} singular="Ticket" />
          </>
        }
      />
      <StatusSteps ticket={t} disabled={!mayUpdate || moving} onMove={(s) => void moveTo(s)} />
      {t.status === 'closed' ? (
        <p className="text-sm text-ink-soft">
          This ticket is closed and cannot be reopened; if the customer writes again, open a new
          ticket.
        </p>
      ) : null}
      <div className="grid items-start gap-4 lg:grid-cols-[24rem_minmax(0,1fr)]">
        <div className="space-y-4">
          <FieldsPanel
            title="Details"
            fields={ticketFields(t, { canPickOwner: canPick, teamName, readOnly: !mayUpdate })}
            onSave={save}
            idPrefix="ticket"
            testId="ticket-fields"
          />
          <FieldsPanel
            title="Custom fields"
            fields={(defs.data?.data ?? []).map((d) => ({
              ...customFieldSpec(d, t.customFields),
              readOnly: !mayUpdate,
            }))}
            onSave={save}
            idPrefix="ticket"
            loading={defs.isPending}
            empty={
              <p className="text-sm text-ink-soft">
                Your organization has no custom fields for tickets yet. An admin can add them (a
                product, an order number) with{' '}
                <code className="text-xs">POST /api/v1/custom-fields</code> and objectType ticket.
              </p>
            }
          />
        </div>
        <div className="min-w-0 space-y-4">
          <FieldsPanel
            title="What the customer reported"
            fields={[description]}
            onSave={save}
            idPrefix="ticket"
            testId="ticket-description"
          />
          <CustomerCard contactId={t.contactId} companyId={t.companyId} />
          {can(me, 'activities:create') ? (
            <Card className="p-4">
              <ActivityComposer
                target={{ objectType: 'ticket', recordId: t.id }}
                recordName={`ticket ${ticketRef(t)}`}
                onLogged={() =>
                  void queryClient.invalidateQueries({
                    queryKey: activitiesKey({ objectType: 'ticket', recordId: t.id }),
                  })
                }
              />
            </Card>
          ) : null}
          {can(me, 'activities:read') ? (
            <RecordActivities
              target={{ objectType: 'ticket', recordId: t.id }}
              timelineKey={keys.records('tickets').timeline(t.id)}
            />
          ) : null}
        </div>
      </div>
    </div>
  );
}

/** The ticket record page: status steps, editable details and custom fields, the customer, activities and the Run workflow menu. */
export default function TicketPage() {
  const { id = '' } = useParams();
  const ticket = useQuery({
    queryKey: keys.records('tickets').detail(id),
    queryFn: () => unwrap(http.GET('/api/v1/tickets/{id}', { params: { path: { id } } })),
  });
  if (ticket.isError)
    return <RecordMissing error={ticket.error} resource="tickets" singular="ticket" />;
  if (!ticket.data) return <RecordSkeleton />;
  return <TicketView ticket={ticket.data} />;
}
