import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { isUniqueViolation } from '../db/index.js';
import { DomainError, httpStatusOf, type ErrorDetail } from '../errors/index.js';

/** Turns zod issues into API details naming each field by its dotted path. */
export function zodDetails(error: z.ZodError, prefix = ''): ErrorDetail[] {
  return error.issues.flatMap((i) => {
    const base = [prefix, ...i.path.map(String)].filter(Boolean);
    // An unknown field is named itself, not its parent object.
    if (i.code === 'unrecognized_keys')
      return i.keys.map((k) => ({ path: [...base, k].join('.'), message: 'is not a known field' }));
    // A refused record key (`rates.XYZ`) says why, not zod's generic "Invalid key in record".
    if (i.code === 'invalid_key')
      return [{ path: base.join('.'), message: i.issues[0]?.message ?? i.message }];
    return [{ path: base.join('.'), message: i.message }];
  });
}

/** The longest path parameter the router accepts (Fastify's `maxParamLength`). */
export const MAX_PARAM_LENGTH = 100;

/** Fastify's own errors, mapped to the contract's codes. */
function fromFastify(err: FastifyError): DomainError | null {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new DomainError('too_large', 'PAYLOAD_TOO_LARGE', 'The request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new DomainError(
        'unsupported_media_type',
        'UNSUPPORTED_MEDIA_TYPE',
        'Send the body as application/json',
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new DomainError(
        'malformed',
        'MALFORMED_JSON',
        'The body is empty but the content type is application/json',
      );
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new DomainError(
        'malformed',
        'MALFORMED_REQUEST',
        'The Content-Length header does not match the body',
      );
    case 'FST_ERR_BAD_URL':
      return new DomainError(
        'malformed',
        'MALFORMED_URL',
        'The URL is not valid: a percent-encoded sequence is not UTF-8',
        {
          details: [{ path: 'url', message: 'is not valid percent-encoded UTF-8' }],
        },
      );
    case 'FST_ERR_MAX_PARAM_LENGTH':
      // Fastify's own answer is a 414; no id or key of this API is that long, so it is a malformed path.
      return new DomainError('malformed', 'MALFORMED_URL', 'A path parameter is too long', {
        details: [
          {
            path: 'url',
            message: `a path parameter is longer than ${MAX_PARAM_LENGTH} characters`,
          },
        ],
      });
    default:
      break;
  }
  if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new DomainError('malformed', 'MALFORMED_JSON', 'The body is not valid JSON');
  }
  // Plugins' errors (multipart limits) keep their meaning: too large and wrong type stay 413 and 415.
  if (err.statusCode === 413)
    return new DomainError('too_large', 'PAYLOAD_TOO_LARGE', 'The request body is too large');
  if (err.statusCode === 415)
    return new DomainError(
      'unsupported_media_type',
      'UNSUPPORTED_MEDIA_TYPE',
      'This content type is not accepted here',
    );
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return new DomainError('malformed', 'MALFORMED_REQUEST', 'The request could not be read');
  }
  return null;
}

/**
 * Database refusals that a request caused rather than a bug: a unique index losing a race between
 * two requests (the service's own existence check passed for both) is a conflict, not a crash.
 * The constraint's name stays in the log.
 */
function fromDatabase(err: unknown): DomainError | null {
  if (isUniqueViolation(err)) {
    return new DomainError(
      'conflict',
      'CONFLICT',
      'This conflicts with a record written at the same moment; read it and retry',
      { cause: err },
    );
  }
  return null;
}

/** Sends any error in the API.md shape. Unknown errors are logged and answered as a generic 500. */
export function sendError(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const known =
    err instanceof DomainError ? err : (fromDatabase(err) ?? fromFastify(err as FastifyError));
  if (known && !(err instanceof DomainError) && known.cause === err)
    req.log.warn({ err }, 'database refusal answered as a conflict');
  const traceId = String(req.id);
  if (!known) {
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({
      error: {
        code: 'INTERNAL',
        message: 'Something went wrong on our side; the trace id identifies it in the logs',
        traceId,
      },
    });
  }
  if (known.retryAfter !== undefined) void reply.header('Retry-After', String(known.retryAfter));
  const status = httpStatusOf(known.kind);
  if (status >= 500) req.log.error({ err: known.cause ?? known, code: known.code }, known.message);
  return reply.status(status).send({
    error: {
      code: known.code,
      message: known.message,
      ...(known.details !== undefined ? { details: known.details } : {}),
      traceId,
    },
  });
}
