import { idParams, listOf, pageQuery, route } from '../../platform/http/index.js';
import { parseIfMatch } from '../records/index.js';
import { listDeliveries, redeliver } from './deliveries.js';
import {
  deliveryListQuery,
  deliverySchema,
  replayBody,
  replayResultSchema,
  webhookCreateBody,
  webhookSchema,
  webhookUpdateBody,
  webhookWithSecretSchema,
} from './http-schemas.js';
import { replayWebhook } from './replay.js';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  rotateWebhookSecret,
  updateWebhook,
} from './webhooks.js';

const tags = ['webhooks'];

/** Webhook subscriptions, their deliveries, redelivery and replay. */
export const webhookRoutes = [
  route({
    method: 'GET',
    path: '/api/v1/webhooks',
    permission: 'webhooks:read',
    summary: 'List webhooks',
    tags,
    query: pageQuery,
    response: { status: 200, schema: listOf(webhookSchema) },
    handler: ({ ctx, query }) => listWebhooks(ctx, query),
  }),
  route({
    method: 'POST',
    path: '/api/v1/webhooks',
    permission: 'webhooks:create',
    summary: 'Create a webhook; the answer holds its signing secret, shown only once',
    tags,
    // The answer carries a secret: replaying it would mean storing it at rest.
    idempotent: false,
    body: webhookCreateBody,
    response: { status: 201, schema: webhookWithSecretSchema },
    handler: ({ ctx, body }) => createWebhook(ctx, body),
  }),
  route({
    method: 'GET',
    path: '/api/v1/webhooks/:id',
    permission: 'webhooks:read',
    summary: 'Read a webhook',
    tags,
    params: idParams,
    response: { status: 200, schema: webhookSchema },
    handler: ({ ctx, params }) => getWebhook(ctx, params.id),
  }),
  route({
    method: 'PATCH',
    path: '/api/v1/webhooks/:id',
    permission: 'webhooks:update',
    summary: 'Update a webhook (If-Match: version); active: true re-enables it',
    tags,
    params: idParams,
    body: webhookUpdateBody,
    response: { status: 200, schema: webhookSchema },
    handler: ({ ctx, params, body, req }) =>
      updateWebhook(ctx, params.id, body, parseIfMatch(req.headers['if-match'])),
  }),
  route({
    method: 'DELETE',
    path: '/api/v1/webhooks/:id',
    permission: 'webhooks:delete',
    summary: 'Delete a webhook and its delivery history',
    tags,
    params: idParams,
    response: { status: 204 },
    handler: ({ ctx, params }) => deleteWebhook(ctx, params.id),
  }),
  route({
    method: 'POST',
    path: '/api/v1/webhooks/:id/rotate-secret',
    permission: 'webhooks:update',
    summary: 'Replace the signing secret; the answer holds the new one, shown only once',
    tags,
    idempotent: false,
    params: idParams,
    response: { status: 200, schema: webhookWithSecretSchema },
    handler: ({ ctx, params }) => rotateWebhookSecret(ctx, params.id),
  }),
  route({
    method: 'GET',
    path: '/api/v1/webhooks/:id/deliveries',
    permission: 'webhooks:read',
    summary: "A webhook's deliveries, newest first, with every attempt and answer",
    tags,
    params: idParams,
    query: deliveryListQuery,
    response: { status: 200, schema: listOf(deliverySchema) },
    handler: ({ ctx, params, query: { 'filter[status]': status, ...page } }) =>
      listDeliveries(ctx, params.id, { ...page, ...(status ? { status } : {}) }),
  }),
  route({
    method: 'POST',
    path: '/api/v1/webhooks/:id/replay',
    permission: 'webhooks:update',
    summary:
      'Queue every matching event since a time again (skipping delivered ones), e.g. after an outage',
    tags,
    params: idParams,
    body: replayBody,
    response: { status: 202, schema: replayResultSchema },
    handler: ({ ctx, params, body }) => replayWebhook(ctx, params.id, new Date(body.since)),
  }),
  route({
    method: 'POST',
    path: '/api/v1/webhook-deliveries/:id/redeliver',
    permission: 'webhooks:update',
    summary: 'Send a delivery again now, with the same delivery id',
    tags,
    params: idParams,
    response: { status: 202, schema: deliverySchema },
    handler: ({ ctx, params }) => redeliver(ctx, params.id),
  }),
];
