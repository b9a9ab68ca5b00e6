import { v7 as uuidv7 } from 'uuid';
import { createCtx, systemActor, type Deps } from '../../platform/context/index.js';
import { withTenant } from '../../platform/db/index.js';
import { listContacts } from '../contacts/index.js';
import type { SupportTables, TicketChannel, TicketPriority, TicketStatus } from './schema.js';
import { takeTicketNumbers } from './ticket-numbers.js';

const HOUR = 3_600_000;

/** What customers write in about, with a description an agent would recognise. */
const ISSUES: ReadonlyArray<[subject: string, description: string]> = [
  [
    'Cannot log in after password reset',
    'The reset link worked, but the new password is refused on the login page.',
  ],
  [
    'Invoice shows the wrong VAT number',
    "Our March invoice lists last year's VAT number; finance needs a corrected copy.",
  ],
  [
    'Export to CSV times out',
    'Exporting all contacts stops after about a minute with a blank page.',
  ],
  [
    'How do I add a second admin?',
    'We want our office manager to be able to invite people as well.',
  ],
  [
    'Emails from workflows land in spam',
    'Since Monday the welcome emails go to spam for gmail addresses.',
  ],
  ['Request: dark mode for reports', 'Several of us work late; the report pages are very bright.'],
  [
    'Duplicate contacts after import',
    'Importing the trade-show list created doubles of people we already had.',
  ],
  ['Upgrade to the Growth plan', 'We are ready to move 12 seats to Growth from next month.'],
  [
    'Webhook deliveries failing with 401',
    'Our endpoint rejects the calls since we rotated our gateway keys.',
  ],
  [
    'Phone numbers lose their country code',
    'Numbers typed as 030 1234567 show without +49 afterwards.',
  ],
  [
    'Calendar sync stopped',
    'Meetings booked since yesterday do not appear on the contact timeline.',
  ],
  [
    'Cancel our trial account',
    'We decided to stay with our current tool for now; please close the trial.',
  ],
  [
    'API rate limit too low for nightly sync',
    'Our nightly job hits 429s after about 2,000 requests.',
  ],
  ['Wrong owner on converted leads', 'Leads converted by Anna end up owned by the admin account.'],
  ['Typo in the lead form confirmation', 'The thank-you page says "recieved".'],
];

/**
 * The mix of a working support queue, oldest first: what came in long ago is solved or closed,
 * what came in lately still waits (so the numbers grow with time, as they do in real life).
 */
const PLAN: ReadonlyArray<[TicketStatus, TicketPriority, TicketChannel]> = [
  ['closed', 'low', 'web'],
  ['closed', 'normal', 'email'],
  ['solved', 'low', 'chat'],
  ['solved', 'normal', 'email'],
  ['solved', 'high', 'phone'],
  ['on_hold', 'normal', 'email'],
  ['pending', 'high', 'web'],
  ['pending', 'normal', 'email'],
  ['open', 'low', 'web'],
  ['open', 'urgent', 'api'],
  ['open', 'normal', 'phone'],
  ['open', 'high', 'email'],
  ['new', 'low', 'chat'],
  ['new', 'normal', 'web'],
  ['new', 'urgent', 'email'],
];

/**
 * Fills a demo organization with 15 tickets about its demo contacts (and their companies) across
 * every status, priority and channel; three wait unassigned in the queue, the rest are
 * `ownerId`'s. Written directly, like the other demo data: no events, so no workflow runs.
 */
export async function seedDemoTickets(
  deps: Deps,
  organizationId: string,
  ownerId: string,
  options: { teamId?: string } = {},
): Promise<string[]> {
  const ctx = createCtx(deps, systemActor(organizationId));
  const contacts = (await listContacts(ctx, { limit: '50', sort: 'createdAt' })).data;
  const now = deps.clock.now().getTime();
  return withTenant(deps.database.db, organizationId, async (tx) => {
    const numbers = await takeTicketNumbers(tx, organizationId, PLAN.length);
    const rows = PLAN.map(([status, priority, channel], i) => {
      const [subject, description] = ISSUES[i % ISSUES.length] ?? ['Question', null];
      const contact = contacts.length ? contacts[(i * 7) % contacts.length] : undefined;
      const created = new Date(now - (PLAN.length - i) * 9 * HOUR);
      const solved =
        status === 'solved' || status === 'closed' ? new Date(created.getTime() + 5 * HOUR) : null;
      return {
        organization_id: organizationId,
        id: uuidv7(),
        number: numbers[i] ?? i + 1,
        subject,
        description,
        status,
        priority,
        channel,
        contact_id: contact?.id ?? null,
        company_id: contact?.companyId ?? null,
        owner_id: i % 5 === 1 ? null : ownerId,
        team_id: options.teamId ?? null,
        tags: priority === 'urgent' ? ['escalated'] : i % 4 === 0 ? ['billing'] : [],
        solved_at: solved,
        closed_at: status === 'closed' && solved ? new Date(solved.getTime() + 48 * HOUR) : null,
        created_at: created,
        updated_at: solved ?? created,
      };
    });
    await tx.withTables<SupportTables>().insertInto('tickets').values(rows).execute();
    return rows.map((r) => r.id);
  });
}
