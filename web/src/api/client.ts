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

async function send(
  method: string,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...extraHeaders, 'X-Cerebro-Client': 'web' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRF-Token'] = decodeURIComponent(csrfToken());
  return fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

let refreshing: Promise<boolean> | null = null;

/** One refresh at a time: concurrent 401s wait for the same exchange. */
function refreshOnce(): Promise<boolean> {
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

/** Extra request headers, e.g. `If-Match` with a record's version so a stale edit answers 412. */
export interface ApiOptions {
  headers?: Record<string, string>;
}

/** Calls the API with the session cookies; a 401 triggers one refresh and one retry. */
export async function api<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  options: ApiOptions = {},
): Promise<T> {
  let res = await send(method, path, body, options.headers);
  if (res.status === 401 && !NO_RETRY.has(path) && (await refreshOnce()))
    res = await send(method, path, body, options.headers);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const e = (
      json as { error?: { code?: string; message?: string; details?: unknown } } | undefined
    )?.error;
    const details = Array.isArray(e?.details) ? (e.details as FieldProblem[]) : [];
    const info =
      e?.details && typeof e.details === 'object' && !Array.isArray(e.details)
        ? (e.details as Record<string, unknown>)
        : {};
    const retry = res.headers.get('Retry-After');
    throw new ApiError(
      res.status,
      e?.code ?? 'HTTP_ERROR',
      e?.message ?? `Request failed (${res.status})`,
      details,
      retry ? Number(retry) : null,
      info,
    );
  }
  return json as T;
}

/** Uploads a multipart form (file imports) with the session cookies and CSRF token. */
export async function upload<T>(path: string, form: FormData): Promise<T> {
  const res = await fetch(`/api/v1${path}`, {
    method: 'POST',
    body: form,
    credentials: 'same-origin',
    headers: { 'X-Cerebro-Client': 'web', 'X-CSRF-Token': decodeURIComponent(csrfToken()) },
  });
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const e = (
      json as { error?: { code?: string; message?: string; details?: unknown } } | undefined
    )?.error;
    throw new ApiError(
      res.status,
      e?.code ?? 'HTTP_ERROR',
      e?.message ?? `Upload failed (${res.status})`,
      Array.isArray(e?.details) ? (e.details as FieldProblem[]) : [],
    );
  }
  return json as T;
}

/** A list answer of the API. */
export interface Page<T> {
  data: T[];
  meta: { nextCursor: string | null; total?: number };
}
