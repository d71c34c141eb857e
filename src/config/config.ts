import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_DATABASE_TIMEOUTS, type DatabaseTimeouts } from '../db/database-timeouts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A count of `unit` from 0 to `max`, digits only (a stray space or sign is an error, not 0). */
function wholeNumber(unit: string, max: number, min = 0) {
  return z
    .string()
    .regex(/^\d+$/, `must be a whole number of ${unit}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min} ${unit}`).max(max, `must be at most ${max} ${unit}`));
}

/** A time limit in milliseconds, from 1 ms to an hour. */
const millis = (fallback: number) => wholeNumber('milliseconds', 3_600_000, 1).default(fallback);

const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  CORS_ORIGINS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ protocol: /^https?$/, error: 'must list http(s) origins, comma-separated' })))
    .optional(),
  AUTH_FAILURE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(20),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .refine((v) => !/[?#]/.test(v), 'must not carry a query or a fragment')
    .optional(),
  // Start-up and shutdown: how long to wait for PostgreSQL at start, and for requests in flight at a stop.
  DATABASE_STARTUP_TIMEOUT: wholeNumber('seconds', 86_400).default(60),
  SHUTDOWN_GRACE_MS: wholeNumber('milliseconds', 600_000).default(10_000),
  // Live streams hear other processes' changes through LISTEN/NOTIFY; this poll is the fallback.
  STREAM_POLL_MS: millis(1_000),
  // Server processes on one PostgreSQL database (src/cluster.ts): a number, or `auto` for one per core.
  WORKERS: z
    .string()
    .regex(/^(auto|\d+)$/, 'must be a whole number of processes, or auto')
    .transform((v) => (v === 'auto' ? 'auto' : Number(v)))
    .pipe(z.union([z.literal('auto'), z.number().min(1, 'must be at least 1').max(64, 'must be at most 64')]))
    .default(1),
  // How long to wait on PostgreSQL (src/db/database-timeouts.ts).
  DATABASE_CONNECT_TIMEOUT_MS: millis(DEFAULT_DATABASE_TIMEOUTS.connectMs),
  DATABASE_STATEMENT_TIMEOUT_MS: millis(DEFAULT_DATABASE_TIMEOUTS.statementMs),
  DATABASE_TRANSACTION_TIMEOUT_MS: millis(DEFAULT_DATABASE_TIMEOUTS.transactionMs),
});

export interface Config {
  port: number;
  host: string;
  /** PostgreSQL when set; otherwise the embedded PGlite in `dataDir` (a folder, or `memory://` for a throw-away one). */
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /** When set, creating an exercise needs `Authorization: Bearer <adminToken>`. */
  adminToken: string | undefined;
  /** Origins allowed to call the API from a browser; none (CORS off) when empty. */
  corsOrigins: string[];
  /** Failed authentications (401) allowed per client address and minute before 429. */
  authFailureLimit: number;
  /** The address trainees' devices reach the dashboard at (sign-in links are built on it), without a trailing /. */
  publicUrl: string;
  /** How long start-up keeps retrying an unreachable PostgreSQL (s); 0 tries once. */
  databaseStartupTimeoutSeconds: number;
  /** How long a stop lets requests in flight finish before their connections are closed (ms). */
  shutdownGraceMs: number;
  /** How often a live stream reads the database when no notification woke it (ms): a fallback for lost messages. */
  streamPollMs: number;
  /** How long to wait on PostgreSQL: to connect (or for a pooled connection), per statement, per transaction. */
  databaseTimeouts: DatabaseTimeouts;
  /** Server processes (src/cluster.ts); more than 1 only on PostgreSQL. */
  workers: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; lists every bad value rather than falling back silently. Empty means unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const name = String(i.path[0]);
        const shown = name === 'ADMIN_TOKEN' ? '(hidden)' : JSON.stringify(withoutPassword(present[name]));
        return `${i.path.join('.')}: ${i.message} (got ${shown})`;
      }),
    );
  }
  const c = parsed.data;
  // A transaction has at least the time of one statement, so that the statement's own limit comes first.
  if (c.DATABASE_TRANSACTION_TIMEOUT_MS < c.DATABASE_STATEMENT_TIMEOUT_MS) {
    const got = c.DATABASE_TRANSACTION_TIMEOUT_MS;
    throw new ConfigError([
      `DATABASE_TRANSACTION_TIMEOUT_MS: must be at least DATABASE_STATEMENT_TIMEOUT_MS (got ${got})`,
    ]);
  }
  // PGlite is the database of the one process that opened it: other processes cannot share it.
  if (typeof c.WORKERS === 'number' && c.WORKERS > 1 && !c.DATABASE_URL) {
    throw new ConfigError([
      'WORKERS: more than one server process needs DATABASE_URL (PostgreSQL): ' +
        `the embedded database belongs to one process (got ${c.WORKERS})`,
    ]);
  }
  return {
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    // `memory://` is PGlite's throw-away database, not a folder.
    dataDir: c.DATA_DIR.startsWith('memory://') ? c.DATA_DIR : path.resolve(c.DATA_DIR),
    logLevel: c.LOG_LEVEL,
    adminToken: c.ADMIN_TOKEN,
    corsOrigins: c.CORS_ORIGINS ?? [],
    authFailureLimit: c.AUTH_FAILURE_LIMIT,
    publicUrl: (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, ''),
    databaseStartupTimeoutSeconds: c.DATABASE_STARTUP_TIMEOUT,
    shutdownGraceMs: c.SHUTDOWN_GRACE_MS,
    streamPollMs: c.STREAM_POLL_MS,
    databaseTimeouts: {
      connectMs: c.DATABASE_CONNECT_TIMEOUT_MS,
      statementMs: c.DATABASE_STATEMENT_TIMEOUT_MS,
      transactionMs: c.DATABASE_TRANSACTION_TIMEOUT_MS,
    },
    // `auto`: a process per core on PostgreSQL, one on the embedded database.
    workers: c.WORKERS === 'auto' ? (c.DATABASE_URL ? os.availableParallelism() : 1) : c.WORKERS,
  };
}

/** A connection string as it may be shown: any password replaced. */
function withoutPassword(value: string | undefined): string | undefined {
  return value?.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}
