import type { PrismaClient } from '../generated/prisma/client';
import type { RunScope } from '../exercises/runs';

/** How many notices a run of an exercise holds (all of them, whoever asks): how large it is. */
export async function countNotices(prisma: PrismaClient, exerciseId: string, run: number): Promise<number> {
  const [row] = await prisma.$queryRaw<[{ n: number }]>`
    SELECT count(*)::int AS n FROM notices WHERE exercise_id = ${exerciseId}::uuid AND run = ${run}`;
  return row.n;
}

/**
 * Notices in a reset (src/exercises/runs.ts): the run's notices are locked first, as every change to
 * one locks it before the exercise's row, so changes in flight finish before the reset and later ones
 * find the run ended; the ended run's deadlines go, so that none of them ever fires. Its notices,
 * history and records stay.
 */
export const noticeRunScope: RunScope = {
  async lock(tx, exerciseId, run) {
    await tx.$queryRaw`
      SELECT id FROM notices WHERE exercise_id = ${exerciseId}::uuid AND run = ${run} ORDER BY id FOR UPDATE`;
  },
  async reset(tx, { exerciseId, to }) {
    await tx.$executeRaw`
      DELETE FROM deadlines d USING notices n
       WHERE n.id = d.notice_id AND d.exercise_id = ${exerciseId}::uuid AND n.run <> ${to}`;
  },
};
