import type { TicketStatus } from './schema.js';
import { ticketClosed } from './errors.js';

/** Statuses that count as resolved: the ticket has a solved time. */
const RESOLVED: ReadonlySet<TicketStatus> = new Set(['solved', 'closed']);

/** When a ticket was solved and closed. */
export interface StatusStamps {
  solved_at: Date | null;
  closed_at: Date | null;
}

/**
 * The solved and closed times after a status change (or on create, when `current` is null).
 * Solving stamps `solved_at`; reopening a solved ticket clears it, so the next solve counts from
 * then; closing stamps `closed_at` and keeps the solved time, or sets it when the ticket was never
 * solved (closing implies solving). Leaving `closed` is refused: 422 SUPPORT_TICKET_CLOSED.
 */
export function statusStamps(
  current: { status: TicketStatus; solved_at: Date | null; closed_at: Date | null } | null,
  next: TicketStatus,
  now: Date,
): StatusStamps {
  if (current?.status === 'closed' && next !== 'closed') throw ticketClosed();
  if (current && current.status === next)
    return { solved_at: current.solved_at, closed_at: current.closed_at };
  const solvedAt = RESOLVED.has(next) ? (current?.solved_at ?? now) : null;
  return { solved_at: solvedAt, closed_at: next === 'closed' ? now : null };
}
