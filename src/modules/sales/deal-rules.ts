import { errors, type ErrorDetail } from '../../platform/errors/index.js';
import type { Stage } from './pipelines.js';

/** The deal fields a stage can require, as the API names them, read from a deal-to-be. */
export interface DealShape {
  amount: number;
  expectedCloseDate: string | null;
  contactId: string | null;
  companyId: string | null;
  ownerId: string | null;
  probability: number | null;
  lostReason: string | null;
  customFields: Record<string, unknown>;
}

const STANDARD: Record<string, (d: DealShape) => unknown> = {
  amount: (d) => (d.amount > 0 ? d.amount : null),
  expectedCloseDate: (d) => d.expectedCloseDate,
  contactId: (d) => d.contactId,
  companyId: (d) => d.companyId,
  ownerId: (d) => d.ownerId,
  probability: (d) => d.probability,
};

/** Field names a stage may list as required: the standard ones and `custom.<key>`. */
export function validRequiredField(name: string): boolean {
  return name in STANDARD || /^custom\.[a-z][a-zA-Z0-9_]*$/.test(name);
}

const empty = (v: unknown) =>
  v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * Entering a stage: its required fields must be filled (422 naming each missing one), and a lost
 * stage needs the reason it was lost.
 */
export function assertCanEnter(stage: Stage, deal: DealShape): void {
  const missing: ErrorDetail[] = [];
  for (const f of stage.requiredFields) {
    const value = f.startsWith('custom.') ? deal.customFields[f.slice(7)] : STANDARD[f]?.(deal);
    if (empty(value))
      missing.push({ path: f, message: `is required in the stage "${stage.name}"` });
  }
  if (stage.kind === 'lost' && empty(deal.lostReason?.trim()))
    missing.push({ path: 'lostReason', message: 'is required to mark a deal lost' });
  if (missing.length)
    throw errors.ruleViolated(
      'SALES_STAGE_REQUIREMENTS',
      `Fill ${missing.map((m) => m.path).join(', ')} before moving to "${stage.name}"`,
      missing,
    );
}

/**
 * A lost reason belongs to a lost deal only: given for a deal that ends up open or won it would be
 * stored and shown as why a live deal was lost (422 naming `lostReason`; null is always fine).
 */
export function assertLostReasonFits(stage: Stage, lostReason: string | null | undefined): void {
  if (stage.kind === 'lost' || empty(lostReason?.trim())) return;
  throw errors.ruleViolated(
    'SALES_LOST_REASON_NOT_LOST',
    `Only a lost deal has a lost reason; "${stage.name}" is ${stage.kind}`,
    [
      {
        path: 'lostReason',
        message: `only a lost deal has one; the deal's stage "${stage.name}" is ${stage.kind}`,
      },
    ],
  );
}

/** A line's total in minor units: quantity × unit price, less the discount, rounded to the unit. */
export function lineTotal(quantity: number, unitPrice: number, discountPercent: number): number {
  return Math.round(quantity * unitPrice * (1 - discountPercent / 100));
}
