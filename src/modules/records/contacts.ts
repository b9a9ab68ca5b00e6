import type { Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { authorize } from '../../platform/authz/index.js';
import { fieldDiff } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import type { FieldMap } from '../../platform/listing/index.js';
import { emitAssigned } from '../../platform/outbox/index.js';
import { listRecords } from './record-list.js';
import { matchesSql, type TextQuery } from './text-search.js';
import { validatedCustomFields } from './custom-fields.js';
import { recordMerged } from './errors.js';
import { assertReferences } from '../../platform/references/index.js';
import { moveToTrash, takeOutOfTrash, type TrashTarget } from '../../platform/objects/index.js';
import { assertVersion, authorizeCreate } from './record-access.js';
import type {
  Address,
  ContactTable,
  EmailConsent,
  EmailEntry,
  PhoneEntry,
  RecordsTables,
} from './schema.js';

const CONTACT_TRASH: TrashTarget = { table: 'contacts', key: 'contact', label: 'Contact' };

const db = (tx: Tx) => tx.withTables<RecordsTables>();
type ContactRow = Selectable<ContactTable>;

export const CONTACT_STATUSES = ['LEAD', 'PROSPECT', 'CUSTOMER', 'INACTIVE'] as const;

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

async function checkReferences(ctx: Ctx, tx: Tx, input: ContactInput): Promise<void> {
  await assertReferences(ctx, tx, [
    { field: 'ownerId', kind: 'user', id: input.ownerId },
    { field: 'companyId', kind: 'company', id: input.companyId },
  ]);
}

/** Creates a contact owned by `input.ownerId` or the actor. */
export async function createContact(ctx: Ctx, input: ContactInput): Promise<Contact> {
  const ownerId = input.ownerId === undefined ? ctx.actor.userId : input.ownerId;
  authorizeCreate(ctx, 'contacts:create', ownerId);
  return ctx.tx(async (tx) => {
    await checkReferences(ctx, tx, { ...input, ownerId });
    const custom = await validatedCustomFields(ctx, tx, 'contact', input.customFields, false);
    const row = await db(tx)
      .insertInto('contacts')
      .values({
        organization_id: ctx.organizationId,
        id: uuidv7(),
        ...contactColumns({ ...input, ownerId }, custom ?? {}),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const contact = presentContact(row);
    await ctx.audit(tx, {
      action: 'contact.created',
      targetType: 'contact',
      targetId: row.id,
      diff: fieldDiff(null, auditable(contact)),
    });
    await ctx.emit(tx, {
      type: 'contact.created',
      aggregateType: 'contact',
      aggregateId: row.id,
      payload: { contact },
    });
    await emitAssigned(
      ctx,
      tx,
      {
        recordType: 'contact',
        recordId: row.id,
        kind: 'contact',
        label: contact.name,
        ownerId: contact.ownerId,
        previousOwnerId: null,
      },
      { created: true },
    );
    return contact;
  });
}

/** The fields an audit diff shows (timestamps and versions are noise there). */
function auditable(c: Contact): Record<string, unknown> {
  const { version: _v, createdAt: _c, updatedAt: _u, name: _n, deletedAt: _d, ...rest } = c;
  return rest;
}

/** Loads a contact the actor may read, or throws 404 (RECORD_MERGED for merged-away ids). */
export async function loadContact(
  ctx: Ctx,
  tx: Tx,
  id: string,
  options: { forUpdate?: boolean; includeDeleted?: boolean } = {},
): Promise<ContactRow> {
  let q = db(tx)
    .selectFrom('contacts')
    .selectAll()
    .where('organization_id', '=', ctx.organizationId)
    .where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw errors.notFound('Contact');
  authorize(ctx, 'contacts:read', { ownerId: row.owner_id });
  if (row.merged_into) throw recordMerged('Contact', row.merged_into);
  if (row.deleted_at && !options.includeDeleted) throw errors.notFound('Contact');
  return row;
}

export async function getContact(ctx: Ctx, id: string): Promise<Contact> {
  return ctx.tx(async (tx) => presentContact(await loadContact(ctx, tx, id)));
}

/** Partly updates a contact; `expectedVersion` (from If-Match) makes a stale write a 412. */
export async function updateContact(
  ctx: Ctx,
  id: string,
  input: ContactInput,
  expectedVersion?: number,
): Promise<Contact> {
  return ctx.tx(async (tx) => {
    const current = await loadContact(ctx, tx, id, { forUpdate: true });
    authorize(ctx, 'contacts:update', { ownerId: current.owner_id });
    assertVersion(expectedVersion, current.version);
    if (input.ownerId !== undefined && input.ownerId !== current.owner_id)
      authorizeCreate(ctx, 'contacts:update', input.ownerId);
    await checkReferences(ctx, tx, input);
    const custom = await validatedCustomFields(
      ctx,
      tx,
      'contact',
      input.customFields,
      true,
      current.custom_fields,
    );
    const row = await db(tx)
      .updateTable('contacts')
      .set({
        ...contactColumns(input, custom),
        version: current.version + 1,
        updated_at: new Date(),
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const before = presentContact(current);
    const after = presentContact(row);
    const diff = fieldDiff(auditable(before), auditable(after));
    await ctx.audit(tx, { action: 'contact.updated', targetType: 'contact', targetId: id, diff });
    await ctx.emit(tx, {
      type: 'contact.updated',
      aggregateType: 'contact',
      aggregateId: id,
      payload: { contact: after, changes: diff },
    });
    await emitAssigned(ctx, tx, {
      recordType: 'contact',
      recordId: id,
      kind: 'contact',
      label: after.name,
      ownerId: after.ownerId,
      previousOwnerId: before.ownerId,
    });
    return after;
  });
}

/** Moves a contact to the trash (restorable for 30 days). */
export async function deleteContact(ctx: Ctx, id: string): Promise<void> {
  await ctx.tx(async (tx) => {
    const current = await loadContact(ctx, tx, id, { forUpdate: true });
    authorize(ctx, 'contacts:delete', { ownerId: current.owner_id });
    await moveToTrash(ctx, tx, CONTACT_TRASH, current);
  });
}

/** Brings a contact back from the trash. */
export async function restoreContact(ctx: Ctx, id: string): Promise<Contact> {
  return ctx.tx(async (tx) => {
    const current = await loadContact(ctx, tx, id, { forUpdate: true, includeDeleted: true });
    authorize(ctx, 'contacts:delete', { ownerId: current.owner_id });
    return takeOutOfTrash(ctx, tx, CONTACT_TRASH, current, async () =>
      presentContact(await loadContact(ctx, tx, id)),
    );
  });
}

/** The fields a contact list filters and sorts on (custom fields are added per organization). */
export const CONTACT_FIELDS: FieldMap = {
  firstName: { column: 'first_name', type: 'text' },
  lastName: { column: 'last_name', type: 'text' },
  email: { column: 'email', type: 'text' },
  phone: { column: 'phone', type: 'text' },
  title: { column: 'title', type: 'text' },
  status: { column: 'status', type: 'enum', values: CONTACT_STATUSES, notNull: true },
  source: { column: 'source', type: 'text' },
  tags: { column: 'tags', type: 'tags', sortable: false },
  ownerId: { column: 'owner_id', type: 'uuid' },
  companyId: { column: 'company_id', type: 'uuid' },
  leadScore: { column: 'lead_score', type: 'number' },
  lastContactedAt: { column: 'last_contacted_at', type: 'datetime' },
  createdAt: { column: 'created_at', type: 'datetime', notNull: true },
  updatedAt: { column: 'updated_at', type: 'datetime', notNull: true },
};

/** A page of contacts the actor may read, with API.md's filters, sort, search and cursor. */
export async function listContacts(
  ctx: Ctx,
  rawQuery: Record<string, unknown>,
): Promise<{ data: Contact[]; meta: { nextCursor: string | null; total?: number } }> {
  authorize(ctx, 'contacts:read');
  return ctx.tx(async (tx) => {
    const page = await listRecords<ContactRow>(
      ctx,
      tx,
      {
        table: 'contacts',
        objectType: 'contact',
        permission: 'contacts:read',
        mergeable: true,
        fields: CONTACT_FIELDS,
        search: contactSearchSql,
      },
      rawQuery,
    );
    return {
      data: page.rows.map(presentContact),
      meta: {
        nextCursor: page.nextCursor,
        ...(page.total !== undefined ? { total: page.total } : {}),
      },
    };
  });
}

/** Matches every word of a name, email or phone, as a prefix, typos corrected against known names. */
export const contactSearchSql = (q: TextQuery) => matchesSql('cerebro_words_contacts', q);
