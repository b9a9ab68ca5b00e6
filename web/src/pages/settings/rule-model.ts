import { z } from 'zod';
import type { components } from '../../api/schema';

export type AssignmentRule = components['schemas']['LeadAssignmentRule'];
type Strategy = AssignmentRule['strategy'];

/** Query key of the rules list. */
export const RULES_KEY = ['lead-assignment-rules'] as const;

/** Who may open the rules page (sales/routing-access.ts), for the 403 message. */
export const RULES_WHO_MAY =
  'Assignment rules decide who gets every new lead, so admins and team managers set them up.';

/** The lead fields a condition may test (the server's CONDITION_FIELDS), with their labels. */
export const CONDITION_FIELDS: ReadonlyArray<{ key: string; label: string }> = [
  { key: 'source', label: 'Source' },
  { key: 'country', label: 'Country' },
  { key: 'companySize', label: 'Company size' },
  { key: 'title', label: 'Job title' },
  { key: 'companyName', label: 'Company' },
  { key: 'emailDomain', label: 'Email domain' },
  { key: 'tags', label: 'Tags' },
];

export const STRATEGIES: ReadonlyArray<{ key: Strategy; label: string; hint: string }> = [
  { key: 'user', label: 'A fixed person', hint: 'Every matching lead goes to one user.' },
  {
    key: 'round_robin',
    label: 'Round robin in a team',
    hint: "The team's members take turns, in order.",
  },
  {
    key: 'least_loaded',
    label: 'Least busy in a team',
    hint: 'The member with the fewest open leads gets it.',
  },
];

/** Values of an "is one of" condition as typed: comma separated. */
const listOf = (text: string) =>
  text
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

const conditionRow = z
  .object({ field: z.string().min(1), op: z.enum(['equals', 'in']), value: z.string() })
  .superRefine((c, ctx) => {
    if (listOf(c.value).length === 0)
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'is required' });
  });

export const ruleFormSchema = z
  .object({
    name: z.string().trim().min(1, 'is required').max(100),
    active: z.boolean(),
    conditions: z.array(conditionRow).max(20),
    strategy: z.enum(['user', 'round_robin', 'least_loaded']),
    userId: z.string().nullable(),
    teamId: z.string().nullable(),
    reminderMinutes: z
      .string()
      .regex(/^$|^\d+$/, 'must be whole minutes')
      .refine((v) => v === '' || (Number(v) >= 1 && Number(v) <= 10_080), 'must be 1 to 10080'),
  })
  .superRefine((v, ctx) => {
    if (v.strategy === 'user' && !v.userId)
      ctx.addIssue({ code: 'custom', path: ['userId'], message: 'pick the person' });
    if (v.strategy !== 'user' && !v.teamId)
      ctx.addIssue({ code: 'custom', path: ['teamId'], message: 'pick the team' });
  });
export type RuleFormValues = z.input<typeof ruleFormSchema>;

export const ruleValuesOf = (r: AssignmentRule | null): RuleFormValues => ({
  name: r?.name ?? '',
  active: r?.active ?? true,
  conditions: (r?.conditions ?? []).map((c) => ({
    field: c.field,
    op: c.op,
    value: Array.isArray(c.value) ? c.value.join(', ') : c.value,
  })),
  strategy: r?.strategy ?? 'user',
  userId: r?.userId ?? null,
  teamId: r?.teamId ?? null,
  reminderMinutes: r?.reminderMinutes ? String(r.reminderMinutes) : '',
});

/** The API body. With a fixed person the team is optional (the team the lead joins). */
export const ruleBodyOf = (v: RuleFormValues) => ({
  name: v.name.trim(),
  active: v.active,
  conditions: v.conditions.map((c) => ({
    field: c.field,
    op: c.op,
    value: c.op === 'in' ? listOf(c.value) : c.value.trim(),
  })),
  strategy: v.strategy,
  userId: v.strategy === 'user' ? v.userId : null,
  teamId: v.teamId,
  reminderMinutes: v.reminderMinutes === '' ? null : Number(v.reminderMinutes),
});

/** Every form path the API's 422 may name, so its messages land on the field they are about. */
export const rulePaths = (conditionCount: number): string[] => [
  'name',
  'active',
  'conditions',
  'strategy',
  'userId',
  'teamId',
  'reminderMinutes',
  ...Array.from({ length: conditionCount }, (_, i) =>
    ['field', 'op', 'value'].map((k) => `conditions.${i}.${k}`),
  ).flat(),
];

/** A condition in words: `Country is one of DE, AT`. */
export function describeCondition(c: AssignmentRule['conditions'][number]): string {
  const field =
    CONDITION_FIELDS.find((f) => f.key === c.field)?.label ??
    (c.field.startsWith('custom.') ? c.field.slice('custom.'.length) : c.field);
  return Array.isArray(c.value)
    ? `${field} is one of ${c.value.join(', ')}`
    : `${field} is ${c.value}`;
}

/** One PATCH of a reorder: move rule `id` to `position`. */
export interface PositionStep {
  id: string;
  position: number;
}

/**
 * The PATCHes that swap rule `index` with its neighbour (`direction` -1 up, +1 down). Each position
 * holds one rule (409 otherwise), so the first moves to a free position, the second takes its
 * place, then the first takes the second's. Empty when there is no neighbour.
 */
export function swapSteps(
  rules: readonly AssignmentRule[],
  index: number,
  direction: -1 | 1,
): PositionStep[] {
  const a = rules[index];
  const b = rules[index + direction];
  if (!a || !b) return [];
  const free = Math.max(...rules.map((r) => r.position)) + 1;
  return [
    { id: a.id, position: free },
    { id: b.id, position: a.position },
    { id: a.id, position: b.position },
  ];
}
