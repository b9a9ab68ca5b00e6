import { collectionRoutes } from '../../platform/http/index.js';
import {
  createAssignmentRule,
  deleteAssignmentRule,
  getAssignmentRule,
  listAssignmentRules,
  updateAssignmentRule,
} from './assignment-rules.js';
import { ruleCreateBody, ruleSchema, ruleUpdateBody } from './rule-schemas.js';

const POSITIONS =
  'Rules run in ascending `position`, and each position holds one rule: a position another rule holds answers 409 ' +
  '`SALES_RULE_POSITION_TAKEN` naming `position`. To swap two rules, move one to a free position first.';

/** Lead assignment rules, in the order they run (admins and team managers). */
export const ruleRoutes = collectionRoutes({
  path: '/api/v1/lead-assignment-rules',
  tags: ['lead-assignment-rules'],
  permissions: 'leads:update',
  schema: ruleSchema,
  list: { summary: 'List lead assignment rules in the order they run', run: listAssignmentRules },
  create: {
    summary: 'Add a lead assignment rule (last, unless a position is given)',
    description: POSITIONS,
    body: ruleCreateBody,
    run: createAssignmentRule,
  },
  read: { summary: 'Read a lead assignment rule', run: getAssignmentRule },
  update: {
    summary: 'Change a lead assignment rule or its position (If-Match: version)',
    description: POSITIONS,
    body: ruleUpdateBody,
    run: updateAssignmentRule,
  },
  remove: { summary: 'Delete a lead assignment rule', run: deleteAssignmentRule },
});
