import { PGlite } from '@electric-sql/pglite';
import type { SqlDriverAdapter, Transaction } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PGLITE_EXTENSIONS } from './pglite-extensions';

/** What this module relies on inside pglite-prisma-adapter 0.7.2's adapter (dist/index.cjs). */
interface AdapterInside {
  startTransactionInner(conn: PGlite, options: unknown): Promise<Transaction>;
  /** Turns a PGlite error into Prisma's driver error, as every query's does. */
  onError(error: unknown): never;
}

/**
 * PGlite's adapter for Prisma, but a COMMIT the database refuses (a deferred constraint, a failed
 * write) is an error. pglite-prisma-adapter 0.7.2 swallows it: its transaction's outcome promise
 * ends in a `catch` that only settles an already settled promise, so `$transaction` resolves as
 * if committed while PGlite rolled back, and the API would acknowledge a change it does not have.
 * Here the outcome of `PGlite.transaction` itself is awaited after the commit.
 */
export class CheckedCommitPGlite extends PrismaPGlite {
  /** The schema engine's shadow database (a diff applies the migrations there) needs the extensions too. */
  override async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const shadow = new PGlite({ dataDir: 'memory://shadow', extensions: PGLITE_EXTENSIONS });
    return new PrismaPGlite(shadow).connect();
  }

  override async connect(): Promise<SqlDriverAdapter> {
    const adapter = await super.connect();
    const inside = adapter as SqlDriverAdapter & AdapterInside;
    const startInner = inside.startTransactionInner.bind(adapter);
    inside.startTransactionInner = async (conn, options) => {
      let outcome: Promise<unknown> = Promise.resolve();
      // The same PGlite, but the promise of the transaction it runs is kept before the adapter's catch.
      const watched = Object.create(conn, {
        transaction: { value: (work: Parameters<PGlite['transaction']>[0]) => (outcome = conn.transaction(work)) },
      }) as PGlite;
      const tx = await startInner(watched, options);
      const commit = tx.commit.bind(tx);
      tx.commit = async () => {
        await commit();
        await outcome.catch((error: unknown) => inside.onError(error));
      };
      return tx;
    };
    return adapter;
  }
}
