import { DriverAdapterError } from '@prisma/driver-adapter-utils';
import { DatabaseError } from 'pg';
import { asDatabaseError, databaseFailureOf, isDatabaseOutage, type DatabasePhase } from '../../src/db/database-errors';
import { Prisma } from '../../src/generated/prisma/client';
import { AppError, NotFoundError } from '../../src/kernel/errors';

/**
 * The classifier on the errors the database layer throws, rebuilt from the ones seen through a TCP
 * proxy in front of PostgreSQL (test/db/database-faults.test.ts): the same classes, codes and
 * messages as pg 8, pg-pool 3, Prisma 7 and PGlite produce them.
 */
const known = (code: string, message: string, meta?: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError(message, { code, clientVersion: '7.10.0', ...(meta && { meta }) });
const fromPostgres = (prismaCode: string, sqlState: string, message: string) =>
  known(prismaCode, `Raw query failed. Code: \`${sqlState}\`. Message: \`${message}\``, {
    driverAdapterError: new DriverAdapterError({
      kind: 'postgres',
      code: sqlState,
      severity: 'ERROR',
      message,
      detail: undefined,
      column: undefined,
      hint: undefined,
      originalCode: sqlState,
      originalMessage: message,
    }),
  });
const pgServerError = (code: string, message: string, severity = 'FATAL') =>
  Object.assign(new DatabaseError(message, 100, 'error'), { code, severity });
const socketError = (code: string) =>
  Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, errno: -111, syscall: 'connect' });

const FAILURES: [string, unknown, ReturnType<typeof databaseFailureOf>][] = [
  ['refused (P1001)', known('P1001', "Can't reach database server at 127.0.0.1:5432"), 'unreachable'],
  [
    'connect timed out (pg-pool)',
    new Error('Connection terminated due to connection timeout', {
      cause: new Error('Connection terminated unexpectedly'),
    }),
    'unreachable',
  ],
  ['no pooled connection in time (pg-pool)', new Error('timeout exceeded when trying to connect'), 'unreachable'],
  [
    'transaction could not start (P2028)',
    known('P2028', 'Transaction API error: Unable to start a transaction in the given time.'),
    'unreachable',
  ],
  ['too many connections (P2037)', known('P2037', 'Too many database connections opened: sorry'), 'unreachable'],
  [
    'a session the server ended, on its next query (pg)',
    new Error('Client has encountered a connection error and is not queryable'),
    'unreachable',
  ],
  ['PGlite closed', new Error('PGlite is closed'), 'unreachable'],
  ['a socket refused', socketError('ECONNREFUSED'), 'unreachable'],
  ['the database starting up (57P03)', pgServerError('57P03', 'the database system is starting up'), 'unreachable'],
  [
    'transaction over its time (P2028)',
    known('P2028', 'Transaction API error: A commit cannot be executed on an expired transaction. The timeout …'),
    'expired',
  ],
  [
    'statement timeout, raw query (P2010, 57014)',
    fromPostgres('P2010', '57014', 'canceling statement due to statement timeout'),
    'cancelled',
  ],
  [
    'statement timeout, model query (P2039, 57014)',
    fromPostgres('P2039', '57014', 'canceling statement due to statement timeout'),
    'cancelled',
  ],
  [
    'terminated by an administrator (P2039, 57P01)',
    fromPostgres('P2039', '57P01', 'terminating connection due to administrator command'),
    'cancelled',
  ],
  [
    'idle in transaction too long (P2010, 25P03)',
    fromPostgres('P2010', '25P03', 'terminating connection due to idle-in-transaction timeout'),
    'cancelled',
  ],
  [
    'terminated, as pg reports it (57P01)',
    pgServerError('57P01', 'terminating connection due to administrator command'),
    'cancelled',
  ],
  ['no answer (pg query_timeout)', new Error('Query read timeout'), 'lost'],
  ['connection lost (pg)', new Error('Connection terminated unexpectedly'), 'lost'],
  ['server closed the connection (P1017)', known('P1017', 'Server has closed the connection.'), 'lost'],
  ['a socket reset', socketError('ECONNRESET'), 'lost'],
  ['connection failure (08006)', pgServerError('08006', 'connection failure'), 'lost'],
];

const NOT_FAILURES: [string, unknown][] = [
  ['a unique constraint (P2002)', known('P2002', 'Unique constraint failed on the fields: (`code`)')],
  ['a write conflict (P2034)', known('P2034', 'Transaction failed due to a write conflict or a deadlock')],
  ['a value out of range (22003)', fromPostgres('P2010', '22003', 'value out of range: underflow')],
  ['a syntax error', pgServerError('42601', 'syntax error at or near "SELEC"', 'ERROR')],
  ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
  ['an AppError', new NotFoundError('Notice')],
];

describe('the database error classifier', () => {
  it.each(FAILURES)('knows %s', (_name, error, failure) => {
    expect(databaseFailureOf(error)).toBe(failure);
    expect(isDatabaseOutage(error)).toBe(true);
  });

  it.each(NOT_FAILURES)('leaves %s as it is', (_name, error) => {
    expect(databaseFailureOf(error)).toBeNull();
    expect(isDatabaseOutage(error)).toBe(false);
    for (const phase of ['read', 'write', 'commit'] as const) expect(asDatabaseError(error, phase)).toBe(error);
  });

  const answer = (error: unknown, phase: DatabasePhase) => {
    const answered = asDatabaseError(error, phase) as AppError;
    return { status: answered.status, code: answered.code, retryAfter: answered.retryAfterSeconds };
  };
  const UNAVAILABLE = { status: 503, code: 'DATABASE_UNAVAILABLE', retryAfter: 2 };
  const UNKNOWN = { status: 504, code: 'COMMIT_OUTCOME_UNKNOWN', retryAfter: undefined };

  it('answers 503 with Retry-After for any failure of a read or of a transaction before its COMMIT', () => {
    for (const [, error] of FAILURES) expect(answer(error, 'read')).toEqual(UNAVAILABLE);
  });

  // What a lone write or a COMMIT answers, by failure: 504 only where the write may have committed.
  const WHERE_WRITTEN: Record<string, { write: number; commit: number }> = {
    unreachable: { write: 503, commit: 503 }, // nothing was sent
    expired: { write: 503, commit: 503 }, // Prisma rolled back and sent no COMMIT
    cancelled: { write: 503, commit: 504 }, // a cancelled statement is rolled back; a cancelled COMMIT may be done
    lost: { write: 504, commit: 504 }, // sent, and no answer
  };

  it.each(FAILURES)('answers %s on a lone write or a COMMIT as far as is known', (_name, error, failure) => {
    const expected = WHERE_WRITTEN[failure!]!;
    expect({ write: answer(error, 'write').status, commit: answer(error, 'commit').status }).toEqual(expected);
  });

  it('says nothing of Retry-After when the outcome is unknown', () => {
    expect(answer(new Error('Query read timeout'), 'commit')).toEqual(UNKNOWN);
  });

  it('keeps what caused the answer, for the log', () => {
    const cause = new Error('Query read timeout');
    expect((asDatabaseError(cause, 'commit') as Error).cause).toBe(cause);
  });

  it('counts the 503 and 504 it made as outages too, and no other AppError', () => {
    expect(isDatabaseOutage(asDatabaseError(new Error('Query read timeout'), 'read'))).toBe(true);
    expect(isDatabaseOutage(asDatabaseError(new Error('Query read timeout'), 'commit'))).toBe(true);
    expect(isDatabaseOutage(new AppError('SHUTTING_DOWN', 'stopping'))).toBe(false);
  });
});
