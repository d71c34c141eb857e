import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { asDatabaseError } from './database-errors';

/**
 * A database transaction in progress. A store that runs a transaction hands it to a caller's
 * callback, so that another module's store can write its part of the same change (a scenario marking
 * its inject done with the notice the inject changed): all of it commits, or none.
 */
export type Tx = Prisma.TransactionClient;

/**
 * Every store transaction runs here. It knows whether `work` finished: a database failure before then
 * cannot have committed anything (503 DATABASE_UNAVAILABLE), one after it came while committing, whose
 * outcome is unknown (504 COMMIT_OUTCOME_UNKNOWN). Other errors pass as they are. Its limits are the
 * database's (`transactionOptions` in database.ts), within a request's budget.
 */
export async function runTransaction<T>(
  prisma: PrismaClient,
  work: (tx: Tx) => Promise<T>,
  /** A bulk write's own limit from start to commit (a records import), in place of a request's. */
  options?: { timeoutMs: number },
): Promise<T> {
  let committing = false;
  try {
    return await prisma.$transaction(
      async (tx) => {
        const result = await work(tx);
        // Only the COMMIT is left.
        committing = true;
        return result;
      },
      options && { timeout: options.timeoutMs },
    );
  } catch (error) {
    throw asDatabaseError(error, committing ? 'commit' : 'read');
  }
}

/**
 * One write statement outside a transaction: it commits as it runs, so a connection lost while it
 * ran leaves its outcome unknown (504); one refused or cancelled wrote nothing (503).
 */
export async function autocommitWrite<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw asDatabaseError(error, 'write');
  }
}
