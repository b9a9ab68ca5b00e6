import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';

/**
 * Modules hold personal data about a contact beyond the contact itself (the same person's leads,
 * tickets). Each declares how to export it and how to anonymize it, so one request covers every
 * place. `emails` are the contact's addresses, lower-cased: how a source finds the person's
 * records that are not linked to the contact by id.
 */
export interface PersonalDataSource {
  name: string;
  collect(ctx: Ctx, tx: Tx, contactId: string, emails: string[]): Promise<unknown>;
  erase(ctx: Ctx, tx: Tx, contactId: string, emails: string[]): Promise<number>;
}

let sources: readonly PersonalDataSource[] = [];

/** Makes the modules' sources the ones exports and erasures cover; the module list calls it at start-up. */
export function installPersonalDataSources(list: readonly PersonalDataSource[]): void {
  sources = [...list];
}

/** The sources the modules installed, in module order. */
export const personalDataSources = (): readonly PersonalDataSource[] => sources;
