import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors } from '../../platform/errors/index.js';
import {
  authorizeCreate,
  recordLifecycle,
  type LifecycleHooks,
  type LoadOptions,
  type RecordListPage,
} from '../records/index.js';
import {
  chooseAssignee,
  organizationReminderMinutes,
  type Assignment,
  type LeadFacts,
} from './assignment.js';
import { leadConvertedReadOnly } from './errors.js';
import type { LeadAssignedPayload } from './events.js';
import { guardOf, type LeadRow } from './lead-access.js';
import { LEAD_FIELDS } from './lead-fields.js';
import type { SETTABLE_LEAD_STATUSES } from './lead-fields.js';
import { leadSearchSql } from './lead-search.js';
import type { LeadStatus } from './schema.js';

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
function leadColumns(input: LeadInput) {
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
  };
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

/** The given owner, else the rule's choice, else the creator (unless the input said null). */
function ownerFor(ctx: Ctx, input: LeadInput, chosen: Assignment | null): string | null {
  if (input.ownerId) return input.ownerId;
  if (chosen) return chosen.ownerId;
  return input.ownerId === undefined ? ctx.actor.userId : null;
}

type NewLead = LeadInput & LeadOrigin;

/** Leads' own rules around the shared lifecycle: assignment rules, reminders, disqualification. */
const LEAD_HOOKS: LifecycleHooks<LeadRow, Lead, NewLead> = {
  async beforeCreate(ctx, tx, input) {
    const chosen = input.ownerId ? null : await chooseAssignee(ctx, tx, factsOf(input));
    const ownerId = ownerFor(ctx, input, chosen);
    return {
      input: { ...input, ownerId, teamId: chosen?.teamId ?? input.teamId ?? null },
      columns: {
        form_id: input.formId ?? null,
        assignment_rule_id: chosen?.ruleId ?? null,
        unassigned_remind_at: await reminderAt(ctx, tx, ownerId, chosen?.reminderMinutes ?? null),
      },
    };
  },
  async beforeUpdate(ctx, tx, current, input) {
    if (current.status === 'converted') throw leadConvertedReadOnly();
    const reason =
      input.disqualificationReason !== undefined
        ? input.disqualificationReason
        : current.disqualification_reason;
    if ((input.status ?? current.status) === 'disqualified' && !reason) {
      throw errors.validation([
        { path: 'disqualificationReason', message: 'is required when the status is disqualified' },
      ]);
    }
    if (input.ownerId === undefined || input.ownerId === current.owner_id) return { input };
    // A new wait, a new reminder: a job still queued for the old one finds it gone.
    return {
      input,
      columns: {
        unassigned_remind_at: await reminderAt(ctx, tx, input.ownerId, null),
        unassigned_reminded_at: null,
        unassigned_reminder_job_id: null,
      },
    };
  },
};

const leads = recordLifecycle<LeadRow, Lead, NewLead>({
  key: 'lead',
  resource: 'leads',
  label: 'Lead',
  table: 'leads',
  mergeable: true,
  guard: guardOf,
  // Without an owner the assignment rules choose one (beforeCreate), so none is assumed here.
  defaultOwner: () => undefined,
  authorizeOwner: (ctx, action, ownerId) => {
    if (ownerId) authorizeCreate(ctx, `leads:${action}`, ownerId);
  },
  present: async (_ctx, _tx, rows) => rows.map(presentLead),
  columns: leadColumns,
  references: (input) => [
    { field: 'ownerId', kind: 'user', id: input.ownerId },
    { field: 'teamId', kind: 'team', id: input.teamId },
  ],
  auditOmit: ['name'],
  assignment: {
    label: (l) => l.name,
    ownerOf: (l) => l.ownerId,
    // Routing and the unassigned-lead reminders read every first owner, and the rule that chose it.
    announceEveryFirstOwner: true,
    extra: (_ctx, l, row, change) => {
      const payload: LeadAssignedPayload = {
        leadId: l.id,
        ownerId: l.ownerId,
        previousOwnerId: change.previousOwnerId,
        teamId: l.teamId,
        ruleId: change.created ? row.assignment_rule_id : null,
      };
      return { ...payload };
    },
  },
  list: { fields: LEAD_FIELDS, search: leadSearchSql, teamColumn: 'team_id' },
  hooks: LEAD_HOOKS,
});

/**
 * Creates a lead. Without an owner the assignment rules choose one (the first matching rule in
 * position order); when none matches, a person creating it owns it, a form's lead waits unassigned.
 */
export const createLead = (ctx: Ctx, input: LeadInput, origin: LeadOrigin = {}): Promise<Lead> =>
  leads.create(ctx, { ...input, ...origin });

/** Loads a lead the actor may read, or throws 404 (another organization's, missing, or in the trash). */
export const loadLead = (
  ctx: Ctx,
  tx: Tx,
  id: string,
  options: LoadOptions = {},
): Promise<LeadRow> => leads.load(ctx, tx, id, options);

export const getLead = (ctx: Ctx, id: string): Promise<Lead> => leads.get(ctx, id);

/** Partly updates a lead; `expectedVersion` (If-Match) makes a stale write a 412. */
export const updateLead = (
  ctx: Ctx,
  id: string,
  input: LeadInput,
  expectedVersion?: number,
): Promise<Lead> => leads.update(ctx, id, input, expectedVersion);

/** Moves a lead to the trash (restorable for 30 days). */
export const deleteLead = (ctx: Ctx, id: string): Promise<void> => leads.remove(ctx, id);

/** Brings a lead back from the trash (409 when it is not deleted, 422 once the 30 days are over). */
export const restoreLead = (ctx: Ctx, id: string): Promise<Lead> => leads.restore(ctx, id);

/**
 * A page of leads the actor may read, with API.md's filters, sort, search and cursor: owned within
 * the actor's scope, or (with team scope) waiting unassigned in one of their teams' queues.
 */
export const listLeads = (
  ctx: Ctx,
  rawQuery: Record<string, unknown>,
): Promise<RecordListPage<Lead>> => leads.list(ctx, rawQuery);
