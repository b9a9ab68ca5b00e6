import { DomainError, errors } from '../../platform/errors/index.js';

/**
 * A closed ticket is history (its SLA and survey results are final): a follow-up is a new ticket.
 * Other fields stay editable, so tags and custom fields can still be tidied for reporting.
 */
export const ticketClosed = () =>
  errors.ruleViolated(
    'SUPPORT_TICKET_CLOSED',
    'A closed ticket cannot be reopened; open a new ticket for the follow-up',
    [{ path: 'status', message: 'cannot change once the ticket is closed' }],
  );

/** Creating (or reassigning) a ticket the actor could not read afterwards: there is nothing to hide, so 403. */
export const ticketOutOfScope = (permission: string, reason: string) =>
  new DomainError(
    'forbidden',
    'FORBIDDEN',
    `You may not create or assign tickets outside your scope (${permission}: ${reason})`,
    { details: { permission } },
  );
