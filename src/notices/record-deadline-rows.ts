/**
 * A record's own deadlines as rows (`deadlines` with its `country`: a release after a provisional
 * arrest, a prompt to the GS) and a notice's addenda, in a notice's transaction. Unlike the notice's
 * own deadlines, which are derived from its machine context and replaced with every write, these are
 * written by the feature that sets them (src/circulation/extradition.ts).
 */
import type { Tx } from '../db/transaction';
import type { PrismaClient } from '../generated/prisma/client';
import type { NoticeTx, RecordDeadline, StoredRecord } from './notice-store-type';

type Operations = Pick<
  NoticeTx,
  'setRecordDeadline' | 'takeRecordDeadline' | 'findRecordDeadline' | 'dropRecordDeadlines' | 'addAddendum'
>;

export function recordDeadlineOperations(tx: Tx): Operations {
  return {
    async dropRecordDeadlines(notice, event) {
      await tx.$executeRaw`
        DELETE FROM deadlines WHERE notice_id = ${notice.id}::uuid AND country IS NOT NULL AND event = ${event}`;
    },

    async setRecordDeadline(notice, country, event, dueAt) {
      await tx.$executeRaw`
        WITH gone AS (
          DELETE FROM deadlines WHERE notice_id = ${notice.id}::uuid AND country = ${country} AND event = ${event}
        )
        INSERT INTO deadlines (exercise_id, notice_id, country, event, due_at)
        SELECT ${notice.exerciseId}::uuid, ${notice.id}::uuid, ${country}, ${event}, ${dueAt}
         WHERE ${dueAt}::timestamptz IS NOT NULL`;
    },

    async findRecordDeadline(notice, country) {
      const rows = await tx.$queryRaw<RecordDeadline[]>`
        SELECT event, due_at AS "dueAt" FROM deadlines
         WHERE notice_id = ${notice.id}::uuid AND country = ${country} ORDER BY due_at, id LIMIT 1`;
      return rows[0] ?? null;
    },

    async addAddendum(notice, addendum) {
      await tx.$executeRaw`
        UPDATE notices SET addenda = addenda || jsonb_build_array(${JSON.stringify(addendum)}::jsonb)
         WHERE id = ${notice.id}::uuid`;
    },

    async takeRecordDeadline(notice, country, event, dueAt) {
      const taken = await tx.$executeRaw`
        DELETE FROM deadlines WHERE notice_id = ${notice.id}::uuid AND country = ${country} AND event = ${event}
           AND due_at = ${dueAt}`;
      return taken > 0;
    },
  };
}

/** Each record's soonest deadline of its own, by country. */
export async function recordDeadlinesOf(prisma: PrismaClient, noticeId: string): Promise<Map<string, RecordDeadline>> {
  const rows = await prisma.deadline.findMany({
    where: { noticeId, country: { not: null } },
    select: { country: true, event: true, dueAt: true },
    orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
  });
  const due = new Map<string, RecordDeadline>();
  for (const { country, event, dueAt } of rows) if (country && !due.has(country)) due.set(country, { event, dueAt });
  return due;
}

/** The records with their own deadlines, where they have one. */
export const withDeadlines = (records: StoredRecord[], due: Map<string, RecordDeadline>): StoredRecord[] =>
  records.map((r) => (due.has(r.country) ? { ...r, deadline: due.get(r.country) } : r));
