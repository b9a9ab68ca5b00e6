import { v7 as uuidv7 } from 'uuid';
import { authorize } from '../../platform/authz/index.js';
import { fieldDiff } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import { emitAssigned } from '../../platform/outbox/index.js';
import { assertReferences } from '../../platform/references/index.js';
import { moveToTrash, takeOutOfTrash, type TrashTarget } from '../../platform/objects/index.js';
import { assertVersion, authorizeCreate, validatedCustomFields } from '../records/index.js';
import {
  chooseAssignee,
  organizationReminderMinutes,
  type Assignment,
  type LeadFacts,
} from './assignment.js';
import { leadConvertedReadOnly } from './errors.js';
import { LEAD_EVENTS, type LeadAssignedPayload } from './events.js';
import { guardOf, loadLead, type LeadRow } from './lead-access.js';
import type { SETTABLE_LEAD_STATUSES } from './lead-schemas.js';
import type { LeadStatus, SalesTables } from './schema.js';

const LEAD_TRASH: TrashTarget = { table: 'leads', key: 'lead', label: 'Lead' };

const db = (tx: Tx) => tx.withTables<SalesTables>();

/** A lead as the API presents it. */
export interface Lead {
  id: string;
  /** Display name: the person, else the email, else the company. */
  name: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  companyName: string | null;
  title: string | null;
  country: string | null;
  companySize: string | null;
  notes: string | null;
  source: string | null;
  status: LeadStatus;
  disqualificationReason: string | null;
  ownerId: string | null;
  teamId: string | null;
  /** Set by lead scoring, never by clients. */
  score: number | null;
  tags: string[];
  customFields: Record<string, unknown>;
  formId: string | null;
  convertedAt: string | null;
  convertedContactId: string | null;
  convertedCompanyId: string | null;
  convertedDealId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

/** Fields a client may set on a lead (shape-validated at the edge; phone already in E.164). */
export interface LeadInput {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  companyName?: string | null;
  title?: string | null;
  country?: string | null;
  companySize?: string | null;
  notes?: string | null;
  source?: string | null;
  status?: (typeof SETTABLE_LEAD_STATUSES)[number];
  /** Required whenever the status is (or becomes) disqualified. */
  disqualificationReason?: string | null;
  /** Omitted: the assignment rules decide, else the creator. Null: the rules decide, else nobody. */
  ownerId?: string | null;
  teamId?: string | null;
  tags?: string[];
  customFields?: Record<string, unknown>;
}

/** Where a lead came from, when not typed in by a person. */
export interface LeadOrigin {
  formId?: string;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function presentLead(r: LeadRow): Lead {
  const name =
    [r.first_name, r.last_name].filter(Boolean).join(' ') ||
    r.email ||
    r.company_name ||
    '(no name)';
  return {
    id: r.id,
    name,
    firstName: r.first_name,
    lastName: r.last_name,
    email: r.email,
    phone: r.phone,
    companyName: r.company_name,
    title: r.title,
    country: r.country,
    companySize: r.company_size,
    notes: r.notes,
    source: r.source,
    status: r.status,
    disqualificationReason: r.disqualification_reason,
    ownerId: r.owner_id,
    teamId: r.team_id,
    score: r.score,
    tags: r.tags,
    customFields: r.custom_fields,
    formId: r.form_id,
    convertedAt: iso(r.converted_at),
    convertedContactId: r.converted_contact_id,
    convertedCompanyId: r.converted_company_id,
    convertedDealId: r.converted_deal_id,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    deletedAt: iso(r.deleted_at),
  };
}

/** The columns an input sets (emails lower-cased, tags trimmed and deduplicated). */
function leadColumns(input: LeadInput, customFields: Record<string, unknown> | undefined) {
  return {
    ...(input.firstName !== undefined ? { first_name: input.firstName } : {}),
    ...(input.lastName !== undefined ? { last_name: input.lastName } : {}),
    ...(input.email !== undefined ? { email: input.email?.toLowerCase() ?? null } : {}),
    ...(input.phone !== undefined ? { phone: input.phone } : {}),
    ...(input.companyName !== undefined ? { company_name: input.companyName } : {}),
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.country !== undefined ? { country: input.country } : {}),
    ...(input.companySize !== undefined ? { company_size: input.companySize } : {}),
    ...(input.notes !== undefined ? { notes: input.notes } : {}),
    ...(input.source !== undefined ? { source: input.source } : {}),
    ...(input.status !== undefined ? { status: input.status } : {}),
    ...(input.disqualificationReason !== undefined
      ? { disqualification_reason: input.disqualificationReason }
      : {}),
    ...(input.ownerId !== undefined ? { owner_id: input.ownerId } : {}),
    ...(input.teamId !== undefined ? { team_id: input.teamId } : {}),
    ...(input.tags !== undefined
      ? { tags: [...new Set(input.tags.map((t) => t.trim()).filter(Boolean))] }
      : {}),
    ...(customFields !== undefined ? { custom_fields: JSON.stringify(customFields) } : {}),
  };
}

/** The fields an audit diff shows (timestamps and versions are noise there). */
function auditable(l: Lead): Record<string, unknown> {
  const { version: _v, createdAt: _c, updatedAt: _u, name: _n, deletedAt: _d, ...rest } = l;
  return rest;
}

async function checkReferences(ctx: Ctx, tx: Tx, input: LeadInput): Promise<void> {
  await assertReferences(ctx, tx, [
    { field: 'ownerId', kind: 'user', id: input.ownerId },
    { field: 'teamId', kind: 'team', id: input.teamId },
  ]);
}

const factsOf = (input: LeadInput): LeadFacts => ({
  source: input.source ?? null,
  country: input.country ?? null,
  companySize: input.companySize ?? null,
  title: input.title ?? null,
  companyName: input.companyName ?? null,
  email: input.email ?? null,
  tags: input.tags ?? [],
  customFields: input.customFields ?? {},
});

/** When an unassigned lead's managers are to be told; null once it has an owner. */
async function reminderAt(
  ctx: Ctx,
  tx: Tx,
  ownerId: string | null,
  minutes: number | null,
): Promise<Date | null> {
  if (ownerId) return null;
  const wait = minutes ?? (await organizationReminderMinutes(tx, ctx.organizationId));
  return new Date(ctx.deps.clock.now().getTime() + wait * 60_000);
}

/** Announces the lead's owner as `lead.assigned`: the common assignment payload plus the lead's own fields. */
async function announceOwner(
  ctx: Ctx,
  tx: Tx,
  lead: Lead,
  payload: LeadAssignedPayload,
): Promise<void> {
  await emitAssigned(ctx, tx, {
    recordType: 'lead',
    recordId: lead.id,
    kind: 'lead',
    label: lead.name,
    ownerId: payload.ownerId,
    previousOwnerId: payload.previousOwnerId,
    extra: { ...payload },
  });
}

/** The given owner, else the rule's choice, else the creator (unless the input said null). */
function ownerFor(ctx: Ctx, input: LeadInput, chosen: Assignment | null): string | null {
  if (input.ownerId) return input.ownerId;
  if (chosen) return chosen.ownerId;
  return input.ownerId === undefined ? ctx.actor.userId : null;
}

/**
 * Creates a lead. Without an owner the assignment rules choose one (the first matching rule in
 * position order); when none matches, a person creating it owns it, a form's lead waits unassigned.
 */
export async function createLead(
  ctx: Ctx,
  input: LeadInput,
  origin: LeadOrigin = {},
): Promise<Lead> {
  authorize(ctx, 'leads:create');
  if (input.ownerId) authorizeCreate(ctx, 'leads:create', input.ownerId);
  return ctx.tx(async (tx) => {
    await checkReferences(ctx, tx, input);
    const custom = await validatedCustomFields(ctx, tx, 'lead', input.customFields, false);
    const chosen = input.ownerId ? null : await chooseAssignee(ctx, tx, factsOf(input));
    const ownerId = ownerFor(ctx, input, chosen);
    const teamId = chosen?.teamId ?? input.teamId ?? null;
    const row = await db(tx)
      .insertInto('leads')
      .values({
        organization_id: ctx.organizationId,
        id: uuidv7(),
        ...leadColumns({ ...input, ownerId, teamId }, custom ?? {}),
        form_id: origin.formId ?? null,
        assignment_rule_id: chosen?.ruleId ?? null,
        unassigned_remind_at: await reminderAt(ctx, tx, ownerId, chosen?.reminderMinutes ?? null),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const lead = presentLead(row);
    await ctx.audit(tx, {
      action: 'lead.created',
      targetType: 'lead',
      targetId: row.id,
      diff: fieldDiff(null, auditable(lead)),
    });
    await ctx.emit(tx, {
      type: LEAD_EVENTS.created,
      aggregateType: 'lead',
      aggregateId: row.id,
      payload: { lead },
    });
    if (ownerId)
      await announceOwner(ctx, tx, lead, {
        leadId: row.id,
        ownerId,
        previousOwnerId: null,
        teamId,
        ruleId: chosen?.ruleId ?? null,
      });
    return lead;
  });
}

export async function getLead(ctx: Ctx, id: string): Promise<Lead> {
  return ctx.tx(async (tx) => presentLead(await loadLead(ctx, tx, id)));
}

/** Partly updates a lead; `expectedVersion` (If-Match) makes a stale write a 412. */
export async function updateLead(
  ctx: Ctx,
  id: string,
  input: LeadInput,
  expectedVersion?: number,
): Promise<Lead> {
  return ctx.tx(async (tx) => {
    const current = await loadLead(ctx, tx, id, { forUpdate: true });
    authorize(ctx, 'leads:update', guardOf(current));
    assertVersion(expectedVersion, current.version);
    if (current.status === 'converted') throw leadConvertedReadOnly();
    const ownerChanged = input.ownerId !== undefined && input.ownerId !== current.owner_id;
    if (ownerChanged && input.ownerId) authorizeCreate(ctx, 'leads:update', input.ownerId);
    await checkReferences(ctx, tx, input);
    const reason =
      input.disqualificationReason !== undefined
        ? input.disqualificationReason
        : current.disqualification_reason;
    if ((input.status ?? current.status) === 'disqualified' && !reason) {
      throw errors.validation([
        { path: 'disqualificationReason', message: 'is required when the status is disqualified' },
      ]);
    }
    const custom = await validatedCustomFields(
      ctx,
      tx,
      'lead',
      input.customFields,
      true,
      current.custom_fields,
    );
    const reminder = ownerChanged
      ? {
          unassigned_remind_at: await reminderAt(ctx, tx, input.ownerId ?? null, null),
          unassigned_reminded_at: null,
          // A new wait, a new reminder: a job still queued for the old one finds it gone.
          unassigned_reminder_job_id: null,
        }
      : {};
    const row = await db(tx)
      .updateTable('leads')
      .set({
        ...leadColumns(input, custom),
        ...reminder,
        version: current.version + 1,
        updated_at: new Date(),
      })
      .where('organization_id', '=', ctx.organizationId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = presentLead(row);
    const diff = fieldDiff(auditable(presentLead(current)), auditable(after));
    await ctx.audit(tx, { action: 'lead.updated', targetType: 'lead', targetId: id, diff });
    await ctx.emit(tx, {
      type: LEAD_EVENTS.updated,
      aggregateType: 'lead',
      aggregateId: id,
      payload: { lead: after, changes: diff },
    });
    if (ownerChanged)
      await announceOwner(ctx, tx, after, {
        leadId: id,
        ownerId: row.owner_id,
        previousOwnerId: current.owner_id,
        teamId: row.team_id,
        ruleId: null,
      });
    return after;
  });
}

/** Moves a lead to the trash (restorable for 30 days). */
export async function deleteLead(ctx: Ctx, id: string): Promise<void> {
  await ctx.tx(async (tx) => {
    const current = await loadLead(ctx, tx, id, { forUpdate: true });
    authorize(ctx, 'leads:delete', guardOf(current));
    await moveToTrash(ctx, tx, LEAD_TRASH, current);
  });
}

/** Brings a lead back from the trash (the same codes as contacts: 409 when not deleted, 422 when expired). */
export async function restoreLead(ctx: Ctx, id: string): Promise<Lead> {
  return ctx.tx(async (tx) => {
    const current = await loadLead(ctx, tx, id, { forUpdate: true, includeDeleted: true });
    authorize(ctx, 'leads:delete', guardOf(current));
    return takeOutOfTrash(ctx, tx, LEAD_TRASH, current, async () =>
      presentLead(await loadLead(ctx, tx, id)),
    );
  });
}
