import { sql } from 'kysely';
import { canonicalJson } from '../audit/index.js';
import type { Ctx } from '../context/index.js';
import type { Tx } from '../db/index.js';
import { sha256 } from '../crypto/index.js';
import { DomainError } from '../errors/index.js';

/** A stored answer to replay. */
export interface StoredAnswer {
  status: number;
  body: unknown;
}

const KEY_PATTERN = /^[\w.:-]{1,200}$/;
/**
 * A key whose work committed without an answer this long ago is taken for a request whose
 * process died after its first commit: its answer is lost, and retrying must not do it again.
 */
const LOST_ANSWER_SECONDS = 30;
/** Keys are kept for a day, like Stripe's; older ones are purged and may be reused. */
export const IDEMPOTENCY_TTL_HOURS = 24;

/** How a route's work and its key commit. */
export type IdempotencyMode = 'atomic' | 'first-transaction';

type Claim =
  | { kind: 'claimed' }
  | { kind: 'mismatch' }
  | { kind: 'done'; status: number; body: unknown }
  | { kind: 'in_progress' }
  | { kind: 'lost' };

interface KeyRef {
  ctx: Ctx;
  key: string;
  method: string;
  path: string;
  requestHash: string;
}

const keyRow = (tx: Tx, ref: KeyRef) =>
  tx
    .selectFrom('idempotency_keys')
    .where('organization_id', '=', ref.ctx.organizationId)
    .where('actor_id', '=', ref.ctx.actor.id)
    .where('key', '=', ref.key);

/** What a stored row says to a request with this key. */
async function inspect(tx: Tx, ref: KeyRef): Promise<Exclude<Claim, { kind: 'claimed' }> | null> {
  const row = await keyRow(tx, ref)
    .select([
      'request_hash',
      'status_code',
      'response_body',
      sql<boolean>`created_at < now() - make_interval(secs => ${LOST_ANSWER_SECONDS})`.as('stale'),
    ])
    .executeTakeFirst();
  if (!row) return null;
  if (row.request_hash !== ref.requestHash) return { kind: 'mismatch' };
  if (row.status_code !== null)
    return { kind: 'done', status: row.status_code, body: row.response_body };
  return row.stale ? { kind: 'lost' } : { kind: 'in_progress' };
}

/**
 * Claims the key in `tx`. The claim commits only with that transaction, so a request that dies
 * before its work commits leaves no claim behind; a concurrent request with the same key waits
 * on the unique index until the first one's transaction ends, then sees its outcome.
 */
async function claim(tx: Tx, ref: KeyRef): Promise<Claim> {
  await tx
    .deleteFrom('idempotency_keys')
    .where('organization_id', '=', ref.ctx.organizationId)
    .where(sql<boolean>`created_at < now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`)
    .execute();
  const inserted = await tx
    .insertInto('idempotency_keys')
    .values({
      organization_id: ref.ctx.organizationId,
      actor_id: ref.ctx.actor.id,
      key: ref.key,
      method: ref.method,
      path: ref.path,
      request_hash: ref.requestHash,
      status_code: null,
      response_body: null,
    })
    .onConflict((oc) => oc.columns(['organization_id', 'actor_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (inserted) return { kind: 'claimed' };
  return (await inspect(tx, ref)) ?? { kind: 'in_progress' };
}

/** Records the answer (inserting the row when the work opened no transaction that claimed it). */
async function store(tx: Tx, ref: KeyRef, answer: StoredAnswer): Promise<void> {
  await tx
    .insertInto('idempotency_keys')
    .values({
      organization_id: ref.ctx.organizationId,
      actor_id: ref.ctx.actor.id,
      key: ref.key,
      method: ref.method,
      path: ref.path,
      request_hash: ref.requestHash,
      status_code: answer.status,
      response_body: JSON.stringify(answer.body ?? null),
    })
    .onConflict((oc) =>
      oc.columns(['organization_id', 'actor_id', 'key']).doUpdateSet({
        status_code: answer.status,
        response_body: JSON.stringify(answer.body ?? null),
      }),
    )
    .execute();
}

/** Releases the key of a request that failed, for a corrected retry. */
async function forget(tx: Tx, ref: KeyRef): Promise<void> {
  await tx
    .deleteFrom('idempotency_keys')
    .where('organization_id', '=', ref.ctx.organizationId)
    .where('actor_id', '=', ref.ctx.actor.id)
    .where('key', '=', ref.key)
    .execute();
}

/** The answer a claim that is not ours gives, as an error or a replay. */
function settle(c: Exclude<Claim, { kind: 'claimed' }>): StoredAnswer & { replayed: true } {
  switch (c.kind) {
    case 'mismatch':
      throw new DomainError(
        'rule_violated',
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used with a different request',
      );
    case 'in_progress':
      throw new DomainError(
        'conflict',
        'IDEMPOTENCY_IN_PROGRESS',
        'A request with this Idempotency-Key is still being processed',
        { retryAfter: 1 },
      );
    case 'lost':
      throw new DomainError(
        'conflict',
        'IDEMPOTENCY_ANSWER_LOST',
        'The request with this Idempotency-Key was carried out, but the server stopped before recording its answer; look the result up instead of retrying',
      );
    case 'done':
      return { status: c.status, body: c.body, replayed: true };
  }
}

/** Thrown inside the work's transaction when the claim finds the key taken; rolls that transaction back. */
class KeyTaken extends Error {
  constructor(readonly claim: Exclude<Claim, { kind: 'claimed' }>) {
    super('idempotency key taken');
  }
}

/**
 * Runs `execute` at most once per (actor, key): a retried POST with the same key and body gets the
 * first answer back; the same key with another body is a 422.
 *
 * `atomic` (routes whose work is one transaction): the claim, the work and the answer commit in
 * one transaction — after a crash anywhere, a retry either finds the answer or does the work.
 * `first-transaction` (the rest): the claim commits with the work's first transaction and the
 * answer is stored after the work, so a retry never does the work twice; only a crash in between
 * loses the answer (IDEMPOTENCY_ANSWER_LOST). A failed request releases its key.
 */
export async function withIdempotency(
  ctx: Ctx,
  key: string,
  request: { method: string; path: string; body: unknown },
  execute: () => Promise<StoredAnswer>,
  mode: IdempotencyMode = 'first-transaction',
): Promise<StoredAnswer & { replayed: boolean }> {
  if (!KEY_PATTERN.test(key)) {
    throw new DomainError(
      'validation',
      'VALIDATION_FAILED',
      'Idempotency-Key must be 1–200 characters of letters, digits, . : _ -',
      {
        details: [{ path: 'Idempotency-Key', message: 'invalid format' }],
      },
    );
  }
  const ref: KeyRef = {
    ctx,
    key,
    method: request.method,
    path: request.path,
    requestHash: sha256(`${request.method} ${request.path} ${canonicalJson(request.body ?? null)}`),
  };
  if (mode === 'atomic') {
    const outcome = await ctx.tx(async (tx) => {
      const c = await claim(tx, ref);
      if (c.kind !== 'claimed') return c;
      const answer = await execute();
      await store(tx, ref, answer);
      return { kind: 'executed' as const, answer };
    });
    return outcome.kind === 'executed' ? { ...outcome.answer, replayed: false } : settle(outcome);
  }
  const seen = await ctx.tx((tx) => inspect(tx, ref));
  if (seen) return settle(seen);
  let claimed = false;
  const cancel = ctx.onNextTx(async (tx) => {
    const c = await claim(tx, ref);
    if (c.kind !== 'claimed') throw new KeyTaken(c);
    claimed = true;
  });
  let answer: StoredAnswer;
  try {
    answer = await execute();
  } catch (err) {
    if (err instanceof KeyTaken) return settle(err.claim);
    // A failed request is released for a corrected retry (its transactions rolled back).
    if (claimed) await ctx.tx((tx) => forget(tx, ref)).catch(() => undefined);
    throw err;
  } finally {
    cancel();
  }
  await ctx.tx((tx) => store(tx, ref, answer));
  return { ...answer, replayed: false };
}
