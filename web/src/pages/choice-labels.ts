/** Words for a contact's status codes, as the record page and the merge dialog show them. */
export const STATUS_LABELS = {
  LEAD: 'Lead',
  PROSPECT: 'Prospect',
  CUSTOMER: 'Customer',
  INACTIVE: 'Inactive',
} as const;

/** Words for a contact's email consent states. */
export const CONSENT_LABELS = {
  opted_in: 'Opted in',
  opted_out: 'Opted out',
  unknown: 'Not asked yet',
} as const;
