import { idParams, listOf, pageOfAll, pageQuery, route } from '../../platform/http/index.js';
import { parseIfMatch } from '../records/index.js';
import {
  createAssignmentRule,
  deleteAssignmentRule,
  getAssignmentRule,
  listAssignmentRules,
  updateAssignmentRule,
} from './assignment-rules.js';
import { ruleCreateBody, ruleSchema, ruleUpdateBody } from './rule-schemas.js';

const base = '/api/v1/lead-assignment-rules';
const tags = ['lead-assignment-rules'];
const POSITIONS =
  'Rules run in ascending `position`, and each position holds one rule: a position another rule holds answers 409 ' +
  '`SALES_RULE_POSITION_TAKEN` naming `position`. To swap two rules, move one to a free position first.';

/** Lead assignment rules, in the order they run (admins and team managers). */
export const ruleRoutes = [
  route({
    method: 'GET',
    path: base,
    permission: 'leads:update',
    summary: 'List lead assignment rules in the order they run',
    tags,
    query: pageQuery,
    response: { status: 200, schema: listOf(ruleSchema) },
    handler: async ({ ctx, query }) => pageOfAll(await listAssignmentRules(ctx), query),
  }),
  route({
    method: 'POST',
    path: base,
    permission: 'leads:update',
    summary: 'Add a lead assignment rule (last, unless a position is given)',
    tags,
    description: POSITIONS,
    body: ruleCreateBody,
    response: { status: 201, schema: ruleSchema },
    handler: ({ ctx, body }) => createAssignmentRule(ctx, body),
  }),
  route({
    method: 'GET',
    path: `${base}/:id`,
    permission: 'leads:update',
    summary: 'Read a lead assignment rule',
    tags,
    params: idParams,
    response: { status: 200, schema: ruleSchema },
    handler: ({ ctx, params }) => getAssignmentRule(ctx, params.id),
  }),
  route({
    method: 'PATCH',
    path: `${base}/:id`,
    permission: 'leads:update',
    summary: 'Change a lead assignment rule or its position (If-Match: version)',
    tags,
    description: POSITIONS,
    params: idParams,
    body: ruleUpdateBody,
    response: { status: 200, schema: ruleSchema },
    handler: ({ ctx, params, body, req }) =>
      updateAssignmentRule(ctx, params.id, body, parseIfMatch(req.headers['if-match'])),
  }),
  route({
    method: 'DELETE',
    path: `${base}/:id`,
    permission: 'leads:update',
    summary: 'Delete a lead assignment rule',
    tags,
    params: idParams,
    response: { status: 204 },
    handler: ({ ctx, params }) => deleteAssignmentRule(ctx, params.id),
  }),
];
