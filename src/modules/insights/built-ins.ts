import { v7 as uuidv7 } from 'uuid';
import type { Tx } from '../../platform/db/index.js';
import type { InsightsTables } from './schema.js';

/** A prediction every organization has, created the first time predictions are used. */
interface BuiltInPrediction {
  key: string;
  name: string;
  objectType: string;
  targetField: string;
  positiveValues: string[];
  negativeValues: string[];
  /**
   * Fields left out from the start: names and contact details identify a person rather than
   * predict an outcome, and reasons filled in with the outcome (a disqualification reason, a lost
   * reason) would let the model read the answer.
   */
  excludedFields: string[];
}

/** The built-in predictions, in the order they are listed. */
export const BUILT_IN_PREDICTIONS: readonly BuiltInPrediction[] = [
  {
    key: 'lead_conversion',
    name: 'Lead conversion',
    objectType: 'lead',
    targetField: 'status',
    positiveValues: ['converted'],
    negativeValues: ['disqualified'],
    excludedFields: [
      'firstName',
      'lastName',
      'name',
      'email',
      'phone',
      'companyName',
      'notes',
      'disqualificationReason',
    ],
  },
  {
    key: 'deal_win',
    name: 'Deal win',
    objectType: 'deal',
    targetField: 'status',
    positiveValues: ['won'],
    negativeValues: ['lost'],
    excludedFields: [
      'name',
      'lostReason',
      'closedAt',
      'stageId',
      'probability',
      'probabilityOverride',
    ],
  },
];

/** Creates the organization's built-in predictions that are missing; safe to run concurrently. */
export async function ensureBuiltIns(tx: Tx, organizationId: string): Promise<void> {
  await tx
    .withTables<InsightsTables>()
    .insertInto('predictions')
    .values(
      BUILT_IN_PREDICTIONS.map((p) => ({
        organization_id: organizationId,
        id: uuidv7(),
        name: p.name,
        object_type: p.objectType,
        target_field: p.targetField,
        positive_values: p.positiveValues,
        negative_values: p.negativeValues,
        excluded_fields: p.excludedFields,
        built_in: p.key,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['organization_id', 'built_in']).where('built_in', 'is not', null).doNothing(),
    )
    .execute();
}
