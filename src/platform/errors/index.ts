/**
 * Errors are values of a known set. A service throws a DomainError whose `kind` decides the
 * transport status (mapped exhaustively per transport) and whose `code` is the stable,
 * machine-readable name (MODULE_SUBJECT_PROBLEM) clients switch on.
 */
export type ErrorKind =
  | 'malformed' // 400
  | 'validation' // 400
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'precondition_failed' // 412
  | 'too_large' // 413
  | 'unsupported_media_type' // 415
  | 'rule_violated' // 422
  | 'rate_limited' // 429
  | 'unavailable' // 503
  | 'internal'; // 500

/** One problem with one field of the input. */
export interface ErrorDetail {
  /** Dotted path of the field, e.g. `customFields.size`. */
  path: string;
  message: string;
}

export interface DomainErrorOptions {
  details?: ErrorDetail[] | Record<string, unknown>;
  /** Seconds until a retry may succeed (429, 503). */
  retryAfter?: number;
  cause?: unknown;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly details: ErrorDetail[] | Record<string, unknown> | undefined;
  readonly retryAfter: number | undefined;

  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    options: DomainErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.details = options.details;
    this.retryAfter = options.retryAfter;
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

/** Maps an error kind to its HTTP status; the switch is exhaustive so a new kind fails to compile. */
export function httpStatusOf(kind: ErrorKind): number {
  switch (kind) {
    case 'malformed':
    case 'validation':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'precondition_failed':
      return 412;
    case 'too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'rule_violated':
      return 422;
    case 'rate_limited':
      return 429;
    case 'unavailable':
      return 503;
    case 'internal':
      return 500;
  }
}

/** Shorthands for the errors every module throws. */
export const errors = {
  notFound: (what = 'Resource') => new DomainError('not_found', 'NOT_FOUND', `${what} not found`),
  forbidden: (message = 'You do not have permission to do this') =>
    new DomainError('forbidden', 'FORBIDDEN', message),
  unauthenticated: (message = 'Authentication required') =>
    new DomainError('unauthenticated', 'UNAUTHENTICATED', message),
  validation: (details: ErrorDetail[]) =>
    new DomainError(
      'validation',
      'VALIDATION_FAILED',
      details.map((d) => `${d.path || 'body'}: ${d.message}`).join('; '),
      { details },
    ),
  conflict: (code: string, message: string, details?: Record<string, unknown>) =>
    new DomainError('conflict', code, message, details ? { details } : {}),
  staleVersion: () =>
    new DomainError(
      'precondition_failed',
      'VERSION_MISMATCH',
      'The record changed since you read it; reload and try again',
    ),
  ruleViolated: (code: string, message: string, details: ErrorDetail[]) =>
    new DomainError('rule_violated', code, message, { details }),
  rateLimited: (retryAfter: number) =>
    new DomainError('rate_limited', 'RATE_LIMITED', 'Too many requests; try again later', {
      retryAfter,
    }),
};
