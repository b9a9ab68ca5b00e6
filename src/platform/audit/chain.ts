import { createHash } from 'node:crypto';

/** The hash every organization's chain starts from. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit entry that its hash covers. */
export interface ChainedEntry {
  organizationId: string;
  seq: number;
  id: string;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  /** sha256 of the canonical diff: the chain covers the diff through it, so a diff can be redacted. */
  diffHash: string;
  requestId: string | null;
}

/** The hash of a diff as the chain records it. */
export const diffHashOf = (diff: unknown): string =>
  createHash('sha256')
    .update(canonicalJson(diff ?? null))
    .digest('hex');

/** JSON with object keys sorted at every depth, so jsonb's key reordering cannot change a hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** hash_n = sha256(hash_{n-1} || canonical(entry_n)). */
export function chainHash(prevHash: string, e: ChainedEntry): string {
  const body = canonicalJson([
    e.organizationId,
    e.seq,
    e.id,
    e.occurredAt.toISOString(),
    e.actorType,
    e.actorId,
    e.action,
    e.targetType,
    e.targetId,
    e.diffHash,
    e.requestId,
  ]);
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}
