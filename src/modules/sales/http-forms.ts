import { z } from 'zod';
import { collectionRoutes, idParams, publicRoute, route } from '../../platform/http/index.js';
import {
  embedSchema,
  formCreateBody,
  formSchema,
  formUpdateBody,
  submissionBody,
} from './form-schemas.js';
import { submitForm } from './form-submit.js';
import { createForm, deleteForm, formEmbed, getForm, listForms, updateForm } from './forms.js';

const base = '/api/v1/forms';
const tags = ['forms'];

/** A page a browser lands on after posting a form that names no redirect URL. */
const THANK_YOU =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Thank you</title></head><body><p>Thank you, we received your message.</p></body></html>';

/** Web forms: CRUD for admins and managers, the embed snippet, and the public submit endpoint. */
export const formRoutes = [
  ...collectionRoutes({
    path: base,
    tags,
    permissions: 'leads:update',
    schema: formSchema,
    list: { summary: 'List web forms (admins and team managers)', run: listForms },
    create: {
      summary: 'Create a web form that captures leads',
      body: formCreateBody,
      run: createForm,
    },
    read: { summary: 'Read a web form', run: getForm },
    update: {
      summary: 'Update a web form (If-Match: version)',
      body: formUpdateBody,
      run: updateForm,
    },
    remove: { summary: 'Delete a web form (its URL stops working)', run: deleteForm },
  }),
  route({
    method: 'GET',
    path: `${base}/:id/embed`,
    permission: 'leads:update',
    summary: 'An HTML snippet that embeds the form in any web page',
    tags,
    params: idParams,
    response: { status: 200, schema: embedSchema },
    handler: ({ ctx, params }) => formEmbed(ctx, params.id),
  }),
  publicRoute({
    method: 'POST',
    path: `${base}/:formId/submit`,
    permission: 'public',
    acceptsForm: true,
    tags,
    summary:
      'Submit a web form, no login (JSON or form post; 10 per minute per address; a browser post is redirected with 303 when the form has a redirect URL)',
    params: z.object({ formId: z.uuid() }),
    body: submissionBody,
    response: {
      status: 200,
      schema: z.object({ received: z.literal(true) }),
      description: 'Received (also when the honeypot was filled: nothing is stored then)',
    },
    handler: async ({ deps, params, body, req, reply }) => {
      const result = await submitForm(deps, params.formId, body, {
        ip: req.ip,
        requestId: String(req.id),
      });
      if (!req.headers['content-type']?.startsWith('application/x-www-form-urlencoded'))
        return { received: true as const };
      // A browser posted the embedded form: send the person somewhere a person can read.
      if (result.redirectUrl) return reply.redirect(result.redirectUrl, 303);
      return reply.type('text/html; charset=utf-8').send(THANK_YOU);
    },
  }),
];
