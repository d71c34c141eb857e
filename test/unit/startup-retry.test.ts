import { PrismaPg } from '@prisma/adapter-pg';
import { DriverAdapterError } from '@prisma/driver-adapter-utils';
import { Client } from 'pg';
import { describeFailure, isConnectionFailure } from '../../src/db/startup';

/** The error of the first statement on a fresh session through the app's adapter. */
async function adapterError(connectionString: string): Promise<unknown> {
  const session = await new PrismaPg({ connectionString }).connect();
  try {
    await session.executeScript('SELECT 1');
    return null;
  } catch (error) {
    return error;
  } finally {
    await session.dispose();
  }
}

describe('which start-up failures are waited out', () => {
  it('retries a refused connection, as pg and as the adapter report it, naming the address', async () => {
    const raw = await new Client({ connectionString: 'postgresql://postgres@127.0.0.1:1/postgres' }).connect().catch((e: unknown) => e);
    expect(isConnectionFailure(raw)).toBe(true);
    const wrapped = await adapterError('postgresql://postgres@127.0.0.1:1/postgres');
    expect((wrapped as Error).name).toBe('DriverAdapterError');
    expect(isConnectionFailure(wrapped)).toBe(true);
    expect(describeFailure(wrapped)).toBe('cannot reach 127.0.0.1:1');
  });

  it('retries a server starting up or shutting down, and one with too many connections', () => {
    const postgres = (code: string, message: string) =>
      new DriverAdapterError({ kind: 'postgres', code, severity: 'FATAL', message, detail: undefined, column: undefined, hint: undefined });
    expect(isConnectionFailure(postgres('57P03', 'the database system is starting up'))).toBe(true);
    expect(isConnectionFailure(postgres('57P01', 'terminating connection due to administrator command'))).toBe(true);
    expect(isConnectionFailure(postgres('08006', 'connection failure'))).toBe(true);
    expect(isConnectionFailure(new DriverAdapterError({ kind: 'TooManyConnections', cause: 'sorry, too many clients already' }))).toBe(true);
    expect(isConnectionFailure(Object.assign(new Error('getaddrinfo EAI_AGAIN db'), { code: 'EAI_AGAIN', syscall: 'getaddrinfo' }))).toBe(true);
    expect(isConnectionFailure(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isConnectionFailure(new Error("Can't reach database server at `db:5432`"))).toBe(true);
  });

  it('does not retry what waiting cannot mend: a wrong password, an unknown role or database, a failing migration', () => {
    expect(isConnectionFailure(new DriverAdapterError({ kind: 'AuthenticationFailed', user: 'app' }))).toBe(false);
    const denied = new DriverAdapterError({ kind: 'DatabaseAccessDenied', db: undefined });
    (denied.cause as Record<string, unknown>).originalMessage = 'role "nobody" does not exist';
    expect(isConnectionFailure(denied)).toBe(false);
    expect(describeFailure(denied)).toBe('role "nobody" does not exist');
    expect(isConnectionFailure(new DriverAdapterError({ kind: 'DatabaseDoesNotExist', db: 'x' }))).toBe(false);
    expect(isConnectionFailure(new Error('Database `x` does not exist'))).toBe(false);
    expect(isConnectionFailure(new Error('A migration failed to apply. New migrations cannot be applied before the error is recovered from.'))).toBe(false);
    expect(isConnectionFailure('not an error')).toBe(false);
  });
});
