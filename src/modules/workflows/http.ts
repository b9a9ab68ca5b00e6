import { z } from 'zod';
import {
  collectionRoutes,
  consumeRateLimit,
  idParams,
  listOf,
  pageOfAll,
  pageQuery,
  publicRoute,
  route,
} from '../../platform/http/index.js';
import {
  manualRunBody,
  runDetailSchema,
  runListQuery,
  runSchema,
  startedSchema,
  testBody,
  testRunSchema,
  versionSchema,
  workflowCreateBody,
  workflowListQuery,
  workflowSchema,
  workflowUpdateBody,
} from './http-schemas.js';
import { getRun, listRuns } from './run-log.js';
import { receiveInbound, runManually } from './starts.js';
import { testWorkflow } from './test-run.js';
import {
  createWorkflow,
  deleteWorkflow,
  getWorkflow,
  listVersions,
  listWorkflows,
  publishWorkflow,
  updateWorkflow,
} from './workflows.js';

const tags = ['workflows'];
const base = '/api/v1/workflows';
/** Inbound-webhook requests a workflow takes per minute. */
const INBOUND_PER_MINUTE = 120;

/** Workflows, their versions, test runs, manual runs, the run history and inbound webhooks. */
export const workflowRoutes = [
  ...collectionRoutes({
    path: base,
    tags,
    permissions: {
      read: 'workflows:read',
      create: 'workflows:create',
      update: 'workflows:update',
      delete: 'workflows:delete',
    },
    schema: workflowSchema,
    list: {
      summary: 'List workflows (triggerKey=manual:contact lists the buttons of a contact page)',
      query: workflowListQuery,
      run: (ctx, { triggerKey, enabled }) => listWorkflows(ctx, { triggerKey, enabled }),
    },
    create: {
      summary: 'Create a workflow (a draft; publish and enable it to run)',
      body: workflowCreateBody,
      run: createWorkflow,
    },
    read: { summary: 'Read a workflow with its draft', run: getWorkflow },
    update: {
      summary: "Change a workflow's draft, name, owner or enabled (If-Match: version)",
      body: workflowUpdateBody,
      run: updateWorkflow,
    },
    remove: { summary: 'Delete a workflow (runs under way finish)', run: deleteWorkflow },
  }),
  route({
    method: 'POST',
    path: `${base}/:id/publish`,
    permission: 'workflows:update',
    summary: 'Check the draft and publish it as the next version (422 naming each problem)',
    tags,
    params: idParams,
    response: { status: 200, schema: workflowSchema },
    handler: ({ ctx, params }) => publishWorkflow(ctx, params.id),
  }),
  route({
    method: 'GET',
    path: `${base}/:id/versions`,
    permission: 'workflows:read',
    summary: 'The published versions, newest first',
    tags,
    params: idParams,
    query: pageQuery,
    response: { status: 200, schema: listOf(versionSchema) },
    handler: async ({ ctx, params, query }) =>
      pageOfAll(await listVersions(ctx, params.id), query, (v) => String(v.version)),
  }),
  route({
    method: 'POST',
    path: `${base}/:id/test`,
    permission: 'workflows:read',
    summary: 'Test run: what each step would do on a chosen record, changing nothing',
    tags,
    params: idParams,
    body: testBody,
    response: { status: 200, schema: testRunSchema },
    handler: ({ ctx, params, body }) => testWorkflow(ctx, params.id, body),
  }),
  route({
    method: 'POST',
    path: `${base}/:id/run`,
    permission: 'authenticated',
    summary: "Run a manual workflow on a record you may edit (the record page's button)",
    tags,
    params: idParams,
    body: manualRunBody,
    response: { status: 202, schema: startedSchema },
    handler: ({ ctx, params, body }) => runManually(ctx, params.id, body.recordId),
  }),
  route({
    method: 'GET',
    path: '/api/v1/workflow-runs',
    permission: 'workflows:read',
    summary: 'Workflow runs, newest first',
    tags,
    query: runListQuery,
    response: { status: 200, schema: listOf(runSchema) },
    handler: ({ ctx, query }) => listRuns(ctx, query),
  }),
  route({
    method: 'GET',
    path: '/api/v1/workflow-runs/:id',
    permission: 'workflows:read',
    summary: "A run with each step's input, output, error and times",
    tags,
    params: idParams,
    response: { status: 200, schema: runDetailSchema },
    handler: ({ ctx, params }) => getRun(ctx, params.id),
  }),
  publicRoute({
    method: 'POST',
    path: '/api/v1/workflow-hooks/:id/:token',
    permission: 'public',
    tags,
    summary:
      'Start an inbound-webhook workflow with a JSON body (the URL carries the secret; 120 per minute; Idempotency-Key makes retries start one run)',
    params: z.object({ id: z.uuid(), token: z.string().min(10).max(200) }),
    body: z.unknown(),
    response: { status: 202, schema: startedSchema },
    // The Idempotency-Key is the run's dedupe key here: a retried call starts no second run.
    idempotent: false,
    handler: async ({ deps, params, body, req }) => {
      await consumeRateLimit(deps.cache, `workflow-hook:${params.id}`, INBOUND_PER_MINUTE, 60);
      const key = req.headers['idempotency-key'];
      return receiveInbound(
        deps,
        params.id,
        params.token,
        body ?? null,
        typeof key === 'string' ? key.slice(0, 200) : null,
      );
    },
  }),
];
