import type { Deps } from '../../platform/context/index.js';
import { purgeTrashedRecords } from '../records/index.js';

/** Deletes tickets that have been in the trash for more than 30 days; their activities stay, without the link. */
export const purgeExpiredTickets = (deps: Deps, now: Date = deps.clock.now()): Promise<number> =>
  purgeTrashedRecords(deps, 'tickets', 'ticket', now);
