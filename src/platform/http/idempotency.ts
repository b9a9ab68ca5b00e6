import { sql } from 'kysely';
import { canonicalJson } from '../audit/index.js';
import type { Ctx } from '../context/index.js';
import { sha256 } from '../crypto/index.js';
import { DomainError } from '../errors/index.js';

/** A stored answer to replay. */
export interface StoredAnswer {
  status: number;
  body: unknown;
}

const KEY_PATTERN = /^[\w.:-]{1,200}$/;
/** A claimed key whose request never finished (the process died) may be taken over after this. */
const STALE_CLAIM_SECONDS = 60;
/** Keys are kept for a day, like Stripe's; older ones are purged and may be reused. */
export const IDEMPOTENCY_TTL_HOURS = 24;

/**
 * Runs `execute` at most once per (actor, key): a retried POST with the same key and body gets the
 * first answer back; the same key with another body is a 422. The key is claimed before the work
 * and completed after it, so two concurrent retries never both create.
 */
export async function withIdempotency(
  ctx: Ctx,
  key: string,
  request: { method: string; path: string; body: unknown },
  execute: () => Promise<StoredAnswer>,
): Promise<StoredAnswer & { replayed: boolean }> {
  if (!KEY_PATTERN.test(key)) {
    throw new DomainError('validation', 'VALIDATION_FAILED', 'Idempotency-Key must be 1–200 characters of letters, digits, . : _ -', {
      details: [{ path: 'Idempotency-Key', message: 'invalid format' }],
    });
  }
  const requestHash = sha256(`${request.method} ${request.path} ${canonicalJson(request.body ?? null)}`);
  const claim = await ctx.tx(async (tx) => {
    await tx
      .deleteFrom('idempotency_keys')
      .where('organization_id', '=', ctx.organizationId)
      .where(sql<boolean>`created_at < now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`)
      .execute();
    const inserted = await tx
      .insertInto('idempotency_keys')
      .values({
        organization_id: ctx.organizationId,
        actor_id: ctx.actor.id,
        key,
        method: request.method,
        path: request.path,
        request_hash: requestHash,
        status_code: null,
        response_body: null,
      })
      .onConflict((oc) => oc.columns(['organization_id', 'actor_id', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) return { kind: 'claimed' as const };
    const row = await tx
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'status_code', 'response_body', sql<boolean>`created_at < now() - make_interval(secs => ${STALE_CLAIM_SECONDS})`.as('stale')])
      .where('organization_id', '=', ctx.organizationId)
      .where('actor_id', '=', ctx.actor.id)
      .where('key', '=', key)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (row.request_hash !== requestHash) return { kind: 'mismatch' as const };
    if (row.status_code !== null) return { kind: 'done' as const, status: row.status_code, body: row.response_body };
    if (row.stale) {
      await tx.updateTable('idempotency_keys').set({ created_at: new Date() }).where('organization_id', '=', ctx.organizationId).where('actor_id', '=', ctx.actor.id).where('key', '=', key).execute();
      return { kind: 'claimed' as const };
    }
    return { kind: 'in_progress' as const };
  });
  switch (claim.kind) {
    case 'mismatch':
      throw new DomainError('rule_violated', 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request');
    case 'in_progress':
      throw new DomainError('conflict', 'IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed', { retryAfter: 1 });
    case 'done':
      return { status: claim.status, body: claim.body, replayed: true };
    case 'claimed':
      break;
  }
  const release = () =>
    ctx.tx((tx) => tx.deleteFrom('idempotency_keys').where('organization_id', '=', ctx.organizationId).where('actor_id', '=', ctx.actor.id).where('key', '=', key).execute());
  let answer: StoredAnswer;
  try {
    answer = await execute();
  } catch (err) {
    // Failed requests created nothing, so the key is released for a corrected retry.
    await release().catch(() => undefined);
    throw err;
  }
  await ctx.tx((tx) =>
    tx
      .updateTable('idempotency_keys')
      .set({ status_code: answer.status, response_body: JSON.stringify(answer.body ?? null) })
      .where('organization_id', '=', ctx.organizationId)
      .where('actor_id', '=', ctx.actor.id)
      .where('key', '=', key)
      .execute(),
  );
  return { ...answer, replayed: false };
}
