// The client side of the reliability test: a steady stream of contact creations that survives a
// server going away (each POST retried with its own Idempotency-Key until it is acknowledged), and
// list readers that page through the API.

/** What the stream saw. */
export interface StreamResult {
  /** The id of each acknowledged contact, by stream index. */
  ids: string[];
  /** Requests that failed (refused, reset, 5xx, in progress) and were sent again. */
  retries: number;
  /**
   * Creates answered IDEMPOTENCY_ANSWER_LOST (the work committed, the server died before storing
   * the answer); the client then finds its contact by its unique email. Contacts are created
   * idempotency-atomic, so this stays 0.
   */
  lostAnswers: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A JSON API client for one base URL and bearer token. */
export interface ApiClient {
  request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; json: Record<string, unknown> }>;
  /** Every item of a list endpoint, following `meta.nextCursor`. */
  all<T>(path: string): Promise<T[]>;
}

/** A client whose base URL is read on every call (a restarted API keeps its port, but tests may move it). */
export function apiClient(baseUrl: () => string, token: () => string): ApiClient {
  const request: ApiClient['request'] = async (method, path, body, headers = {}) => {
    const res = await globalThis.fetch(`${baseUrl()}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token()}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const all = async <T>(path: string): Promise<T[]> => {
    const out: T[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const sep = path.includes('?') ? '&' : '?';
      const res = await request(
        'GET',
        `${path}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      if (res.status !== 200)
        throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.json)}`);
      out.push(...(res.json.data as T[]));
      cursor = (res.json.meta as { nextCursor: string | null }).nextCursor;
      if (!cursor) return out;
    }
    throw new Error(`GET ${path}: more than 100 pages`);
  };
  return { request, all };
}

/** The email of the stream's i-th contact: unique, so a lost answer can be found again. */
export const streamEmail = (run: string, i: number) => `p${i}.${run}@reliability.example`;

/**
 * Creates `count` contacts, one started every `everyMs`, each retried (same Idempotency-Key, same
 * body) through server downtime until acknowledged with 201 or `deadlineMs` passes.
 */
export async function streamContacts(
  api: ApiClient,
  options: { run: string; count: number; everyMs: number; deadlineMs: number },
): Promise<StreamResult> {
  const result: StreamResult = { ids: [], retries: 0, lostAnswers: 0 };
  const deadline = Date.now() + options.deadlineMs;

  async function createOne(i: number): Promise<void> {
    const email = streamEmail(options.run, i);
    const body = { firstName: `P${i}`, lastName: 'Stream', email };
    const headers = { 'idempotency-key': `${options.run}-${i}` };
    let inProgressSince: number | null = null;
    while (Date.now() < deadline) {
      try {
        const res = await api.request('POST', '/api/v1/contacts', body, headers);
        if (res.status === 201) {
          result.ids[i] = String(res.json.id);
          return;
        }
        const code = (res.json.error as { code?: string } | undefined)?.code;
        if (res.status === 409 && code === 'IDEMPOTENCY_IN_PROGRESS') {
          // The first request is still running (its claim commits only with its work, so a
          // killed request leaves none): wait for it. Long past any request's time, it is a bug.
          inProgressSince ??= Date.now();
          if (Date.now() - inProgressSince > 20_000)
            throw new Error(`contact ${i}: key still "in progress" after 20 s: an orphaned claim`);
        } else if (res.status === 409 && code === 'IDEMPOTENCY_ANSWER_LOST') {
          result.lostAnswers++;
          const found = (
            await api.all<{ id: string; email: string | null }>('/api/v1/contacts?limit=200')
          ).find((c) => c.email === email);
          if (!found) throw new Error(`contact ${i}: answer lost, and no contact was created`);
          result.ids[i] = found.id;
          return;
        } else if (res.status < 500 && res.status !== 429) {
          throw new Error(`contact ${i}: unexpected ${res.status} ${JSON.stringify(res.json)}`);
        }
      } catch (e) {
        if (e instanceof Error && e.message.startsWith(`contact ${i}:`)) throw e;
        // Refused or reset: the server is down or was killed mid-request.
      }
      result.retries++;
      await sleep(200);
    }
    throw new Error(`contact ${i} was never acknowledged`);
  }

  const pending: Array<Promise<void>> = [];
  for (let i = 0; i < options.count; i++) {
    pending.push(createOne(i));
    await sleep(options.everyMs);
  }
  await Promise.all(pending);
  return result;
}

/** Polls `check` every 500 ms until it answers true or `timeoutMs` passes; answers whether it did. */
export async function pollUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await sleep(500);
  }
  return false;
}
