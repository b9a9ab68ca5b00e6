import { describe, expect, it } from 'vitest';
import { DomainError } from '../../platform/errors/index.js';
import type { TicketStatus } from './schema.js';
import { statusStamps } from './ticket-status.js';

const T0 = new Date('2025-03-01T09:00:00Z');
const T1 = new Date('2025-03-02T09:00:00Z');
const at = (status: TicketStatus, solved: Date | null = null, closed: Date | null = null) => ({
  status,
  solved_at: solved,
  closed_at: closed,
});

describe('ticket status times', () => {
  it('stamps the solved time when a ticket is solved, and not before', () => {
    expect(statusStamps(null, 'new', T0)).toEqual({ solved_at: null, closed_at: null });
    expect(statusStamps(at('open'), 'pending', T1)).toEqual({ solved_at: null, closed_at: null });
    expect(statusStamps(at('open'), 'solved', T1)).toEqual({ solved_at: T1, closed_at: null });
    expect(statusStamps(null, 'solved', T0)).toEqual({ solved_at: T0, closed_at: null });
  });

  it('clears the solved time when a solved ticket is reopened, so the next solve counts from then', () => {
    expect(statusStamps(at('solved', T0), 'open', T1)).toEqual({
      solved_at: null,
      closed_at: null,
    });
  });

  it('keeps the solved time on closing, and sets it when a ticket is closed unsolved', () => {
    expect(statusStamps(at('solved', T0), 'closed', T1)).toEqual({ solved_at: T0, closed_at: T1 });
    expect(statusStamps(at('pending'), 'closed', T1)).toEqual({ solved_at: T1, closed_at: T1 });
  });

  it('leaves the times alone when the status stays', () => {
    expect(statusStamps(at('solved', T0), 'solved', T1)).toEqual({
      solved_at: T0,
      closed_at: null,
    });
    expect(statusStamps(at('closed', T0, T0), 'closed', T1)).toEqual({
      solved_at: T0,
      closed_at: T0,
    });
  });

  it('refuses to reopen a closed ticket with 422 naming the status', () => {
    for (const next of ['new', 'open', 'pending', 'on_hold', 'solved'] as const) {
      try {
        statusStamps(at('closed', T0, T0), next, T1);
        expect.unreachable(`closed → ${next} was allowed`);
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
        expect(e).toMatchObject({
          kind: 'rule_violated',
          code: 'SUPPORT_TICKET_CLOSED',
          details: [{ path: 'status' }],
        });
      }
    }
  });
});
