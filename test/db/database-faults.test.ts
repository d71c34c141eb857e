import { Client } from 'pg';
import { openDatabase, type Database } from '../../src/db/database';
import { asDatabaseError, databaseFailureOf } from '../../src/db/database-errors';
import { runTransaction } from '../../src/db/transaction';
import { databaseKinds, openTestDatabase, postgresTestUrl } from '../support/databases';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

/**
 * What the database layer throws when PostgreSQL is away or slow, seen through a TCP proxy in front
 * of it, and what the one classifier (src/db/database-errors.ts) makes of each: the errors of
 * test/unit/database-errors.test.ts come from here.
 */

/** Short limits, so that each fault shows in well under a second or two. */
const TIMEOUTS = { connectMs: 300, statementMs: 1_000, transactionMs: 2_000 };

const caught = (promise: Promise<unknown>): Promise<unknown> => promise.then(
  () => {
    throw new Error('expected a failure');
  },
  (error: unknown) => error,
);

describe('a closed PGlite', () => {
  it('answers 503 DATABASE_UNAVAILABLE, not 500', async () => {
    const db = await openTestDatabase('pglite');
    await db.close();
    const error = await caught(db.prisma.country.findMany({ take: 1 }));
    expect(error).toMatchObject({ message: 'PGlite is closed' });
    expect(databaseFailureOf(error)).toBe('unreachable');
    await expect(runTransaction(db.prisma, (tx) => tx.country.count())).rejects.toMatchObject({
      status: 503,
      code: 'DATABASE_UNAVAILABLE',
      retryAfterSeconds: 2,
    });
  });
});

if (databaseKinds().includes('postgres')) {
  describe('PostgreSQL behind a failing network', () => {
    let proxy: TcpProxy;
    const opened: Database[] = [];
    /** A database through the proxy with no connection open yet. */
    const fresh = async (poolSize = 2) => {
      const url = new URL(proxy.url(postgresTestUrl()));
      url.searchParams.set('application_name', 'database-faults');
      const db = await openDatabase({ databaseUrl: url.toString(), poolSize, timeouts: TIMEOUTS });
      opened.push(db);
      return db;
    };
    let direct: Client;

    beforeAll(async () => {
      proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
      direct = new Client({ connectionString: postgresTestUrl() });
      await direct.connect();
    });
    afterEach(async () => {
      await proxy.heal();
      await Promise.all(opened.splice(0).map((db) => db.close()));
    });
    afterAll(async () => {
      await direct.end();
      await proxy.close();
    });

    it('refused: Prisma says P1001, nothing was sent', async () => {
      const db = await fresh();
      await proxy.refuse();
      const error = await caught(db.prisma.country.findMany({ take: 1 }));
      expect(error).toMatchObject({ code: 'P1001' });
      expect(databaseFailureOf(error)).toBe('unreachable');
      // Even a write outside a transaction: it was never sent.
      expect(asDatabaseError(error, 'write')).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
    });

    it('no answer to connect: pg-pool gives up at the connect timeout', async () => {
      const db = await fresh();
      proxy.blackhole();
      const error = await caught(db.prisma.country.findMany({ take: 1 }));
      expect(error).toMatchObject({ message: 'Connection terminated due to connection timeout' });
      expect(databaseFailureOf(error)).toBe('unreachable');
    });

    it('no pooled connection free in time: the pool wait ends at the connect timeout too', async () => {
      const db = await fresh(1);
      // A transaction holds the one connection until told to let go.
      let letGo = () => undefined as void;
      let holdingIt = () => undefined as void;
      const held = new Promise<void>((resolve) => (holdingIt = resolve));
      const holding = db.prisma.$transaction(async (tx) => {
        await tx.country.count();
        holdingIt();
        await new Promise<void>((resolve) => (letGo = resolve));
      });
      await held;
      const error = await caught(db.prisma.country.findMany({ take: 1 }));
      expect(error).toMatchObject({ message: 'timeout exceeded when trying to connect' });
      expect(databaseFailureOf(error)).toBe('unreachable');
      // A transaction waits as long (its maxWait) before Prisma gives up starting it.
      const txError = await caught(db.prisma.$transaction((tx) => tx.country.count()));
      expect(txError).toMatchObject({ code: 'P2028', message: expect.stringMatching(/Unable to start a transaction/) });
      expect(databaseFailureOf(txError)).toBe('unreachable');
      letGo();
      await holding;
    });

    it('a slow statement: the server cancels it (57014), so even a single write did nothing', async () => {
      const db = await fresh();
      const error = await caught(db.prisma.$queryRaw`SELECT pg_sleep(5)`);
      expect(error).toMatchObject({ code: 'P2010', meta: { driverAdapterError: { cause: { originalCode: '57014' } } } });
      expect(databaseFailureOf(error)).toBe('cancelled');
      expect(asDatabaseError(error, 'write')).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
      // A COMMIT the server cancelled may have committed all the same (a synchronous standby's wait).
      expect(asDatabaseError(error, 'commit')).toMatchObject({ status: 504, code: 'COMMIT_OUTCOME_UNKNOWN' });
    });

    it('no answer inside a transaction: the read timeout, and the connection is dropped, not pooled again', async () => {
      const db = await fresh(1);
      const error = await caught(
        db.prisma.$transaction(async (tx) => {
          await tx.country.count();
          proxy.blackhole();
          await tx.country.count();
        }),
      );
      expect(error).toMatchObject({ message: 'Query read timeout' });
      expect(databaseFailureOf(error)).toBe('lost');
      expect(asDatabaseError(error, 'read')).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
      expect(asDatabaseError(error, 'write')).toMatchObject({ code: 'COMMIT_OUTCOME_UNKNOWN' });
      await proxy.heal();
      // pg keeps a timed-out connection waiting for its answer; back in the pool, the next query
      // would wait behind an answer that never comes.
      await expect(db.prisma.country.count()).resolves.toBeGreaterThan(0);
    });

    it('a transaction over its time: Prisma rolls it back itself (P2028), no COMMIT is sent', async () => {
      const db = await fresh();
      const error = await caught(
        db.prisma.$transaction(
          async (tx) => {
            await tx.country.count();
            await new Promise((resolve) => setTimeout(resolve, 400));
          },
          { timeout: 200 },
        ),
      );
      expect(error).toMatchObject({ code: 'P2028', message: expect.stringMatching(/expired transaction/) });
      expect(databaseFailureOf(error)).toBe('expired');
      expect(asDatabaseError(error, 'commit')).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    });

    it('a session the server ends (57P01 and the like): its next statement is not sent', async () => {
      const db = await fresh(1);
      const error = await caught(
        db.prisma.$transaction(async (tx) => {
          const [{ pid }] = await tx.$queryRaw<[{ pid: number }]>`SELECT pg_backend_pid() AS pid`;
          await direct.query('SELECT pg_terminate_backend($1)', [pid]);
          await new Promise((resolve) => setTimeout(resolve, 100));
          await tx.country.count();
        }),
      );
      expect(databaseFailureOf(error)).not.toBeNull();
      expect(asDatabaseError(error, 'read')).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    });

    it('a transaction its client left: the server rolls it back by itself while the network is still away', async () => {
      const db = await fresh(1);
      const marker = `orphan-${Date.now()}`;
      const error = await caught(
        runTransaction(db.prisma, async (tx) => {
          await tx.exercise.create({ data: { name: marker, simEpoch: new Date(), wallAnchor: new Date(), simStart: new Date() } });
          proxy.blackhole();
          await tx.country.count();
        }),
      );
      expect(error).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
      // The proxy passes nothing on, not even the client hanging up: only the server's own
      // idle_in_transaction_session_timeout can end the session, and its transaction.
      const sessionGone = async () => {
        const { rows } = await direct.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'database-faults' AND xact_start IS NOT NULL`,
        );
        return rows[0].n === 0;
      };
      const deadline = Date.now() + 20_000;
      while (!(await sessionGone()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await sessionGone()).toBe(true);
      await proxy.heal();
      const { rows } = await direct.query('SELECT count(*)::int AS n FROM exercises WHERE name = $1', [marker]);
      expect(rows[0].n).toBe(0);
    });
  });
}
