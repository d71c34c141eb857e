import type { Prisma } from '../generated/prisma/client';

/**
 * A database transaction in progress. A store that runs a transaction hands it to a caller's
 * callback, so that another module's store can write its part of the same change (a scenario marking
 * its inject done with the notice the inject changed): all of it commits, or none.
 */
export type Tx = Prisma.TransactionClient;
