/**
 * The debrief of a large exercise (a simulated year persisted: a hundred thousand notices): totals and
 * distributions counted by the database, where a class's debrief has a lane and a row per notice and
 * every event. Reading a quarter of a million history rows into the report would take minutes and
 * draw nothing anyone could read.
 */
import type { PrismaClient } from '../generated/prisma/client';
import { countNotices } from '../notices/notice-runs';
import { REFUSAL_GROUNDS, type RefusalGround } from '../notices/notice-types';
import type { ReportAggregates, Refusals } from './report-schema';

/** Above this many notices (and without a scenario to judge), the debrief shows aggregates. */
export const AGGREGATE_ABOVE = 500;

/** Review-time histogram: whole days from submission to publication, the last bucket holding the rest. */
export const REVIEW_DAYS_BUCKETS = 61;

export interface ReportAggregateStore {
  noticeCount(exerciseId: string, run: number): Promise<number>;
  aggregates(
    exerciseId: string,
    run: number,
  ): Promise<{ aggregates: ReportAggregates; events: number; refusals: Refusals }>;
}

export function createReportAggregateStore(prisma: PrismaClient): ReportAggregateStore {
  return {
    noticeCount: (exerciseId, run) => countNotices(prisma, exerciseId, run),

    async aggregates(exerciseId, run) {
      // The run's history; an IMPORTED entry is where a notice came in, not an event of the exercise.
      const history = (select: string) =>
        prisma.$queryRawUnsafe<Record<string, unknown>[]>(
          `WITH h AS (SELECT e.* FROM notice_events e JOIN notices n ON n.id = e.notice_id
                       WHERE e.exercise_id = $1::uuid AND n.run = $2 AND e.type <> 'IMPORTED') ${select}`,
          exerciseId,
          run,
        );
      const [byState, byMonth, review, histogram, refused, grounds, records] = await Promise.all([
        prisma.$queryRaw<{ type: 'RED' | 'YELLOW'; state: string; count: number }[]>`
          SELECT type::text AS type, state, count(*)::int AS count FROM notices
           WHERE exercise_id = ${exerciseId}::uuid AND run = ${run} GROUP BY 1, 2 ORDER BY 1, 2`,
        history(`SELECT to_char(date_trunc('month', at), 'YYYY-MM') AS month, type, count(*)::int AS count
                   FROM h GROUP BY 1, 2 ORDER BY 1, 2`),
        history(`, d AS (${REVIEWED}) SELECT count(*)::int AS count, avg(s)::float8 AS mean,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY s)::float8 AS p50,
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY s)::float8 AS p95 FROM d`),
        history(`, d AS (${REVIEWED}) SELECT least(floor(s / 86400), ${REVIEW_DAYS_BUCKETS - 1})::int AS day,
                   count(*)::int AS count FROM d GROUP BY 1`),
        history(`SELECT count(*)::int AS total, count(*) FILTER (WHERE type = 'INFO_TIMEOUT')::int AS unanswered
                   FROM h WHERE country IS NULL AND to_state = 'refused'`),
        history(`SELECT g AS ground, count(*)::int AS count FROM h, jsonb_array_elements_text(h.payload->'grounds') g
                  WHERE h.country IS NULL AND h.to_state = 'refused' AND jsonb_typeof(h.payload->'grounds') = 'array'
                  GROUP BY 1`),
        prisma.$queryRaw<{ state: string; count: number }[]>`
          SELECT c.state, count(*)::int AS count FROM circulation_records c JOIN notices n ON n.id = c.notice_id
           WHERE n.exercise_id = ${exerciseId}::uuid AND n.run = ${run} GROUP BY 1 ORDER BY 1`,
      ]);
      const reviewDays = Array.from({ length: REVIEW_DAYS_BUCKETS }, () => 0);
      for (const row of histogram) reviewDays[row.day as number] = row.count as number;
      const r = review[0]!;
      const byGround = Object.fromEntries(REFUSAL_GROUNDS.map((g) => [g, 0])) as Record<RefusalGround, number>;
      for (const row of grounds)
        if ((row.ground as string) in byGround) byGround[row.ground as RefusalGround] = row.count as number;
      return {
        aggregates: {
          above: AGGREGATE_ABOVE,
          byState,
          eventsByMonth: byMonth as ReportAggregates['eventsByMonth'],
          submissionToPublication: {
            count: r.count as number,
            mean: (r.mean as number | null) ?? null,
            p50: (r.p50 as number | null) ?? null,
            p95: (r.p95 as number | null) ?? null,
            days: reviewDays,
          },
          recordsByState: Object.fromEntries(records.map((row) => [row.state, row.count])),
        },
        events: byMonth.reduce((sum, row) => sum + (row.count as number), 0),
        refusals: { total: refused[0]!.total as number, unanswered: refused[0]!.unanswered as number, byGround },
      };
    },
  };
}

/** Each notice's seconds from its first submission to its publication, for those published in the run. */
const REVIEWED = `SELECT extract(epoch FROM min(at) FILTER (WHERE type = 'APPROVE' AND country IS NULL)
                     - min(at) FILTER (WHERE type = 'SUBMIT')) AS s
                    FROM h GROUP BY notice_id
                  HAVING min(at) FILTER (WHERE type = 'SUBMIT') IS NOT NULL
                     AND min(at) FILTER (WHERE type = 'APPROVE' AND country IS NULL) IS NOT NULL`;
