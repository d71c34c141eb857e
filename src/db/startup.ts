import { isDriverAdapterError } from '@prisma/driver-adapter-utils';
import pRetry, { AbortError } from 'p-retry';
import type { Logger } from 'pino';
import { databaseFailureOf } from './database-errors';
import {
  migrateWhileWarming,
  openDatabase,
  openMigratedDatabase,
  type Database,
  type DatabaseOptions,
} from './database';

/**
 * Start-up against a PostgreSQL that may not be up yet (a container started beside it, a server
 * restarting): opening and migrating is tried again with capped exponential backoff and jitter
 * until `timeoutSeconds` have passed, but only while the failure is of the connection (refused,
 * timed out, unknown host, the server starting up or shutting down, too many connections). A wrong
 * password, a missing database or a failing migration is not retried: waiting would not mend it.
 * PGlite runs in this process: there is nothing to wait for.
 */

export interface StartupRetry {
  /** How long to keep trying (s); 0 tries once. */
  timeoutSeconds: number;
  logger: Logger;
}

/** The backoff: from 250 ms, doubling, each delay drawn from [d, 2d), capped at 5 s. */
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5_000;

/** The database could not be opened at start-up; the message says why and whether it was retried. */
export class DatabaseStartupError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'DatabaseStartupError';
  }
}

// What the schema engine makes of a lost server during a migration, and what a server says before it
// takes sessions, in words only: the request path's classifier (database-errors.ts) knows the rest.
const RETRIED_MESSAGES =
  /Can't reach database server|Server has closed the connection|Connection timed out|the database system is (starting up|shutting down)|too many clients/i;

// Errors of Node's sockets may come from another realm (a test's VM): read their fields, not their class.
const asError = (error: unknown): { message: string; code?: unknown } | null =>
  typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string'
    ? (error as { message: string })
    : null;

/**
 * Whether a failure to open the database is one of the connection, which waiting may mend: any the
 * one classifier of database failures knows (refused, timed out, the server starting up or shutting
 * down, too many connections, a connection lost), or the schema engine's words for them.
 */
export function isConnectionFailure(error: unknown): boolean {
  if (databaseFailureOf(error) !== null) return true;
  const e = asError(error);
  return e !== null && RETRIED_MESSAGES.test(e.message);
}

/** The failure in words: the driver adapter's errors carry the server's message in their cause. */
export function describeFailure(error: unknown): string {
  const e = asError(error);
  if (!e) return String(error);
  if (isDriverAdapterError(e)) {
    const cause = e.cause as { kind: string; originalMessage?: string; host?: string; port?: number };
    if (cause.originalMessage) return cause.originalMessage;
    if (cause.kind === 'DatabaseNotReachable' && cause.host) return `cannot reach ${cause.host}:${cause.port ?? ''}`;
    return cause.kind;
  }
  return e.message.trim().split('\n')[0] ?? e.message;
}

/** Host and port of a connection string, never its password. */
function serverOf(databaseUrl: string): string {
  try {
    const u = new URL(databaseUrl);
    return `${u.hostname}:${u.port || 5432}`;
  } catch {
    return 'the server';
  }
}

/** One attempt: a session and `SELECT 1` first (its errors say plainly what is wrong), then the migrations. */
async function openOnce(options: DatabaseOptions): Promise<Database & { applied: string[] }> {
  const db = await openDatabase(options);
  try {
    const session = await db.adapterFactory.connect();
    try {
      await session.executeScript('SELECT 1');
    } finally {
      await session.dispose();
    }
    return { ...db, applied: await migrateWhileWarming(db, options) };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** Opens and migrates the database, waiting for a PostgreSQL that cannot be reached yet. */
export async function openDatabaseAtStartup(
  options: DatabaseOptions,
  retry: StartupRetry,
): Promise<Database & { applied: string[] }> {
  const { databaseUrl } = options;
  if (!databaseUrl) return openMigratedDatabase(options);
  const server = serverOf(databaseUrl);
  let attempts = 0;
  let lastFailure: unknown;
  let retriable = true;
  try {
    return await pRetry(
      async () => {
        attempts += 1;
        try {
          return await openOnce(options);
        } catch (error) {
          lastFailure = error;
          retriable = isConnectionFailure(error);
          const failure = error instanceof Error ? error : new Error(describeFailure(error), { cause: error });
          // Not a connection failure: fail at once (AbortError stops p-retry and rethrows the cause).
          throw retriable ? failure : new AbortError(failure);
        }
      },
      {
        retries: Number.POSITIVE_INFINITY,
        maxRetryTime: retry.timeoutSeconds * 1000,
        minTimeout: FIRST_DELAY_MS,
        maxTimeout: MAX_DELAY_MS,
        factor: 2,
        randomize: true,
        onFailedAttempt: ({ attemptNumber, retryDelay }) => {
          if (retryDelay <= 0) return;
          retry.logger.warn(
            { attempt: attemptNumber, reason: describeFailure(lastFailure), nextDelayMs: retryDelay, server },
            'database not reachable yet; trying again',
          );
        },
      },
    );
  } catch (error) {
    const reason = describeFailure(lastFailure ?? error);
    const message = retriable
      ? `PostgreSQL at ${server} could not be reached within ${retry.timeoutSeconds} s (${attempts} ` +
        `attempt${attempts === 1 ? '' : 's'}): ${reason}. Check DATABASE_URL and that the server is running; ` +
        'DATABASE_STARTUP_TIMEOUT says how long to wait for it.'
      : `Could not open the database at ${server} (not retried: not a connection failure): ${reason}`;
    throw new DatabaseStartupError(message, { cause: lastFailure ?? error });
  }
}
