/**
 * When a failed job is tried again: exponential backoff with "full jitter" — a delay drawn
 * uniformly from [0, min(cap, base · 2^(n−1))] after the n-th failed attempt. Full jitter spreads
 * jobs that failed together (a provider outage) over the whole window instead of letting them
 * return in one wave; see the AWS Architecture Blog, "Exponential Backoff And Jitter" (2015).
 */

/** The base delay in production (2 s, 4 s, 8 s, … windows); tests pass a smaller one to the runner. */
export const DEFAULT_RETRY_BASE_MS = 2_000;
/** No retry waits longer than this, however many attempts failed. */
export const RETRY_CAP_MS = 3_600_000;

/**
 * The delay before the retry that follows failed attempt `attempt` (1-based), with jitter from
 * `random` (a number in [0, 1), Math.random by default).
 */
export function retryDelayMs(
  attempt: number,
  baseMs: number = DEFAULT_RETRY_BASE_MS,
  random: () => number = Math.random,
  capMs: number = RETRY_CAP_MS,
): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 40);
  const window = Math.min(capMs, baseMs * 2 ** exponent);
  return Math.floor(window * random());
}
