/**
 * The typed API client, generated from the OpenAPI document (`npm run gen:api` writes
 * `schema.d.ts`): paths, parameters, bodies and answers are checked by the compiler, so a server
 * change that breaks the app fails the type check instead of a page.
 */
import createClient from 'openapi-fetch';
import { isRetryable, refreshOnce, sessionHeaders, toApiError } from './client';
import type { paths } from './schema';

const API_PREFIX = '/api/v1';

/**
 * The browser's fetch with the session: cookies, the client header and the CSRF token, and one
 * refresh-and-retry on a 401 (the access token lives minutes; the refresh token days).
 */
export async function sessionFetch(request: Request): Promise<Response> {
  const headers = new Headers(request.headers);
  for (const [k, v] of Object.entries(sessionHeaders(request.method))) headers.set(k, v);
  // A JSON content type with no body is a 400 by the contract: only send it with one.
  if (request.body === null) headers.delete('Content-Type');
  const prepared = new Request(request, { headers, credentials: 'same-origin' });
  const retry = prepared.clone();
  const res = await fetch(prepared);
  const path = new URL(prepared.url).pathname.slice(API_PREFIX.length);
  if (res.status === 401 && isRetryable(path) && (await refreshOnce())) return fetch(retry);
  return res;
}

/** The base every path is resolved against (the app is served by the API process). */
export const BASE_URL = globalThis.location?.origin ?? 'http://localhost';

/** The generated client: `http.GET('/api/v1/companies/{id}', { params: { path: { id } } })`. */
export const http = createClient<paths>({ baseUrl: BASE_URL, fetch: sessionFetch });

/** An answer of openapi-fetch: the body on success, the error body otherwise. */
interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The body of a successful answer; any other answer throws the API's error as an ApiError. */
export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw toApiError(response.status, error, response.headers);
  return data as T;
}

/**
 * For list calls with `filter[field][op]` keys, which the generated types cannot name: the query
 * goes out as it is spelled (`querySerializer: plainQuery`), as the record client sends it.
 */
export const plainQuery = (query: unknown): string =>
  new URLSearchParams(query as Record<string, string>).toString();

/** `If-Match` with a record's version: a stale edit answers 412 instead of overwriting. */
export const ifMatch = (version: number): { 'If-Match': string } => ({
  'If-Match': String(version),
});
