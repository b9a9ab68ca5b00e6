/**
 * When a failed delivery is tried again: 10 s, 1 min, 5 min, 30 min, 2 h, 6 h after each failure
 * (with the default base of 10 s), each ±20 % so that many deliveries failing together (a
 * receiver outage) do not all come back in the same second. After the last retry the delivery is
 * `failed`; about 8 h 45 min pass between the first attempt and that verdict.
 */

/** Multiples of the base delay, one per retry. */
const RETRY_STEPS = [1, 6, 30, 180, 720, 2160] as const;

/** The first attempt plus one per retry step. */
export const MAX_ATTEMPTS = RETRY_STEPS.length + 1;

/** The base delay in production; tests pass a smaller one to the worker. */
export const DEFAULT_RETRY_BASE_MS = 10_000;

/**
 * The delay before retry number `retry` (0 for the first retry), with jitter from `random`
 * (a number in [0, 1), Math.random by default).
 */
export function retryDelayMs(
  retry: number,
  baseMs: number,
  random: () => number = Math.random,
): number {
  const step = RETRY_STEPS[Math.min(Math.max(retry, 0), RETRY_STEPS.length - 1)] ?? 1;
  return Math.round(baseMs * step * (0.8 + 0.4 * random()));
}
