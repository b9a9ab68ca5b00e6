import { authorize } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { isDomainError } from '../../platform/errors/index.js';
import {
  assertConvertible,
  companyCandidates,
  contactCandidates,
  defaultDealName,
  findCompany,
  findContact,
  type CompanyMatch,
  type CompanySummary,
  type ContactMatch,
  type ContactSummary,
  type ConversionChoice,
} from './conversion-match.js';
import { baseCurrencyOf } from './exchange-rates.js';
import { guardOf } from './lead-access.js';
import { loadLead } from './leads.js';
import { defaultPipeline, type Pipeline } from './pipelines.js';

/** What converting the lead would do, with nothing written. */
export interface ConversionPreview {
  contact: ContactMatch & { candidates: ContactSummary[] };
  company: CompanyMatch & { candidates: CompanySummary[] };
  /** What a deal would get when the conversion names nothing else. */
  deal: {
    name: string;
    currency: string;
    ownerId: string | null;
    pipeline: { id: string; name: string } | null;
    stage: { id: string; name: string } | null;
  };
}

/** The default pipeline, or null: a preview still answers when deals cannot be opened yet. */
async function pipelineOrNull(ctx: Ctx, tx: Tx): Promise<Pipeline | null> {
  try {
    return await defaultPipeline(ctx, tx);
  } catch (err) {
    if (isDomainError(err) && err.code === 'SALES_NO_PIPELINE') return null;
    throw err;
  }
}

/**
 * Answers what POST /leads/{id}/convert with the same choice would do: the contact and company it
 * would use or create (the same find functions the conversion runs) with a few other plausible
 * ones to pick instead, and the deal's defaults. The same checks as the conversion: 404 when the
 * lead is not the actor's to see, 403 when not to change, 409 converted, 422 disqualified.
 */
export async function previewConversion(
  ctx: Ctx,
  id: string,
  choice: ConversionChoice,
): Promise<ConversionPreview> {
  return ctx.tx(async (tx) => {
    const lead = await loadLead(ctx, tx, id);
    authorize(ctx, 'leads:update', guardOf(lead));
    assertConvertible(lead);
    const company = await findCompany(ctx, lead, choice);
    const contact = await findContact(ctx, lead, choice);
    const pipeline = await pipelineOrNull(ctx, tx);
    const stage = pipeline?.stages.find((s) => s.kind === 'open') ?? null;
    return {
      contact: {
        ...contact,
        candidates: await contactCandidates(ctx, lead, contact.contact?.id ?? null),
      },
      company: {
        ...company,
        candidates: await companyCandidates(ctx, lead, company.company?.id ?? null),
      },
      deal: {
        name: defaultDealName(lead),
        currency: await baseCurrencyOf(tx, ctx.organizationId),
        ownerId: lead.owner_id,
        pipeline: pipeline ? { id: pipeline.id, name: pipeline.name } : null,
        stage: stage ? { id: stage.id, name: stage.name } : null,
      },
    };
  });
}
