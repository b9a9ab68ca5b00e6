import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyBaseLogger } from 'fastify';
import type { Actor } from '../authz/index.js';
import { appendAudit, type AuditInput } from '../audit/index.js';
import { bumpChangeVersion, type Cache } from '../cache/index.js';
import type { Config } from '../config/index.js';
import { onCommit, withTenant, type Database, type Tx } from '../db/index.js';
import { enqueueJob, type JobInput, type JobRunner } from '../jobs/index.js';
import type { Mailer } from '../mail/index.js';
import type { ModuleRegistry } from '../module-definition/index.js';
import { emit, type Causation, type EventInput, type OutboxDispatcher } from '../outbox/index.js';
import type { RealtimeBus } from '../realtime/index.js';

/** A clock that tests can move. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** The adapters of one process, built once at start-up and handed to every ctx. */
export interface Deps {
  config: Config;
  database: Database;
  cache: Cache;
  mailer: Mailer;
  clock: Clock;
  log: FastifyBaseLogger;
  outbox: OutboxDispatcher;
  /** Background jobs: `wake()` after enqueueing outside a ctx; workers start it. */
  jobs: JobRunner;
  /** Messages to WebSocket clients, across processes when Redis is configured. */
  realtime: RealtimeBus;
  /** The key for secrets at rest (AES-256-GCM) and for signing tokens (via HKDF). */
  secretKey: Buffer;
  /** What the module list declares: permission catalog, default roles, organization setups, … */
  modules: ModuleRegistry;
}

/** Everything a service function needs: who, for which organization, and the adapters. */
export interface Ctx {
  organizationId: string;
  actor: Actor;
  requestId: string | null;
  log: FastifyBaseLogger;
  deps: Deps;
  /** Set for a workflow run's actions: every event they emit carries it. */
  causation: Causation | null;
  /** Runs `fn` in this organization's transaction; nested calls join the open one. */
  tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** The same actor with another causation; its `tx` joins this ctx's open transaction. */
  withCausation(causation: Causation | null): Ctx;
  /**
   * Runs `hook` first thing in the next transaction this ctx opens (not one it joins), so what the
   * hook writes commits or rolls back with that work; a hook that throws rolls it back. Answers a
   * function that cancels the hook if it has not run.
   */
  onNextTx(hook: (tx: Tx) => Promise<void>): () => void;
  /** Records an audit entry for this actor in `tx`. */
  audit(
    tx: Tx,
    entry: Omit<AuditInput, 'organizationId' | 'actorType' | 'actorId' | 'requestId'>,
  ): Promise<void>;
  /** Writes a domain event to the outbox in `tx`. */
  emit(tx: Tx, event: Omit<EventInput, 'organizationId'>): Promise<string>;
  /** Enqueues a background job in `tx` (due now unless `runAt`); the runner is woken after commit. */
  enqueue(tx: Tx, job: Omit<JobInput, 'organizationId'>): Promise<string>;
}

const activeTx = new AsyncLocalStorage<{ owner: object; tx: Tx }>();

/** Transactions that already bump their organization's change version once they commit. */
const bumping = new WeakSet<Tx>();

/**
 * Answers cached under the organization's change version (search) must not outlive the change
 * this transaction makes. After the commit, not before: a reader that sees the new version must
 * also see the new rows. One bump per transaction, however many events it emits (an import batch).
 */
function bumpChangeVersionOnCommit(deps: Deps, organizationId: string, tx: Tx): void {
  if (bumping.has(tx)) return;
  bumping.add(tx);
  onCommit(tx, () => {
    bumpChangeVersion(deps.cache, organizationId).catch((err: unknown) =>
      deps.log.warn({ err }, 'could not move the change version; cached answers expire by TTL'),
    );
  });
}

/** Builds a ctx for an actor of one organization. */
export function createCtx(
  deps: Deps,
  actor: Actor,
  requestId: string | null = null,
  log: FastifyBaseLogger = deps.log,
  causation: Causation | null = null,
): Ctx {
  return buildCtx(deps, actor, requestId, log, causation, {}, null);
}

/**
 * Builds a ctx whose `tx` is the open transaction `tx` (of the actor's organization): the work
 * done through it commits or rolls back with what the caller does in that transaction (an event
 * consumer's effects with the record of the event id).
 */
export function createCtxInTx(
  deps: Deps,
  actor: Actor,
  tx: Tx,
  log: FastifyBaseLogger = deps.log,
): Ctx {
  return buildCtx(deps, actor, null, log, null, {}, tx);
}

/**
 * `owner` identifies whose open transaction nested calls join: a ctx and those derived from it.
 * `bound`: the transaction every `tx` call runs in instead of opening one.
 */
function buildCtx(
  deps: Deps,
  actor: Actor,
  requestId: string | null,
  log: FastifyBaseLogger,
  causation: Causation | null,
  owner: object,
  bound: Tx | null,
): Ctx {
  let nextTxHooks: Array<(tx: Tx) => Promise<void>> = [];
  const ctx: Ctx = {
    organizationId: actor.organizationId,
    actor,
    requestId,
    log,
    deps,
    causation,
    async tx(fn) {
      const current = activeTx.getStore();
      if (current && current.owner === owner) return fn(current.tx);
      const run = (tx: Tx) =>
        activeTx.run({ owner, tx }, async () => {
          const hooks = nextTxHooks;
          nextTxHooks = [];
          for (const hook of hooks) await hook(tx);
          return fn(tx);
        });
      return bound ? run(bound) : withTenant(deps.database.db, actor.organizationId, run);
    },
    withCausation: (next) => buildCtx(deps, actor, requestId, log, next, owner, bound),
    onNextTx(hook) {
      nextTxHooks.push(hook);
      return () => {
        nextTxHooks = nextTxHooks.filter((h) => h !== hook);
      };
    },
    async audit(tx, entry) {
      await appendAudit(tx, {
        ...entry,
        organizationId: actor.organizationId,
        actorType: actor.type,
        actorId: actor.type === 'system' ? null : actor.id,
        requestId,
      });
    },
    async emit(tx, event) {
      onCommit(tx, deps.outbox.wake);
      bumpChangeVersionOnCommit(deps, actor.organizationId, tx);
      return emit(tx, { ...event, organizationId: actor.organizationId, causation });
    },
    async enqueue(tx, job) {
      onCommit(tx, deps.jobs.wake);
      return enqueueJob(tx, {
        ...job,
        runAt: job.runAt ?? deps.clock.now(),
        organizationId: actor.organizationId,
      });
    },
  };
  return ctx;
}

const SYSTEM_ID = '00000000-0000-0000-0000-000000000000';

/** The system actor of one organization: background work, seeds, consumers. */
export function systemActor(organizationId: string): Actor {
  return {
    type: 'system',
    id: SYSTEM_ID,
    userId: null,
    organizationId,
    name: 'System',
    grants: new Map(),
    grantSources: new Map(),
    teamIds: [],
    teamMemberIds: [],
    sessionId: null,
  };
}

export { consumerCtx, consumerHandler, type Consumer } from './consumer.js';
