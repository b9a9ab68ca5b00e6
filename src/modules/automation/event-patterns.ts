/**
 * Which events a webhook wants: `*` (every event), `resource.*` (every verb of one resource) or
 * an exact `resource.verb` such as `contact.created` (API.md: events are `{resource}.{verb}`).
 */

/** The shape every pattern must have. */
export const EVENT_PATTERN = /^(\*|[a-z][a-z0-9_-]*\.(\*|[a-z][a-z0-9_]*))$/;

/** Whether an event type matches one pattern. */
export function matchesPattern(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

/** Whether an event type matches any of a webhook's patterns. */
export const matchesAny = (patterns: readonly string[], type: string): boolean =>
  patterns.some((p) => matchesPattern(p, type));
