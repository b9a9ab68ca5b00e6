import type { Selectable } from 'kysely';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { CONTACT_FIELDS } from './contact-fields.js';
import { CONTACT_JSON } from './contact-json.js';
import type { Address, ContactTable, EmailConsent, EmailEntry, PhoneEntry } from './schema.js';
import {
  type LoadOptions,
  matchesSql,
  recordLifecycle,
  type RecordListPage,
  type TextQuery,
} from '../records/index.js';

type ContactRow = Selectable<ContactTable>;

/** A contact as the API presents it. */
export interface Contact {
  id: string;
  firstName: string | null;
  lastName: string | null;
  name: string;
  email: string | null;
  emails: EmailEntry[];
  phone: string | null;
  phones: PhoneEntry[];
  title: string | null;
  companyId: string | null;
  ownerId: string | null;
  status: ContactRow['status'];
  source: string | null;
  tags: string[];
  address: Address | null;
  socialProfiles: Record<string, string>;
  emailConsent: EmailConsent;
  leadScore: number | null;
  lastContactedAt: string | null;
  customFields: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

/** Fields a client may set on a contact (already shape-validated at the edge; phones in E.164). */
export interface ContactInput {
  firstName?: string | null;
  lastName?: string | null;
  emails?: EmailEntry[];
  phones?: PhoneEntry[];
  title?: string | null;
  companyId?: string | null;
  ownerId?: string | null;
  status?: ContactRow['status'];
  source?: string | null;
  tags?: string[];
  address?: Address | null;
  socialProfiles?: Record<string, string>;
  emailConsent?: EmailConsent;
  customFields?: Record<string, unknown>;
}

export function presentContact(r: ContactRow): Contact {
  const name = [r.first_name, r.last_name].filter(Boolean).join(' ') || r.email || '(no name)';
  return {
    id: r.id,
    firstName: r.first_name,
    lastName: r.last_name,
    name,
    email: r.email,
    emails: r.emails,
    phone: r.phone,
    phones: r.phones,
    title: r.title,
    companyId: r.company_id,
    ownerId: r.owner_id,
    status: r.status,
    source: r.source,
    tags: r.tags,
    address: r.address,
    socialProfiles: r.social_profiles,
    emailConsent: r.email_consent,
    leadScore: r.lead_score,
    lastContactedAt: r.last_contacted_at?.toISOString() ?? null,
    customFields: r.custom_fields,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    deletedAt: r.deleted_at?.toISOString() ?? null,
  };
}

/** Exactly one primary entry; the first when none was marked. */
function withPrimary<T extends { primary: boolean }>(list: T[]): T[] {
  const i = Math.max(
    0,
    list.findIndex((e) => e.primary),
  );
  return list.map((e, j) => ({ ...e, primary: j === i }));
}

const primaryOf = <T extends { primary: boolean }>(
  list: T[],
  pick: (e: T) => string,
): string | null => {
  const p = list.find((e) => e.primary) ?? list[0];
  return p ? pick(p) : null;
};

/** The columns an input sets, with derived ones (primary email and phone) kept in step. */
export function contactColumns(
  input: ContactInput,
  customFields: Record<string, unknown> | undefined,
) {
  const emails = input.emails
    ? withPrimary(input.emails.map((e) => ({ ...e, email: e.email.toLowerCase() })))
    : undefined;
  const phones = input.phones ? withPrimary(input.phones) : undefined;
  return {
    ...(input.firstName !== undefined ? { first_name: input.firstName } : {}),
    ...(input.lastName !== undefined ? { last_name: input.lastName } : {}),
    ...(emails ? { emails: JSON.stringify(emails), email: primaryOf(emails, (e) => e.email) } : {}),
    ...(phones
      ? { phones: JSON.stringify(phones), phone: primaryOf(phones, (p) => p.number) }
      : {}),
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.companyId !== undefined ? { company_id: input.companyId } : {}),
    ...(input.ownerId !== undefined ? { owner_id: input.ownerId } : {}),
    ...(input.status !== undefined ? { status: input.status } : {}),
    ...(input.source !== undefined ? { source: input.source } : {}),
    ...(input.tags !== undefined
      ? { tags: [...new Set(input.tags.map((t) => t.trim()).filter(Boolean))] }
      : {}),
    ...(input.address !== undefined
      ? { address: input.address ? JSON.stringify(input.address) : null }
      : {}),
    ...(input.socialProfiles !== undefined
      ? { social_profiles: JSON.stringify(input.socialProfiles) }
      : {}),
    ...(input.emailConsent !== undefined
      ? { email_consent: JSON.stringify(input.emailConsent) }
      : {}),
    ...(customFields !== undefined ? { custom_fields: JSON.stringify(customFields) } : {}),
  };
}

const contacts = recordLifecycle<ContactRow, Contact, ContactInput>({
  key: 'contact',
  resource: 'contacts',
  label: 'Contact',
  table: 'contacts',
  mergeable: true,
  present: async (_ctx, _tx, rows) => rows.map(presentContact),
  presentJson: CONTACT_JSON,
  columns: (input) => contactColumns(input, undefined),
  references: (input) => [
    { field: 'ownerId', kind: 'user', id: input.ownerId },
    { field: 'companyId', kind: 'company', id: input.companyId },
  ],
  // The name is derived from the other fields: their changes already say it.
  auditOmit: ['name'],
  assignment: { label: (c) => c.name, ownerOf: (c) => c.ownerId },
  list: { fields: CONTACT_FIELDS, search: (q) => contactSearchSql(q) },
});

/** Creates a contact owned by `input.ownerId` or the actor. */
export const createContact = (ctx: Ctx, input: ContactInput): Promise<Contact> =>
  contacts.create(ctx, input);

/** Loads a contact the actor may read, or throws 404 (RECORD_MERGED for merged-away ids). */
export const loadContact = (
  ctx: Ctx,
  tx: Tx,
  id: string,
  options: LoadOptions = {},
): Promise<ContactRow> => contacts.load(ctx, tx, id, options);

export const getContact = (ctx: Ctx, id: string): Promise<Contact> => contacts.get(ctx, id);

/** Partly updates a contact; `expectedVersion` (from If-Match) makes a stale write a 412. */
export const updateContact = (
  ctx: Ctx,
  id: string,
  input: ContactInput,
  expectedVersion?: number,
): Promise<Contact> => contacts.update(ctx, id, input, expectedVersion);

/** Moves a contact to the trash (restorable for 30 days). */
export const deleteContact = (ctx: Ctx, id: string): Promise<void> => contacts.remove(ctx, id);

/** Brings a contact back from the trash. */
export const restoreContact = (ctx: Ctx, id: string): Promise<Contact> => contacts.restore(ctx, id);

/** A page of contacts the actor may read, with API.md's filters, sort, search and cursor. */
export const listContacts = (
  ctx: Ctx,
  rawQuery: Record<string, unknown>,
): Promise<RecordListPage<Contact>> => contacts.list(ctx, rawQuery);

/** `listContacts` as the HTTP list sends it: each contact's JSON built by PostgreSQL. */
export const listContactsAsJson = (ctx: Ctx, rawQuery: Record<string, unknown>) =>
  contacts.listAsJson(ctx, rawQuery);

/** Matches every word of a name, email or phone, as a prefix, typos corrected against known names. */
export const contactSearchSql = (q: TextQuery) => matchesSql('cerebro_words_contacts', q);
