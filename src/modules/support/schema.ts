import type { ColumnType } from 'kysely';
import type { GeneratedTimestamp, Timestamp } from '../../platform/db/index.js';

/** A column with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;
/** A jsonb column with a database default. */
type DefaultedJson<T> = ColumnType<T, T | string | undefined, T | string>;

export const TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export const TICKET_CHANNELS = ['web', 'email', 'phone', 'api', 'chat'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];

export interface TicketTable {
  organization_id: string;
  id: string;
  number: number;
  subject: string;
  description: string | null;
  status: Defaulted<TicketStatus>;
  priority: Defaulted<TicketPriority>;
  channel: Defaulted<TicketChannel>;
  contact_id: string | null;
  company_id: string | null;
  owner_id: string | null;
  team_id: string | null;
  tags: Defaulted<string[]>;
  custom_fields: DefaultedJson<Record<string, unknown>>;
  solved_at: Timestamp | null;
  closed_at: Timestamp | null;
  first_response_at: Timestamp | null;
  version: Defaulted<number>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  deleted_at: Timestamp | null;
}

export interface TicketCounterTable {
  organization_id: string;
  last_number: number;
}

export interface TicketMergeMoveTable {
  organization_id: string;
  merge_id: string;
  ticket_id: string;
  link: 'contact' | 'company';
  from_id: string;
}

/**
 * The tables of the support module. Teams are identity's and only read here to check a
 * reference, the way sales reads them for leads.
 */
export type SupportTables = {
  tickets: TicketTable;
  ticket_counters: TicketCounterTable;
  ticket_merge_moves: TicketMergeMoveTable;
  teams: { organization_id: string; id: string; name: string };
};
