/** One problem with one field, as the API names it. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** An error answer of the API (shared/API.md), thrown by every call. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
    readonly retryAfter: number | null = null,
    /** Details the API sent as an object rather than a list of field problems (e.g. RECORD_MERGED's `survivorId`). */
    readonly info: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

function csrfToken(): string {
  return /(?:^|;\s*)cerebro_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
}

/** The headers every call of the web app carries: who it is, and the CSRF token on writes. */
export function sessionHeaders(method: string): Record<string, string> {
  return {
    'X-Cerebro-Client': 'web',
    ...(method === 'GET' ? {} : { 'X-CSRF-Token': decodeURIComponent(csrfToken()) }),
  };
}

async function send(
  method: string,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...extraHeaders, ...sessionHeaders(method) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

let refreshing: Promise<boolean> | null = null;

/** One refresh at a time: concurrent 401s wait for the same exchange. */
export function refreshOnce(): Promise<boolean> {
  refreshing ??= send('POST', '/auth/refresh', {})
    .then((r) => r.ok)
    .catch(() => false)
    .finally(() => setTimeout(() => (refreshing = null), 0));
  return refreshing;
}

const NO_RETRY = new Set([
  '/auth/login',
  '/auth/refresh',
  '/auth/register',
  '/auth/mfa/verify',
  '/auth/logout',
]);

/** Whether a 401 on this API path (below `/api/v1`) is worth one refresh and one retry. */
export const isRetryable = (path: string): boolean => !NO_RETRY.has(path);

/** The ApiError for a failed answer, from its status, parsed body and headers. */
export function toApiError(status: number, json: unknown, headers: Headers): ApiError {
  const e = (json as { error?: { code?: string; message?: string; details?: unknown } } | undefined)
    ?.error;
  const details = Array.isArray(e?.details) ? (e.details as FieldProblem[]) : [];
  const info =
    e?.details && typeof e.details === 'object' && !Array.isArray(e.details)
      ? (e.details as Record<string, unknown>)
      : {};
  const retry = headers.get('Retry-After');
  return new ApiError(
    status,
    e?.code ?? 'HTTP_ERROR',
    e?.message ?? `Request failed (${status})`,
    details,
    retry ? Number(retry) : null,
    info,
  );
}

/** Uploads a multipart form (file imports) with the session cookies and CSRF token. */
export async function upload<T>(path: string, form: FormData): Promise<T> {
  const res = await fetch(`/api/v1${path}`, {
    method: 'POST',
    body: form,
    credentials: 'same-origin',
    headers: sessionHeaders('POST'),
  });
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok) throw toApiError(res.status, json, res.headers);
  return json as T;
}

/** A list answer of the API. */
export interface Page<T> {
  data: T[];
  meta: { nextCursor: string | null; total?: number };
}
