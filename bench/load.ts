import autocannon from 'autocannon';

/** Throughput and latency of one workload. */
export interface Measured {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

/** Drives an HTTP endpoint with autocannon; `paths` makes each connection cycle through several. */
export async function loadHttp(
  url: string,
  options: {
    connections: number;
    seconds: number;
    headers?: Record<string, string>;
    method?: 'GET' | 'POST';
    body?: () => string;
    paths?: string[];
  },
): Promise<Measured> {
  const r = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    method: options.method ?? 'GET',
    headers: {
      ...(options.body ? { 'content-type': 'application/json' } : {}),
      ...(options.headers ?? {}),
    },
    ...(options.body
      ? {
          requests: [
            {
              setupRequest: (req: autocannon.Request) => ({ ...req, body: options.body?.() ?? '' }),
            },
          ],
        }
      : {}),
    ...(options.paths ? { requests: options.paths.map((p) => ({ path: p })) } : {}),
  });
  return {
    requestsPerSecond: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    errors: r.errors + r.non2xx,
  };
}

/** Runs `fn` from `concurrency` loops for `seconds`, as the raw baseline of a workload. */
export async function loadFn(
  fn: () => Promise<unknown>,
  options: { concurrency: number; seconds: number },
): Promise<Measured> {
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        try {
          await fn();
          latencies.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    Number(
      (latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0).toFixed(1),
    );
  return {
    requestsPerSecond: Math.round(latencies.length / options.seconds),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    errors,
  };
}

export const ratio = (a: Measured, b: Measured): number =>
  Number((a.requestsPerSecond / Math.max(1, b.requestsPerSecond)).toFixed(3));
