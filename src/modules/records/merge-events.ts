/** The payload of `contact.merged`, `company.merged` and their `*.merge_undone` events. */
export interface MergeEventPayload {
  mergeId: string;
  survivorId: string;
  sourceIds: string[];
}

/**
 * Reads a merge event's payload, or null when it is not one: modules whose tables point at
 * contacts or companies (deals, tickets) move their rows on these events and back on undo.
 */
export function mergePayloadOf(p: Record<string, unknown>): MergeEventPayload | null {
  const ok =
    typeof p.mergeId === 'string' &&
    typeof p.survivorId === 'string' &&
    Array.isArray(p.sourceIds) &&
    p.sourceIds.every((s) => typeof s === 'string');
  return ok
    ? {
        mergeId: p.mergeId as string,
        survivorId: p.survivorId as string,
        sourceIds: p.sourceIds as string[],
      }
    : null;
}
