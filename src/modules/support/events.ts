/** Domain events of tickets (API.md: `resource.verb`), written to the outbox with the change. */
export const TICKET_EVENTS = {
  /** Payload `{ ticket }`. */
  created: 'ticket.created',
  /** Payload `{ ticket, changes }`: the fields that changed, `{ from, to }` each (as the audit diff). */
  updated: 'ticket.updated',
  /** Payload `{ id, ownerId, teamId }`: enough for real time to tell who could see it. */
  deleted: 'ticket.deleted',
  /** Payload `{ ticket }`. */
  restored: 'ticket.restored',
  /** The assignee was set or changed (on create or update). */
  assigned: 'ticket.assigned',
} as const;

/** The ticket's own fields of `ticket.assigned`, besides the common ones every `<record>.assigned` carries (platform/outbox AssignedPayload). */
export interface TicketAssignedPayload {
  ticketId: string;
  number: number;
  subject: string;
  ownerId: string | null;
  previousOwnerId: string | null;
  teamId: string | null;
  /** The user who assigned it (null for the system, e.g. a workflow): nobody is notified of their own choice. */
  assignedBy: string | null;
}
