/**
 * A hit reported on a circulation record (REPORT_HIT with its hitId): the hit must be one of the
 * reporting country's searches on that notice's subject, and not reported yet; it is then linked to the
 * record, in the transaction that moves the record.
 */
import type { Prisma } from '../generated/prisma/client';
import { ValidationError } from '../kernel/errors';

export async function linkReportedHit(
  tx: Prisma.TransactionClient,
  report: { hitId: string; noticeId: string; country: string; at: Date },
): Promise<void> {
  const linked = await tx.$executeRaw`
    UPDATE hits SET reported_at = ${report.at}
     WHERE id = ${report.hitId}::uuid AND notice_id = ${report.noticeId}::uuid
       AND searcher_country = ${report.country} AND reported_at IS NULL`;
  if (linked !== 1) {
    throw ValidationError.of(
      'body.hitId',
      'must be a hit of a search by this country on this notice’s subject, not reported yet',
    );
  }
}
