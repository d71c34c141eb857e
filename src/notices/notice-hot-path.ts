/**
 * A notice's own event (APPROVE, SUBMIT, START_REVIEW…) in two statements and no transaction
 * (notice-changes.ts, `runOnNotice`): one read of the notice and its clock, then one write. The same
 * reasons and the same rules as the record's (record-hot-path.ts): sent through the database's own
 * executor, not Prisma, and whatever does not fit falls back to the locked path in notice-store.ts.
 */
import type { SqlQuery } from '../db/database';
import { takePositionSql } from '../exercises/exercise-positions';
import { Prisma } from '../generated/prisma/client';
import {
  CLOCK_COLUMNS,
  HISTORY_COLUMNS,
  NOTICE_COLUMNS,
  derivedSet,
  historyValues,
  toLocked,
  toNotice,
  type ClockedRow,
  type NoticeRow,
} from './notice-rows';
import type { NewHistoryEntry, NoticeStore, NoticeWrite, StoredNotice } from './notice-store-type';

/**
 * The notice's transition in one statement that applies whole or not at all: the notice's update only
 * at the version and run read (its seq taken with it), its own deadline rows replaced when they changed,
 * the exercise's position held FOR KEY SHARE at the notice's run, then the history row. The final
 * SELECT reads from a one-row table, so it has its row even when the update matched nothing, and divides
 * by the history rows written: if any part matched nothing the statement fails with division by zero and
 * PostgreSQL undoes what did apply. The locks come in the locked path's order: the notice, then the exercise.
 */
const MOVED_EXERCISE = Prisma.sql`(SELECT "exerciseId" FROM n)`;

function noticeEventAloneSql(notice: StoredNotice, write: NoticeWrite, entry: NewHistoryEntry) {
  const { deadlines } = write;
  const replaceDeadlines =
    deadlines === undefined
      ? Prisma.empty
      : Prisma.sql`, gone AS (
          DELETE FROM deadlines WHERE notice_id = (SELECT id FROM n) AND country IS NULL
        ), due AS (
          INSERT INTO deadlines (exercise_id, notice_id, event, due_at)
          SELECT n."exerciseId", n.id, d.event, d.due_at::timestamptz
            FROM n, unnest(${deadlines.map((d) => d.event)}::text[],
                           ${deadlines.map((d) => d.dueAt.toISOString())}::text[]) AS d(event, due_at)
        )`;
  return Prisma.sql`
    WITH n AS (
      UPDATE notices n SET state = ${write.state}, snapshot = ${JSON.stringify(write.snapshot)}::jsonb,
             published_at = ${write.publishedAt}::timestamptz, expires_at = ${write.expiresAt}::timestamptz,
             ${derivedSet(write)},
             last_event_at = ${entry.at}::timestamptz, version = version + 1, last_seq = last_seq + 1,
             updated_at = now()
       WHERE n.id = ${notice.id}::uuid AND n.version = ${notice.version} AND n.run = ${notice.run}
      RETURNING ${NOTICE_COLUMNS}, n.last_seq AS "lastSeq"
    )${replaceDeadlines}, x AS (${takePositionSql(MOVED_EXERCISE, Prisma.sql`(SELECT run FROM n)`)}),
    e AS (
      INSERT INTO notice_events (${HISTORY_COLUMNS})
      SELECT n.id, n."lastSeq", ${historyValues(entry)}, x.exercise_id, x.position FROM n, x
      RETURNING 1
    )
    SELECT n.*, 1 / (SELECT count(*)::int FROM e) AS written FROM (SELECT 1) AS one LEFT JOIN n ON true`;
}

export function noticeHotPath(send: SqlQuery): Pick<NoticeStore, 'peekNotice' | 'writeNoticeEventAlone'> {
  const run = <R>(sql: Prisma.Sql) => send<R>(sql.text, sql.values);
  return {
    async peekNotice(noticeId) {
      const rows = await run<ClockedRow>(Prisma.sql`
        SELECT ${NOTICE_COLUMNS}, ${CLOCK_COLUMNS}
          FROM notices n JOIN exercises e ON e.id = n.exercise_id
         WHERE n.id = ${noticeId}::uuid`);
      return rows[0] ? toLocked(rows[0]) : null;
    },

    async writeNoticeEventAlone(notice, write, entry) {
      try {
        const [row] = await run<NoticeRow>(noticeEventAloneSql(notice, write, entry));
        return row ? toNotice(row) : null;
      } catch (error) {
        // Division by zero: some part matched nothing (the version or the run moved on), and the statement
        // failed whole (through Prisma, when the store has no executor of its own, a known request error).
        if ((error as { code?: string }).code === '22012' || error instanceof Prisma.PrismaClientKnownRequestError) {
          return null;
        }
        throw error;
      }
    },
  };
}
