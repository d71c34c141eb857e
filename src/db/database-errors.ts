import { AppError } from '../kernel/errors';

/**
 * The one place database failures become answers. What pg 8, pg-pool 3, Prisma 7's pg adapter and
 * PGlite throw when the database is away or slow was seen with a TCP proxy in front of PostgreSQL
 * (test/db/database-faults.test.ts; the objects themselves in test/unit/database-errors.test.ts):
 *
 * - `unreachable`: nothing was sent (connection refused or timed out, no pooled connection in time,
 *   a transaction that could not start, PGlite closed);
 * - `expired`: Prisma ended the transaction itself (its time was up) and rolled it back: no COMMIT
 *   was sent;
 * - `cancelled`: the server answered by ending the statement or the session (statement timeout, idle
 *   in transaction too long, shutting down), so what it was doing is rolled back;
 * - `lost`: the statement was sent and no answer came (the client's read timeout, the connection
 *   lost): it may have run.
 */
export type DatabaseFailure = 'unreachable' | 'expired' | 'cancelled' | 'lost';

/**
 * Where the failure happened: `read` is anything that cannot have committed (a read, or a statement
 * of a transaction before its COMMIT), `write` a single write statement outside a transaction (it
 * commits as it runs), `commit` a transaction's COMMIT.
 */
export type DatabasePhase = 'read' | 'write' | 'commit';

/** What `Retry-After` says on a 503: about the time a connection attempt takes to fail or succeed again. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/** pg and pg-pool throw plain errors, told apart only by their messages. */
const MESSAGES: [RegExp, DatabaseFailure][] = [
  [/^timeout exceeded when trying to connect$/, 'unreachable'], // pg-pool: no pooled connection in time
  [/^Connection terminated due to connection timeout$/, 'unreachable'], // pg-pool: connecting took too long
  [/^timeout expired$/, 'unreachable'], // pg: connecting took too long
  [/^Client (has encountered a connection error|was closed) and is not queryable$/, 'unreachable'],
  [/^Cannot use a pool after calling end on the pool$/, 'unreachable'],
  [/^PGlite is clos(ed|ing)$/, 'unreachable'],
  [/^Query read timeout$/, 'lost'], // pg's query_timeout
  [/^Connection terminated( unexpectedly)?$/, 'lost'],
];

/** Node's socket error codes. */
const SOCKET_CODES: Record<string, DatabaseFailure> = {
  ECONNREFUSED: 'unreachable',
  ENOTFOUND: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EAI_AGAIN: 'unreachable',
  ECONNRESET: 'lost',
  EPIPE: 'lost',
  ETIMEDOUT: 'lost',
};

/** PostgreSQL's SQLSTATEs for a statement or session the server ended, or a connection it would not take. */
function fromSqlState(code: string): DatabaseFailure | null {
  if (code === '57P03' || code === '53300' || code === '08001' || code === '08004') return 'unreachable';
  // query_canceled (statement_timeout), admin_shutdown, crash_shutdown, idle_in_transaction_session_timeout.
  if (code === '57014' || code === '57P01' || code === '57P02' || code === '25P03') return 'cancelled';
  if (code.startsWith('08')) return 'lost';
  return null;
}

/** Prisma's own codes (its driver adapter maps pg's errors to them); `P2010` and `P2039` carry a SQLSTATE. */
function fromPrismaCode(code: string, message: string): DatabaseFailure | null {
  switch (code) {
    case 'P1001': // can't reach the database server
    case 'P2037': // too many connections
      return 'unreachable';
    case 'P1008': // socket timeout
    case 'P1017': // server closed the connection
      return 'lost';
    case 'P2028': // the transaction API: could not start in time, or ended by its timeout
      if (/Unable to start a transaction in the given time/.test(message)) return 'unreachable';
      if (/expired transaction|transaction that was rolled back/.test(message)) return 'expired';
      return null;
    default:
      return null;
  }
}

/** The kinds of Prisma's `DriverAdapterError` (the error's `cause`). */
const ADAPTER_KINDS: Record<string, DatabaseFailure> = {
  DatabaseNotReachable: 'unreachable',
  TooManyConnections: 'unreachable',
  ConnectionClosed: 'lost',
  SocketTimeout: 'lost',
};

interface ErrorLike {
  message?: unknown;
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  severity?: unknown;
  syscall?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } } };
  cause?: unknown;
}

function failureOfOne(error: ErrorLike): DatabaseFailure | null {
  const message = typeof error.message === 'string' ? error.message : '';
  const code = typeof error.code === 'string' ? error.code : '';
  // Prisma's error carries its driver adapter's, whose cause is a kind and the SQLSTATE, if any.
  const adapterCause = error.meta?.driverAdapterError?.cause ?? error;
  if (typeof adapterCause.kind === 'string' && adapterCause.kind in ADAPTER_KINDS) {
    return ADAPTER_KINDS[adapterCause.kind] ?? null;
  }
  if (typeof adapterCause.originalCode === 'string') {
    const failure = fromSqlState(adapterCause.originalCode);
    if (failure) return failure;
  }
  if (/^P\d{4}$/.test(code)) return fromPrismaCode(code, message);
  // A PostgreSQL error as pg reports it (with its severity), or a socket's.
  if (typeof error.severity === 'string' && /^[0-9A-Z]{5}$/.test(code)) return fromSqlState(code);
  if (typeof error.syscall === 'string' && code in SOCKET_CODES) return SOCKET_CODES[code] ?? null;
  return MESSAGES.find(([pattern]) => pattern.test(message))?.[1] ?? null;
}

/** What kind of database failure `error` is (looking through its causes), or null when it is none. */
export function databaseFailureOf(error: unknown): DatabaseFailure | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const failure = failureOfOne(current as ErrorLike);
    if (failure) return failure;
    current = (current as ErrorLike).cause;
  }
  return null;
}

/** True when nothing can have been written: no statement ran, or the server rolled it back. */
function nothingWritten(failure: DatabaseFailure, phase: DatabasePhase): boolean {
  if (phase === 'read') return true;
  if (failure === 'unreachable' || failure === 'expired') return true;
  // A statement the server cancelled is rolled back; a COMMIT it cancelled may still have committed
  // (a cancelled wait for a synchronous standby leaves the commit done locally).
  return failure === 'cancelled' && phase === 'write';
}

/**
 * A database failure as the API answers it: 503 `DATABASE_UNAVAILABLE` with `Retry-After` when
 * nothing was written, 504 `COMMIT_OUTCOME_UNKNOWN` when a commit's outcome is unknown. Any other
 * error (an AppError already, a constraint, a bug) is returned as it is.
 */
export function asDatabaseError(error: unknown, phase: DatabasePhase): unknown {
  if (error instanceof AppError) return error;
  const failure = databaseFailureOf(error);
  if (!failure) return error;
  if (nothingWritten(failure, phase)) {
    return new AppError(
      'DATABASE_UNAVAILABLE',
      'The database cannot be reached or did not answer in time; nothing was written. Try again shortly',
      undefined,
      { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS, cause: error },
    );
  }
  return new AppError(
    'COMMIT_OUTCOME_UNKNOWN',
    'The database stopped answering while the change was committed: it may or may not have been applied. ' +
      'Read it back before trying again, or retry with the same Idempotency-Key',
    undefined,
    { cause: error },
  );
}

/** True for a database outage, raw or already answered as 503/504: worth a warning, not a stack. */
export function isDatabaseOutage(error: unknown): boolean {
  if (error instanceof AppError)
    return error.code === 'DATABASE_UNAVAILABLE' || error.code === 'COMMIT_OUTCOME_UNKNOWN';
  return databaseFailureOf(error) !== null;
}
