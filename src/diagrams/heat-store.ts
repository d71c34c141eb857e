/**
 * The heatmap of a large exercise (a simulated year persisted: a hundred thousand notices, a quarter
 * of a million history entries) counted by the database: the same counts as `exerciseHeat` on the
 * loaded notices and history (./heatmap.ts), which took a minute there. A test holds the two equal.
 */
import { Prisma, type PrismaClient } from '../generated/prisma/client';
import { MEMBER_COUNTRIES } from '../countries/member-countries';
import { countNotices } from '../notices/notice-runs';
import { FINAL_NOTICE_STATES } from '../notices/notice-types';
import { noticeVisibleSql, type Reader } from '../notices/notice-visibility';
import { transitionKey, type MachineId } from './diagram';
import type { Heat } from './heatmap';

type Counted = { source: string; event: string; target: string; count: number }[];

const MEMBER_CODES = MEMBER_COUNTRIES.map((c) => c.code);

/** Above this many notices in a run, the heatmap is counted by the database. */
export const COUNT_IN_DATABASE_ABOVE = 500;

export interface HeatStore {
  noticeCount(exerciseId: string, run: number): Promise<number>;
  heat(exerciseId: string, run: number, machine: MachineId, reader: Reader): Promise<Heat>;
}

const keyed = (rows: Counted): Record<string, number> =>
  Object.fromEntries(rows.map((r) => [transitionKey(r), r.count]));

export function createHeatStore(prisma: PrismaClient): HeatStore {
  return {
    noticeCount: (exerciseId, run) => countNotices(prisma, exerciseId, run),

    async heat(exerciseId, run, machine, reader) {
      const ofRun = Prisma.sql`n.exercise_id = ${exerciseId}::uuid AND n.run = ${run}`;
      if (machine !== 'circulation') {
        const type = machine === 'notice-red' ? 'RED' : 'YELLOW';
        const seen = Prisma.sql`${ofRun} AND n.type = ${type}::"NoticeType" AND ${noticeVisibleSql(reader, 'n')}`;
        const [states, transitions] = await Promise.all([
          prisma.$queryRaw<{ state: string; count: number }[]>`
            SELECT n.state, count(*)::int AS count FROM notices n WHERE ${seen} GROUP BY 1`,
          prisma.$queryRaw<Counted>`
            SELECT e.from_state AS source, e.type AS event, e.to_state AS target, count(*)::int AS count
              FROM notice_events e JOIN notices n ON n.id = e.notice_id
             WHERE ${seen} AND e.country IS NULL AND e.from_state IS NOT NULL GROUP BY 1, 2, 3`,
        ]);
        return { states: Object.fromEntries(states.map((s) => [s.state, s.count])), transitions: keyed(transitions) };
      }
      const [rows, unacted, moves, closes] = await Promise.all([
        prisma.$queryRaw<{ state: string; count: number }[]>`
          SELECT c.state, count(*)::int AS count FROM circulation_records c JOIN notices n ON n.id = c.notice_id
           WHERE ${ofRun} GROUP BY 1`,
        // A published notice's recipients without a row of their own: received, or closed with the notice.
        prisma.$queryRaw<{ state: string; count: number }[]>`
          SELECT CASE WHEN n.state IN (${Prisma.join([...FINAL_NOTICE_STATES])}) THEN 'closed' ELSE 'received' END
                   AS state,
                 sum(CASE WHEN n.recipients IS NULL THEN ${MEMBER_CODES.length - 1}
                          ELSE (SELECT count(DISTINCT r) FROM jsonb_array_elements_text(n.recipients) r
                                 WHERE r = ANY(${MEMBER_CODES}::text[])) END
                     - (SELECT count(*) FROM circulation_records c WHERE c.notice_id = n.id))::int AS count
            FROM notices n WHERE ${ofRun} AND n.published_at IS NOT NULL GROUP BY 1`,
        prisma.$queryRaw<Counted>`
          SELECT e.from_state AS source, e.type AS event, e.to_state AS target, count(*)::int AS count
            FROM notice_events e JOIN notices n ON n.id = e.notice_id
           WHERE ${ofRun} AND e.country IS NOT NULL AND e.from_state IS NOT NULL GROUP BY 1, 2, 3`,
        // Records a notice's end closed: all from `received`, but those with a history of their own, which
        // move from the state it had left them in (the sum of the listed, less the moved, is from received).
        prisma.$queryRaw<{ source: string | null; count: number }[]>`
          WITH ended AS (
            SELECT e.notice_id, e.seq, e.payload->'closedRecords' AS closed FROM notice_events e
              JOIN notices n ON n.id = e.notice_id
             WHERE ${ofRun} AND e.country IS NULL AND jsonb_typeof(e.payload->'closedRecords') = 'array'
          ), last AS (
            SELECT DISTINCT ON (e.notice_id, e.country) e.notice_id, e.country, e.to_state, e.seq FROM notice_events e
              JOIN notices n ON n.id = e.notice_id
             WHERE ${ofRun} AND e.country IS NOT NULL ORDER BY e.notice_id, e.country, e.seq DESC
          )
          SELECT NULL AS source, coalesce(sum(jsonb_array_length(closed)), 0)::int AS count FROM ended
          UNION ALL
          SELECT l.to_state, count(*)::int FROM ended x
            JOIN last l ON l.notice_id = x.notice_id AND l.seq < x.seq AND x.closed ? l.country
           GROUP BY 1`,
      ]);
      const states: Record<string, number> = {};
      for (const r of [...rows, ...unacted]) if (r.count > 0) states[r.state] = (states[r.state] ?? 0) + r.count;
      const transitions = keyed(moves);
      const close = (source: string, count: number) => {
        const key = transitionKey({ source, event: 'CLOSE', target: 'closed' });
        if (count > 0) transitions[key] = (transitions[key] ?? 0) + count;
      };
      const moved = closes.filter((c) => c.source !== null);
      const listed = closes.find((c) => c.source === null)?.count ?? 0;
      close('received', listed - moved.reduce((sum, c) => sum + c.count, 0));
      for (const c of moved) close(c.source!, c.count);
      return { states, transitions };
    },
  };
}
