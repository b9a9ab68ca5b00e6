// A deal as the API answers it and what a client may send: its stage, parts and computed fields.
import type { Selectable } from 'kysely';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import {
  loadDealParts,
  type DealContact,
  type LineItem,
  type LineItemInput,
} from './deal-parts.js';
import type { Stage } from './pipelines.js';
import type { DealTable, SalesTables } from './schema.js';

const db = (tx: Tx) => tx.withTables<SalesTables>();
export type DealRow = Selectable<DealTable>;

export interface Deal {
  id: string;
  name: string;
  amount: number;
  currency: string;
  pipelineId: string;
  stageId: string;
  stage: { name: string; kind: Stage['kind'] };
  status: Stage['kind'];
  /** The deal's own probability when set, else its stage's. */
  probability: number;
  probabilityOverride: number | null;
  expectedCloseDate: string | null;
  ownerId: string | null;
  contactId: string | null;
  companyId: string | null;
  leadId: string | null;
  contacts: DealContact[];
  lineItems: LineItem[];
  lostReason: string | null;
  closedAt: string | null;
  stageEnteredAt: string;
  /** Sitting in an open stage longer than the stage's rotting days. */
  rotting: boolean;
  tags: string[];
  customFields: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface DealInput {
  name?: string;
  amount?: number;
  currency?: string;
  pipelineId?: string;
  stageId?: string;
  probability?: number | null;
  expectedCloseDate?: string | null;
  ownerId?: string | null;
  contactId?: string | null;
  companyId?: string | null;
  leadId?: string | null;
  contacts?: DealContact[];
  lineItems?: LineItemInput[];
  lostReason?: string | null;
  tags?: string[];
  customFields?: Record<string, unknown>;
}

const DAY_MS = 86_400_000;
export const isoDate = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

export function presentDeal(
  r: DealRow,
  stage: Stage,
  parts: { contacts: DealContact[]; lines: LineItem[] },
  now: Date,
): Deal {
  return {
    id: r.id,
    name: r.name,
    amount: Number(r.amount),
    currency: r.currency,
    pipelineId: r.pipeline_id,
    stageId: r.stage_id,
    stage: { name: stage.name, kind: stage.kind },
    status: stage.kind,
    probability: r.probability ?? stage.probability,
    probabilityOverride: r.probability,
    expectedCloseDate: isoDate(r.expected_close_date),
    ownerId: r.owner_id,
    contactId: r.contact_id,
    companyId: r.company_id,
    leadId: r.lead_id,
    contacts: parts.contacts,
    lineItems: parts.lines,
    lostReason: r.lost_reason,
    closedAt: r.closed_at?.toISOString() ?? null,
    stageEnteredAt: r.stage_entered_at.toISOString(),
    rotting:
      stage.kind === 'open' &&
      stage.rottingDays !== null &&
      now.getTime() - r.stage_entered_at.getTime() > stage.rottingDays * DAY_MS,
    tags: r.tags,
    customFields: r.custom_fields,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    deletedAt: r.deleted_at?.toISOString() ?? null,
  };
}

/** Every stage of the organization by id (deals of several pipelines can share a page). */
export async function stagesById(tx: Tx, organizationId: string): Promise<Map<string, Stage>> {
  const rows = await db(tx)
    .selectFrom('pipeline_stages')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .execute();
  return new Map(
    rows.map((s) => [
      s.id,
      {
        id: s.id,
        name: s.name,
        position: s.position,
        probability: s.probability,
        kind: s.kind,
        rottingDays: s.rotting_days,
        requiredFields: s.required_fields,
      },
    ]),
  );
}

export async function presentDeals(ctx: Ctx, tx: Tx, rows: DealRow[]): Promise<Deal[]> {
  const [stages, parts] = await Promise.all([
    stagesById(tx, ctx.organizationId),
    loadDealParts(
      tx,
      ctx.organizationId,
      rows.map((r) => r.id),
    ),
  ]);
  const now = ctx.deps.clock.now();
  return rows.map((r) => {
    const stage = stages.get(r.stage_id);
    if (!stage) throw new Error(`deal ${r.id} is in an unknown stage`);
    return presentDeal(
      r,
      stage,
      { contacts: parts.contacts.get(r.id) ?? [], lines: parts.lines.get(r.id) ?? [] },
      now,
    );
  });
}
