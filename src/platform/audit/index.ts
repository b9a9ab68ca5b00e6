import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { deferWrite, type Tx } from '../db/index.js';
import { chainHash, diffHashOf, GENESIS_HASH } from './chain.js';

export { canonicalJson, chainHash, diffHashOf, GENESIS_HASH } from './chain.js';

/** One change to record. */
export interface AuditInput {
  organizationId: string;
  actorType: 'user' | 'api_key' | 'system';
  actorId: string | null;
  /** `resource.verb`, e.g. `user.invited`. */
  action: string;
  targetType: string;
  targetId: string | null;
  /** Field diff `{ field: { from, to } }` or other structured detail; never secrets. */
  diff?: Record<string, unknown> | null;
  requestId?: string | null;
}

/** An entry waiting for its transaction's commit: everything but its place in the chain. */
interface PendingEntry {
  input: AuditInput;
  id: string;
  occurredAt: Date;
}

/** The organization's chain head, locked until commit; created (genesis) on its first entry. */
async function lockHead(tx: Tx, organizationId: string): Promise<{ seq: number; hash: string }> {
  const read = () =>
    tx
      .selectFrom('audit_heads')
      .select(['seq', 'hash'])
      .where('organization_id', '=', organizationId)
      .forUpdate()
      .executeTakeFirst();
  const head = await read();
  if (head) return { seq: Number(head.seq), hash: head.hash };
  await tx
    .insertInto('audit_heads')
    .values({ organization_id: organizationId, seq: 0, hash: GENESIS_HASH })
    .onConflict((oc) => oc.column('organization_id').doNothing())
    .execute();
  const created = await read();
  if (!created) throw new Error('the audit chain head could not be created');
  return { seq: Number(created.seq), hash: created.hash };
}

/** Chains a transaction's entries of one organization onto its head: three statements for any number. */
async function appendEntries(tx: Tx, entries: readonly PendingEntry[]): Promise<void> {
  const organizationId = entries[0]?.input.organizationId;
  if (!organizationId) return;
  const head = await lockHead(tx, organizationId);
  let { seq, hash } = head;
  const rows = entries.map(({ input, id, occurredAt }) => {
    const entry = {
      organizationId,
      seq: seq + 1,
      id,
      occurredAt,
      actorType: input.actorType,
      actorId: input.actorId,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId,
      diffHash: diffHashOf(input.diff ?? null),
      requestId: input.requestId ?? null,
    };
    const prevHash = hash;
    seq = entry.seq;
    hash = chainHash(prevHash, entry);
    const diff = input.diff ?? null;
    return {
      organization_id: organizationId,
      seq: entry.seq,
      id: entry.id,
      occurred_at: entry.occurredAt,
      actor_type: entry.actorType,
      actor_id: entry.actorId,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      diff: diff === null ? null : JSON.stringify(diff),
      diff_hash: entry.diffHash,
      request_id: entry.requestId,
      prev_hash: prevHash,
      hash,
    };
  });
  await tx.insertInto('audit_log').values(rows).execute();
  await tx
    .updateTable('audit_heads')
    .set({ seq, hash })
    .where('organization_id', '=', organizationId)
    .execute();
}

/**
 * Appends an entry to the organization's hash chain, inside the caller's transaction so the entry
 * commits (or not) with the change it describes. The entries of one transaction are chained just
 * before it commits, all at once, under a lock on the head row: concurrent transactions serialize
 * per organization only for that moment, and the chain never forks.
 */
export async function appendAudit(tx: Tx, input: AuditInput): Promise<void> {
  await deferWrite(
    tx,
    `audit:${input.organizationId}`,
    { input, id: uuidv7(), occurredAt: new Date() },
    appendEntries,
  );
}

/** The field-level difference between two versions of a record, secrets left out. */
export function fieldDiff(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  omit: readonly string[] = [],
): Record<string, { from: unknown; to: unknown }> {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const diff: Record<string, { from: unknown; to: unknown }> = {};
  for (const k of keys) {
    if (omit.includes(k)) continue;
    const from = before?.[k] ?? null;
    const to = after?.[k] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) diff[k] = { from, to };
  }
  return diff;
}

/** The result of checking one organization's chain. */
export interface AuditVerification {
  organizationId: string;
  valid: boolean;
  checked: number;
  /** The first seq where the chain breaks, or null. */
  brokenAt: number | null;
  reason: string | null;
}

const PAGE = 1000;

/**
 * Walks the organization's chain from the start and recomputes every hash. Detects an edited
 * entry (hash mismatch), a deleted or inserted one (seq gap or prev_hash mismatch) and deleted
 * newest entries (the head no longer matches the last entry).
 */
export async function verifyAuditChain(tx: Tx, organizationId: string): Promise<AuditVerification> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  const fail = (seq: number, reason: string): AuditVerification => ({
    organizationId,
    valid: false,
    checked,
    brokenAt: seq,
    reason,
  });
  for (;;) {
    const rows = await tx
      .selectFrom('audit_log')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expectedSeq) return fail(expectedSeq, `entry ${expectedSeq} is missing`);
      if (r.prev_hash !== prevHash)
        return fail(seq, `entry ${seq} does not follow entry ${seq - 1}`);
      // A redacted diff is gone on purpose (erasure); an unredacted one must still match its hash.
      if (!r.redacted_at && diffHashOf(r.diff) !== r.diff_hash)
        return fail(seq, `entry ${seq} was modified`);
      const hash = chainHash(prevHash, {
        organizationId,
        seq,
        id: r.id,
        occurredAt: r.occurred_at,
        actorType: r.actor_type,
        actorId: r.actor_id,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        diffHash: r.diff_hash,
        requestId: r.request_id,
      });
      if (hash !== r.hash) return fail(seq, `entry ${seq} was modified`);
      prevHash = hash;
      expectedSeq = seq + 1;
      checked++;
    }
    if (rows.length < PAGE) break;
  }
  const head = await tx
    .selectFrom('audit_heads')
    .select(['seq', 'hash'])
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
  const headSeq = head ? Number(head.seq) : 0;
  if (headSeq !== expectedSeq - 1 || (head && head.hash !== prevHash)) {
    return fail(
      expectedSeq,
      `the chain ends at entry ${expectedSeq - 1} but the head says ${headSeq}: newest entries were removed`,
    );
  }
  return { organizationId, valid: true, checked, brokenAt: null, reason: null };
}

/** Every organization that has an audit chain (system scope). */
export async function auditedOrganizations(tx: Tx): Promise<string[]> {
  const rows = await sql<{
    organization_id: string;
  }>`select organization_id from audit_heads order by organization_id`.execute(tx);
  return rows.rows.map((r) => r.organization_id);
}

/** Blanks the diffs of one record's audit entries (erasure); the chain still verifies. */
export async function redactAuditDiffs(
  tx: Tx,
  targetType: string,
  targetId: string,
): Promise<number> {
  const r = await sql<{
    n: number;
  }>`select cerebro_redact_audit(${targetType}, ${targetId}::uuid) as n`.execute(tx);
  return Number(r.rows[0]?.n ?? 0);
}
