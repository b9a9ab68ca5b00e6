import type { Ticket } from '../../api/types';
import { Badge, Select } from '../../components/ui';
import { useUsers } from '../../lib/use-users';
import type { ListExtension } from '../objects/list-extension';
import type { ListState } from '../objects/list-query';
import { ObjectListRoute } from '../objects/object-list-route';
import { NewTicketDialog } from './new-ticket-dialog';
import { quickValue, UNSOLVED, withQuickValue } from './ticket-filters';
import {
  PRIORITY_TONE,
  PRIORITY_WORDS,
  STATUS_TONE,
  STATUS_WORDS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  ticketRef,
} from './ticket-words';

const isStatus = (v: unknown): v is Ticket['status'] => typeof v === 'string' && v in STATUS_WORDS;
const isPriority = (v: unknown): v is Ticket['priority'] =>
  typeof v === 'string' && v in PRIORITY_WORDS;

/** The assignee by name; an empty one reads "Unassigned", which is what a queue needs to see. */
function Assignee({ id }: { id: unknown }) {
  const { nameOf } = useUsers();
  const name = typeof id === 'string' ? nameOf(id) : null;
  return name ? (
    <span className="block truncate">{name}</span>
  ) : (
    <span className="text-ink-soft">Unassigned</span>
  );
}

/** Status and priority as the quick filters a support queue uses most, kept in the URL. */
function QuickFilters({ state, onState }: { state: ListState; onState: (s: ListState) => void }) {
  const statuses = [UNSOLVED, ...TICKET_STATUSES];
  return (
    <>
      <Select
        aria-label="Status"
        className="w-40"
        value={quickValue(state, 'status', statuses)}
        onChange={(e) => onState(withQuickValue(state, 'status', e.target.value))}
        data-testid="ticket-status-filter"
      >
        <option value="">Any status</option>
        <option value={UNSOLVED}>Unsolved</option>
        {TICKET_STATUSES.map((s) => (
          <option key={s} value={s}>
            {STATUS_WORDS[s]}
          </option>
        ))}
      </Select>
      <Select
        aria-label="Priority"
        className="w-40"
        value={quickValue(state, 'priority', TICKET_PRIORITIES)}
        onChange={(e) => onState(withQuickValue(state, 'priority', e.target.value))}
        data-testid="ticket-priority-filter"
      >
        <option value="">Any priority</option>
        {TICKET_PRIORITIES.map((p) => (
          <option key={p} value={p}>
            {PRIORITY_WORDS[p]}
          </option>
        ))}
      </Select>
    </>
  );
}

/**
 * What tickets add to the generic record table: the "#1042" number, status and priority as
 * coloured chips, the assignee's queue wording, the status/priority quick filters and the New
 * ticket form (requester picker, channel). Defined once, so the table's columns stay memoized.
 */
const TICKET_LIST: ListExtension = {
  toolbar: (state, onState) => <QuickFilters state={state} onState={onState} />,
  cells: {
    number: (t) =>
      typeof t.number === 'number' ? (
        <span className="whitespace-nowrap text-ink-soft">{ticketRef({ number: t.number })}</span>
      ) : null,
    status: (t) =>
      isStatus(t.status) ? (
        <Badge tone={STATUS_TONE[t.status]}>{STATUS_WORDS[t.status]}</Badge>
      ) : null,
    priority: (t) =>
      isPriority(t.priority) ? (
        <Badge tone={PRIORITY_TONE[t.priority]}>{PRIORITY_WORDS[t.priority]}</Badge>
      ) : null,
    ownerId: (t) => <Assignee id={t.ownerId} />,
  },
  defaultColumns: ['number', 'subject', 'status', 'priority', 'contactId', 'ownerId', 'createdAt'],
  createDialog: (props) => <NewTicketDialog {...props} />,
};

/** The support queue (`/tickets`): the generic record table with what tickets add. */
export default function Tickets() {
  return <ObjectListRoute objectKey="ticket" extension={TICKET_LIST} />;
}
