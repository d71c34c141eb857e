/**
 * The hot path of a simulation, a country's event on its record, in two statements and no transaction
 * (notice-changes.ts, `runOnRecord`): one read of the notice, its clock and the record, then one write.
 * Sent through the database's own executor, not Prisma: its cost per query showed in the profile
 * (bench/README.md). Whatever does not fit falls back to the locked path, which is the one in notice-store.ts.
 */
import DataLoader from 'dataloader';
import type { SqlQuery } from '../db/database';
import { takePositionSql } from '../exercises/exercise-positions';
import { Prisma } from '../generated/prisma/client';
import {
  CLOCK_COLUMNS,
  HISTORY_COLUMNS,
  NOTICE_COLUMNS,
  historyValues,
  toLocked,
  type ClockedRow,
} from './notice-rows';
import type { NewHistoryEntry, NoticeStore, StoredNotice, StoredRecord } from './notice-store-type';
import { recordOf } from './recipient-records';

/**
 * A record's move in one statement that applies whole or not at all: each part reads the one before
 * (the notice still at the version and run read, then the record still at its version, then the
 * exercise's position, then the history row), and the final SELECT divides by the history rows
 * written, so if any part matched nothing the statement fails with division by zero and PostgreSQL
 * undoes the parts that did apply. The locks come in the locked path's order: notice, record, exercise.
 */
const MOVED_EXERCISE = Prisma.sql`(SELECT n.exercise_id FROM n JOIN r ON r.notice_id = n.id)`;

function recordEventAloneSql(notice: StoredNotice, record: StoredRecord, state: string, entry: NewHistoryEntry) {
  return Prisma.sql`
    WITH n AS (
      UPDATE notices SET last_seq = last_seq + 1
       WHERE id = ${notice.id}::uuid AND version = ${notice.version} AND run = ${notice.run}
      RETURNING id, last_seq, exercise_id, run
    ), r AS (
      INSERT INTO circulation_records AS c (notice_id, country, state, version, created_at, updated_at)
      SELECT n.id, ${record.country}, ${state}, ${record.version + 1}, ${record.updatedAt}::timestamptz,
             ${entry.at}::timestamptz FROM n
      ON CONFLICT (notice_id, country) DO UPDATE
        SET state = EXCLUDED.state, version = c.version + 1, updated_at = EXCLUDED.updated_at
        WHERE c.version = ${record.version}
      RETURNING notice_id
    ), x AS (${takePositionSql(MOVED_EXERCISE, Prisma.sql`(SELECT run FROM n)`)}),
    e AS (
      INSERT INTO notice_events (${HISTORY_COLUMNS})
      SELECT n.id, n.last_seq, ${historyValues(entry)}, x.exercise_id, x.position FROM n, x
      RETURNING 1
    )
    SELECT 1 / (SELECT count(*)::int FROM e) AS written`;
}

type PeekRow = ClockedRow & { recordState: string | null; recordVersion: number; recordAt: Date };

/** A notice's record to read: which notice, which country. */
interface RecordKey {
  noticeId: string;
  country: string;
}

/**
 * Reads that arrive together go as one query: the peeks requested in one turn of the event loop (at a
 * simulation's concurrency, several requests are parsed in one turn) are sent once the turn ends, as one
 * statement over the list of keys; a single one waits no longer than that turn. Each read still sees
 * the notice and its record as committed when the statement ran, as one read of its own would.
 */
function batchedPeeks(run: <R>(sql: Prisma.Sql) => Promise<R[]>) {
  return new DataLoader<RecordKey, PeekRow | null>(
    async (keys) => {
      const rows = await run<PeekRow & { key: number }>(Prisma.sql`
        SELECT k.key::int AS key, ${NOTICE_COLUMNS}, ${CLOCK_COLUMNS}, c.state AS "recordState",
               c.version AS "recordVersion", c.updated_at AS "recordAt"
          FROM unnest(${keys.map((k) => k.noticeId)}::uuid[], ${keys.map((k) => k.country)}::text[])
               WITH ORDINALITY AS k(notice_id, country, key)
          JOIN notices n ON n.id = k.notice_id
          JOIN exercises e ON e.id = n.exercise_id
          LEFT JOIN circulation_records c ON c.notice_id = n.id AND c.country = k.country`);
      const byKey = new Map(rows.map((row) => [row.key, row]));
      return keys.map((_key, i) => byKey.get(i + 1) ?? null);
    },
    { cache: false, maxBatchSize: 64, batchScheduleFn: (callback) => setImmediate(callback) },
  );
}

export function recordHotPath(send: SqlQuery): Pick<NoticeStore, 'peekRecord' | 'writeRecordEventAlone'> {
  const run = <R>(sql: Prisma.Sql) => send<R>(sql.text, sql.values);
  const peeks = batchedPeeks(run);
  return {
    async peekRecord(noticeId, country) {
      const row = await peeks.load({ noticeId, country });
      if (!row) return null;
      const notice = toLocked(row);
      const stored =
        row.recordState === null
          ? null
          : {
              noticeId,
              country,
              state: row.recordState,
              version: row.recordVersion,
              updatedAt: new Date(row.recordAt),
            };
      return { notice, record: recordOf(notice, country, stored) };
    },

    async writeRecordEventAlone(notice, record, state, entry) {
      try {
        await run(recordEventAloneSql(notice, record, state, entry));
        return true;
      } catch (error) {
        // Division by zero: some part matched nothing (a version or the run moved on), and the statement
        // failed whole. Any other error leaves the outcome to the locked path too.
        if ((error as { code?: string }).code === '22012' || error instanceof Prisma.PrismaClientKnownRequestError) {
          return false;
        }
        throw error;
      }
    },
  };
}
