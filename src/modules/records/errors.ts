import { DomainError } from '../../platform/errors/index.js';

/** A record that was merged into another answers 404 with the survivor's id. */
export const recordMerged = (what: string, survivorId: string) =>
  new DomainError('not_found', 'RECORD_MERGED', `${what} was merged into another record`, {
    details: { survivorId },
  });

/**
 * Thrown by background work that finds its row moved on by another worker (one that took its job
 * over while this one stalled past the lease): it stops before repeating what the other did.
 */
export class WorkTakenOver extends Error {
  override readonly name = 'WorkTakenOver';
  constructor(what: string, id: string) {
    super(`Another worker moved ${what} ${id} on; this attempt stopped without repeating its work`);
  }
}
