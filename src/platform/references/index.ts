import type { Ctx } from '../context/index.js';
import type { Tx } from '../db/index.js';
import { errors, type ErrorDetail } from '../errors/index.js';

/**
 * Links between records: one check for every foreign id an input carries. A module that owns a
 * kind of record (users, contacts, deals, tickets, …) provides a checker for it; a module that
 * stores a link to it names the field and the kind, and never reads the owner's tables itself
 * (ARCHITECTURE.md: modules meet only through their public API).
 */

/** One foreign id in an input: the field that carries it (as the client spelt it) and what it names. */
export interface Reference {
  /** Dotted path of the field, e.g. `dealId` or `contacts.2.contactId`. */
  field: string;
  /** The kind of record, as a checker declares it (`user`, `team`, `contact`, `deal`, …). */
  kind: string;
  /** The id; null or undefined (no link, or left unchanged) is not checked. */
  id: string | null | undefined;
}

/**
 * Answers which of `ids` the actor may link to: records of this organization (row level security
 * already hides the others inside `ctx.tx`), not in the trash, and readable by the actor where
 * the record is scoped (own / team / all).
 */
export type ReferenceLookup = (
  ctx: ReferenceCtx,
  tx: Tx,
  ids: readonly string[],
) => Promise<ReadonlySet<string>>;

/** What a lookup needs of the ctx: the organization and whose sight decides visibility. */
export type ReferenceCtx = Pick<Ctx, 'organizationId' | 'actor'>;

/** How one kind of record is checked; provided by the module that owns it. */
export interface ReferenceChecker {
  kind: string;
  /** Singular noun for messages, e.g. `deal`. */
  label: string;
  lookup: ReferenceLookup;
}

const checkers = new Map<string, ReferenceChecker>();

/**
 * Makes the modules' checkers known. The module list (modules/index.ts) calls it once: platform
 * code cannot import modules, so the composition root hands them in.
 */
export function installReferenceCheckers(list: readonly ReferenceChecker[]): void {
  for (const checker of list) {
    const prior = checkers.get(checker.kind);
    if (prior && prior !== checker) throw new Error(`two reference checkers for "${checker.kind}"`);
    checkers.set(checker.kind, checker);
  }
}

/** The kinds of record that can be linked to (tests walk them). */
export const referenceKinds = (): string[] => [...checkers.keys()];

/** The checker a module provides for a kind, if any (objects defined as data have none here). */
export const referenceCheckerOf = (kind: string): ReferenceChecker | undefined =>
  checkers.get(kind);

/** The 422 that names every field whose id is unknown here or hidden from the actor. */
export const unknownReferences = (details: ErrorDetail[]) =>
  errors.ruleViolated(
    'REFERENCE_NOT_FOUND',
    details.map((d) => `${d.path}: ${d.message}`).join('; '),
    details,
  );

/** The message for a field naming no record of `label` the actor can see. */
export const unknownReferenceMessage = (label: string) => `no such ${label} in this organization`;

/**
 * Throws one 422 (`REFERENCE_NOT_FOUND`) naming every field whose id is missing, in another
 * organization, in the trash, or outside what the actor may read — the four answers are the same
 * so that a foreign or hidden id reveals nothing. One query per kind of record.
 */
export async function assertReferences(
  ctx: ReferenceCtx,
  tx: Tx,
  references: readonly Reference[],
): Promise<void> {
  const wanted = references.filter(
    (r): r is Reference & { id: string } => typeof r.id === 'string',
  );
  if (wanted.length === 0) return;
  const found = new Map<string, ReadonlySet<string>>();
  for (const kind of new Set(wanted.map((r) => r.kind))) {
    const checker = checkerOf(kind);
    found.set(
      kind,
      await checker.lookup(ctx, tx, [
        ...new Set(wanted.filter((r) => r.kind === kind).map((r) => r.id)),
      ]),
    );
  }
  const details = wanted
    .filter((r) => !found.get(r.kind)?.has(r.id))
    .map((r) => ({ path: r.field, message: unknownReferenceMessage(checkerOf(r.kind).label) }));
  if (details.length) throw unknownReferences(details);
}

function checkerOf(kind: string): ReferenceChecker {
  const checker = checkers.get(kind);
  // A programming error (a kind no module provides), not the client's: fail loudly.
  if (!checker)
    throw new Error(`no reference checker for "${kind}"; add it to its module's references`);
  return checker;
}
