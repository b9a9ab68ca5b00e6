import { z } from 'zod';
import { ASSIGNMENT_STRATEGIES, CONDITION_FIELDS } from './schema.js';

const conditionValue = z.string().trim().min(1, 'is required').max(200);

/** One condition: a lead field (or `custom.key`), equals one value or is in a list. */
export const ruleCondition = z
  .object({
    field: z.union(
      [z.enum(CONDITION_FIELDS), z.string().regex(/^custom\.[a-z][a-zA-Z0-9_]{0,62}$/)],
      {
        error: `must be one of ${CONDITION_FIELDS.join(', ')} or custom.<key>`,
      },
    ),
    op: z.enum(['equals', 'in']),
    value: z.union([conditionValue, z.array(conditionValue).min(1).max(200)]),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.op === 'equals' && Array.isArray(c.value))
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: 'equals takes one value; use in for a list',
      });
    if (c.op === 'in' && !Array.isArray(c.value))
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'in takes a list of values' });
  });

const ruleFields = {
  name: z.string().trim().min(1, 'is required').max(100),
  position: z.number().int().min(0).max(100_000),
  active: z.boolean(),
  conditions: z.array(ruleCondition).max(20),
  strategy: z.enum(ASSIGNMENT_STRATEGIES),
  userId: z.uuid().nullable().describe('The owner, for strategy user'),
  teamId: z
    .uuid()
    .nullable()
    .describe(
      'The team to rotate in (round_robin, least_loaded); for user, the team the lead joins',
    ),
  reminderMinutes: z
    .number()
    .int()
    .min(1)
    .max(10_080)
    .nullable()
    .describe(
      'Minutes an unassigned lead of this rule waits before its managers are told (default: the organization setting, else 30)',
    ),
};

export const ruleCreateBody = z
  .object({
    ...ruleFields,
    position: ruleFields.position.optional(),
    active: ruleFields.active.optional(),
    conditions: ruleFields.conditions.optional(),
    userId: ruleFields.userId.optional(),
    teamId: ruleFields.teamId.optional(),
    reminderMinutes: ruleFields.reminderMinutes.optional(),
  })
  .strict();
export const ruleUpdateBody = z.object(ruleFields).partial().strict();

export const ruleSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    position: z.number().int(),
    active: z.boolean(),
    conditions: z.array(
      z.object({
        field: z.string(),
        op: z.enum(['equals', 'in']),
        value: z.union([z.string(), z.array(z.string())]),
      }),
    ),
    strategy: z.enum(ASSIGNMENT_STRATEGIES),
    userId: z.uuid().nullable(),
    teamId: z.uuid().nullable(),
    reminderMinutes: z.number().int().nullable(),
    lastAssignedUserId: z.uuid().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'LeadAssignmentRule' });
