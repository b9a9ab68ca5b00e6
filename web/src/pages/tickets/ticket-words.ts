import type { Ticket } from '../../api/types';

/** The API's status, priority and channel codes, in the order people think of them. */
export const TICKET_STATUSES = [
  'new',
  'open',
  'pending',
  'on_hold',
  'solved',
  'closed',
] as const satisfies ReadonlyArray<Ticket['status']>;
export const TICKET_PRIORITIES = [
  'low',
  'normal',
  'high',
  'urgent',
] as const satisfies ReadonlyArray<Ticket['priority']>;
export const TICKET_CHANNELS = [
  'web',
  'email',
  'phone',
  'api',
  'chat',
] as const satisfies ReadonlyArray<Ticket['channel']>;

export const STATUS_WORDS: Record<Ticket['status'], string> = {
  new: 'New',
  open: 'Open',
  pending: 'Pending',
  on_hold: 'On hold',
  solved: 'Solved',
  closed: 'Closed',
};
export const PRIORITY_WORDS: Record<Ticket['priority'], string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
};
export const CHANNEL_WORDS: Record<Ticket['channel'], string> = {
  web: 'Web',
  email: 'Email',
  phone: 'Phone',
  api: 'API',
  chat: 'Chat',
};

/** Badge tones: what waits on us stands out, what is done recedes. */
export const STATUS_TONE = {
  new: 'accent',
  open: 'accent',
  pending: 'neutral',
  on_hold: 'neutral',
  solved: 'success',
  closed: 'neutral',
} as const satisfies Record<Ticket['status'], string>;
export const PRIORITY_TONE = {
  low: 'neutral',
  normal: 'neutral',
  high: 'accent',
  urgent: 'danger',
} as const satisfies Record<Ticket['priority'], string>;

/** "#1042". */
export const ticketRef = (t: Pick<Ticket, 'number'>): string => `#${t.number}`;
