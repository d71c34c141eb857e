import type { PrismaClient } from '../generated/prisma/client';
import {
  IDEMPOTENCY_TTL_HOURS,
  type IdempotencyRecord,
  type IdempotencyRecordId,
  type IdempotencyRecords,
} from '../kernel/idempotency';
import type { Tx } from './transaction';

/** Expired records each creating transaction removes, at most: creating keeps pace with expiring. */
const PRUNE_BATCH = 20;

/** The one writer of `idempotency_keys` (src/kernel/idempotency.ts says what the records are for). */
export function createIdempotencyStore(prisma: PrismaClient): IdempotencyRecords {
  return {
    async find({ scope, operation, keyHash }) {
      const rows = await prisma.$queryRaw<IdempotencyRecord[]>`
        SELECT fingerprint, status, response FROM idempotency_keys
         WHERE scope = ${scope} AND operation = ${operation} AND key_hash = ${keyHash} AND expires_at > now()`;
      return rows[0] ?? null;
    },

    async insert(tx: Tx, { scope, operation, keyHash }: IdempotencyRecordId, record: IdempotencyRecord) {
      // Rows another transaction is pruning (or replacing) are skipped, so pruning never waits.
      await tx.$executeRaw`
        DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY(
          SELECT ctid FROM idempotency_keys WHERE expires_at <= now() LIMIT ${PRUNE_BATCH} FOR UPDATE SKIP LOCKED))`;
      // A concurrent insert of the same key waits here for the other transaction's outcome: after its
      // commit, nothing is written (0); after its rollback, this one's row is.
      const { fingerprint, status } = record;
      const written = await tx.$executeRaw`
        INSERT INTO idempotency_keys (scope, operation, key_hash, fingerprint, status, response, expires_at)
        VALUES (${scope}, ${operation}, ${keyHash}, ${fingerprint}, ${status}, ${Buffer.from(record.response)},
                now() + make_interval(hours => ${IDEMPOTENCY_TTL_HOURS}))
        ON CONFLICT (scope, operation, key_hash) DO UPDATE
          SET fingerprint = EXCLUDED.fingerprint, status = EXCLUDED.status, response = EXCLUDED.response,
              created_at = now(), expires_at = EXCLUDED.expires_at
          WHERE idempotency_keys.expires_at <= now()`;
      return written === 1;
    },

    async amend({ scope, operation, keyHash }, response) {
      await prisma.$executeRaw`
        UPDATE idempotency_keys SET response = ${Buffer.from(response)}
         WHERE scope = ${scope} AND operation = ${operation} AND key_hash = ${keyHash}`;
    },
  };
}
