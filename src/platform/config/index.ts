import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .optional()
    .transform((v) => (v === undefined ? fallback : ['true', '1', 'yes'].includes(v)));

const url = (protocols: string[]) =>
  z
    .string()
    .url()
    .refine(
      (v) => protocols.some((p) => v.startsWith(`${p}:`)),
      `must start with ${protocols.join(' or ')}:`,
    )
    .optional();

/** Every environment variable Cerebro reads, each documented where it is declared. */
const ENV_SCHEMA = z.object({
  /** HTTP port. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to bind; the embedded default stays on loopback. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Where the embedded database, files and the generated keys live. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** The externally visible base URL, used in emails and OAuth redirects. */
  PUBLIC_URL: url(['http', 'https']),
  /** PostgreSQL ≥ 15; when unset the embedded PGlite in DATA_DIR is used. */
  DATABASE_URL: url(['postgres', 'postgresql']),
  /** Optional read replica for heavy reads. */
  DATABASE_READ_URL: url(['postgres', 'postgresql']),
  /** Redis for cache, rate limits, the token denylist and WebSocket fan-out; memory when unset. */
  REDIS_URL: url(['redis', 'rediss']),
  /** RabbitMQ for events and jobs; in-process when unset. */
  AMQP_URL: url(['amqp', 'amqps']),
  /** Names this deployment's exchanges and queues, so several deployments can share one broker. */
  AMQP_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,39}$/, 'must be lower-case letters, digits, _ or -')
    .default('cerebro'),
  /** SMTP for outgoing mail; the dev mailbox when unset. */
  SMTP_URL: url(['smtp', 'smtps']),
  /** Mail sender address. */
  MAIL_FROM: z.string().min(3).default('Cerebro <no-reply@cerebro.local>'),
  /** S3-compatible object store; DATA_DIR/files when unset. */
  S3_ENDPOINT: url(['http', 'https']),
  S3_BUCKET: z.string().min(1).optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Any OpenAI-compatible endpoint; AI features run offline when unset. */
  LLM_BASE_URL: url(['http', 'https']),
  LLM_API_KEY: z.string().min(1).optional(),
  LLM_MODEL: z.string().min(1).optional(),
  /** 32 bytes as 64 hex chars or base64; generated into DATA_DIR on first run when unset. */
  ENCRYPTION_KEY: z
    .string()
    .refine((v) => decodeKey(v) !== null, 'must be 32 bytes as 64 hex characters or base64')
    .optional(),
  /** Whether anyone may register a new organization; when false, people join by invitation only. */
  ALLOW_SIGNUP: bool(true),
  /** Seed a demo organization on first start (default: true on the embedded database). */
  DEMO: z.enum(['true', 'false', '1', '0', 'yes', 'no']).optional(),
  /** Comma-separated hosts that outbound HTTP may reach even when private or loopback. */
  OUTBOUND_ALLOW_HOSTS: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(',')
            .map((h) => h.trim().toLowerCase())
            .filter(Boolean)
        : [],
    ),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Access-token lifetime in seconds. */
  ACCESS_TOKEN_TTL: z.coerce.number().int().min(30).max(86_400).default(900),
  /** Refresh-token lifetime in seconds. */
  REFRESH_TOKEN_TTL: z.coerce
    .number()
    .int()
    .min(300)
    .default(30 * 86_400),
  /**
   * How many signed-in principals (sessions, API keys) each API process keeps resolved in memory
   * (least recently used first out; every entry lives at most 30 s and is dropped at once when
   * its organization's users, roles, teams or keys change).
   */
  AUTH_CACHE_SIZE: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** Largest accepted request body in bytes. */
  BODY_LIMIT: z.coerce.number().int().min(1024).default(1_048_576),
  /**
   * How much of a refused (too large, wrong type) body is still read and discarded before the
   * answer, so a client that sends before it reads receives the 413 instead of a reset connection.
   */
  BODY_DRAIN_LIMIT: z.coerce
    .number()
    .int()
    .min(0)
    .default(64 * 1_048_576),
  /** Set when served behind TLS so cookies are Secure and HSTS is sent. */
  TRUST_PROXY: bool(false),
  /**
   * How long a worker's claim on a job lasts unless renewed (renewed every third of it while the job
   * runs); a job of a dead worker is taken over after this. At least 5 s so a busy event loop
   * renews in time.
   */
  JOB_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(30),
  /** API processes `cerebro start` runs (node:cluster); unset: one per core when shareable. */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
});

export type Env = z.input<typeof ENV_SCHEMA>;

function decodeKey(v: string): Buffer | null {
  if (/^[0-9a-f]{64}$/i.test(v)) return Buffer.from(v, 'hex');
  const b = Buffer.from(v, 'base64');
  return b.length === 32 ? b : null;
}

/** The parsed, frozen configuration of one process. */
export interface Config {
  http: {
    port: number;
    host: string;
    publicUrl: string;
    bodyLimit: number;
    bodyDrainLimit: number;
    trustProxy: boolean;
    /** API processes `cerebro start` runs; above 1 a primary runs the background work alone. */
    processes: number;
  };
  dataDir: string;
  database: { url: string | null; readUrl: string | null };
  redisUrl: string | null;
  amqpUrl: string | null;
  amqpPrefix: string;
  mail: { smtpUrl: string | null; from: string };
  s3: { endpoint: string; bucket: string; accessKeyId: string; secretAccessKey: string } | null;
  llm: { baseUrl: string; apiKey: string | null; model: string } | null;
  encryptionKey: Buffer | null;
  allowSignup: boolean;
  demo: boolean;
  outboundAllowHosts: readonly string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  auth: { accessTokenTtl: number; refreshTokenTtl: number; cacheSize: number };
  jobs: { leaseMs: number };
}

/** Thrown for a bad environment; the message names each variable but never echoes its value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment once; a bad value stops start-up naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = ENV_SCHEMA.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const s3Parts = [e.S3_ENDPOINT, e.S3_BUCKET, e.S3_ACCESS_KEY_ID, e.S3_SECRET_ACCESS_KEY];
  if (s3Parts.some(Boolean) && !s3Parts.every(Boolean)) {
    throw new ConfigError(
      'Invalid configuration:\n  S3_*: set all of S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY or none',
    );
  }
  // Several processes need the database and the cache they share: PGlite is one process, and
  // without Redis each process would keep its own token denylist, rate limits and WebSocket fan-out.
  const shareable = Boolean(e.DATABASE_URL && e.REDIS_URL);
  if ((e.WEB_CONCURRENCY ?? 1) > 1 && !shareable) {
    throw new ConfigError(
      'Invalid configuration:\n  WEB_CONCURRENCY: more than one process needs DATABASE_URL and REDIS_URL',
    );
  }
  const demoDefault = !e.DATABASE_URL;
  const port = e.PORT;
  const config: Config = {
    http: {
      port,
      host: e.HOST,
      publicUrl: (
        e.PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? 'localhost' : e.HOST}:${port}`
      ).replace(/\/$/, ''),
      bodyLimit: e.BODY_LIMIT,
      bodyDrainLimit: e.BODY_DRAIN_LIMIT,
      trustProxy: e.TRUST_PROXY,
      processes: e.WEB_CONCURRENCY ?? (shareable ? availableParallelism() : 1),
    },
    dataDir: path.resolve(e.DATA_DIR),
    database: { url: e.DATABASE_URL ?? null, readUrl: e.DATABASE_READ_URL ?? null },
    redisUrl: e.REDIS_URL ?? null,
    amqpUrl: e.AMQP_URL ?? null,
    amqpPrefix: e.AMQP_PREFIX,
    mail: { smtpUrl: e.SMTP_URL ?? null, from: e.MAIL_FROM },
    s3:
      e.S3_ENDPOINT && e.S3_BUCKET && e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY
        ? {
            endpoint: e.S3_ENDPOINT,
            bucket: e.S3_BUCKET,
            accessKeyId: e.S3_ACCESS_KEY_ID,
            secretAccessKey: e.S3_SECRET_ACCESS_KEY,
          }
        : null,
    llm: e.LLM_BASE_URL
      ? { baseUrl: e.LLM_BASE_URL, apiKey: e.LLM_API_KEY ?? null, model: e.LLM_MODEL ?? 'llama3.1' }
      : null,
    encryptionKey: e.ENCRYPTION_KEY ? decodeKey(e.ENCRYPTION_KEY) : null,
    allowSignup: e.ALLOW_SIGNUP,
    demo: e.DEMO === undefined ? demoDefault : ['true', '1', 'yes'].includes(e.DEMO),
    outboundAllowHosts: Object.freeze(e.OUTBOUND_ALLOW_HOSTS),
    logLevel: e.LOG_LEVEL,
    auth: {
      accessTokenTtl: e.ACCESS_TOKEN_TTL,
      refreshTokenTtl: e.REFRESH_TOKEN_TTL,
      cacheSize: e.AUTH_CACHE_SIZE,
    },
    jobs: { leaseMs: e.JOB_LEASE_SECONDS * 1000 },
  };
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Names and one-line descriptions of every variable, for `cerebro --help` and the README. */
export const ENV_HELP: ReadonlyArray<[string, string]> = [
  ['PORT', 'HTTP port (3000)'],
  ['HOST', 'interface to bind (127.0.0.1)'],
  ['DATA_DIR', 'embedded database, files and keys (./data)'],
  ['PUBLIC_URL', 'external base URL used in emails'],
  ['DATABASE_URL', 'PostgreSQL ≥ 15 (embedded PGlite when unset)'],
  ['DATABASE_READ_URL', 'optional read replica'],
  ['REDIS_URL', 'cache, rate limits, token denylist, WebSocket fan-out (memory when unset)'],
  ['AMQP_URL', 'RabbitMQ for events and jobs (in-process when unset)'],
  ['AMQP_PREFIX', "names of this deployment's exchanges and queues (cerebro)"],
  ['SMTP_URL', 'outgoing mail (dev mailbox when unset)'],
  ['MAIL_FROM', 'sender address'],
  [
    'S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY',
    'S3-compatible file store (DATA_DIR/files when unset)',
  ],
  ['LLM_BASE_URL, LLM_API_KEY, LLM_MODEL', 'OpenAI-compatible LLM (offline AI when unset)'],
  ['ENCRYPTION_KEY', '32-byte key for secrets at rest (generated into DATA_DIR when unset)'],
  ['ALLOW_SIGNUP', 'self-service sign-up of new organizations (true)'],
  ['DEMO', 'seed a demo organization on first start (true on the embedded database)'],
  ['OUTBOUND_ALLOW_HOSTS', 'hosts outbound HTTP may reach even if private'],
  ['LOG_LEVEL', 'fatal|error|warn|info|debug|trace|silent (info)'],
  ['ACCESS_TOKEN_TTL, REFRESH_TOKEN_TTL', 'token lifetimes in seconds (900, 2592000)'],
  ['AUTH_CACHE_SIZE', 'signed-in principals each API process keeps resolved (10000)'],
  ['BODY_LIMIT', 'largest request body in bytes (1048576)'],
  [
    'BODY_DRAIN_LIMIT',
    'bytes of a refused body still read so the client gets the answer (67108864)',
  ],
  ['TRUST_PROXY', 'behind a TLS-terminating proxy: Secure cookies, HSTS (false)'],
  [
    'WEB_CONCURRENCY',
    'API processes of `cerebro start` (one per core with DATABASE_URL and REDIS_URL, else 1)',
  ],
  [
    'JOB_LEASE_SECONDS',
    "a worker's claim on a job; a dead worker's job is taken over after it (30, at least 5)",
  ],
];
