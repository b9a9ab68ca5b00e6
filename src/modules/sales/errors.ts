import { DomainError, errors } from '../../platform/errors/index.js';

/** Converting a lead a second time: it already points at its contact. */
export const leadAlreadyConverted = (contactId: string | null) =>
  errors.conflict('SALES_LEAD_ALREADY_CONVERTED', 'This lead was already converted', { contactId });

/** A disqualified lead is not converted by accident: it is requalified first. */
export const leadDisqualified = () =>
  errors.ruleViolated(
    'SALES_LEAD_DISQUALIFIED',
    'This lead is disqualified; change its status back before converting it',
    [{ path: 'status', message: 'is disqualified' }],
  );

/** A converted lead is history: its contact (and deal) carry the work on. */
export const leadConvertedReadOnly = () =>
  new DomainError(
    'conflict',
    'SALES_LEAD_CONVERTED',
    'A converted lead cannot be changed; edit its contact instead',
  );

/** `createDeal` asked for before any deal factory is registered. */

/** Lead capture and routing are configured by admins and team managers. */
export const routingForbidden = () =>
  new DomainError(
    'forbidden',
    'SALES_ROUTING_FORBIDDEN',
    'Only admins and team managers manage web forms and assignment rules',
  );

/** A form that does not exist or is switched off answers like a missing one. */
export const formNotFound = () => new DomainError('not_found', 'NOT_FOUND', 'Form not found');
