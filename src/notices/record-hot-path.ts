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

/** One record event to write, as `writeRecordEventAlone` takes it. */
interface RecordWrite {
  notice: StoredNotice;
  record: StoredRecord;
  state: string;
  entry: NewHistoryEntry;
}

/**
 * Several record events, on distinct notices, in one statement that applies whole or not at all, as
 * the single one does: the notices locked in id order at the level their UPDATE takes (so that two
 * batches never wait on each other in opposite orders), each still at the version and run read; each
 * record still at its version; the exercises' rows shared; one history row each. Fails with division by
 * zero unless every part of every event matched.
 */
function recordEventsSql(writes: readonly RecordWrite[]) {
  const column = <T>(value: (write: RecordWrite) => T) => writes.map(value);
  return Prisma.sql`
    WITH k AS (
      SELECT * FROM unnest(
        ${column((w) => w.notice.id)}::uuid[], ${column((w) => w.notice.version)}::int[],
        ${column((w) => w.notice.run)}::int[], ${column((w) => w.record.country)}::text[],
        ${column((w) => w.state)}::text[], ${column((w) => w.record.version)}::int[],
        ${column((w) => w.record.updatedAt.toISOString())}::timestamptz[],
        ${column((w) => w.entry.type)}::text[], ${column((w) => w.entry.actor.role)}::text[]::"Role"[],
        ${column((w) => w.entry.actor.country ?? null)}::text[], ${column((w) => w.entry.participantId)}::uuid[],
        ${column((w) => w.entry.from)}::text[], ${column((w) => w.entry.to)}::text[],
        ${column((w) => w.entry.country)}::text[], ${column((w) => w.entry.at.toISOString())}::timestamptz[],
        ${column((w) => JSON.stringify(w.entry.payload))}::text[]::jsonb[]
      ) AS k(notice_id, version, run, country, state, record_version, record_at, type, actor_role,
             actor_country, participant_id, from_state, to_state, entry_country, at, payload)
    ), l AS (
      SELECT id FROM notices WHERE id IN (SELECT notice_id FROM k) ORDER BY id FOR NO KEY UPDATE
    ), n AS (
      UPDATE notices SET last_seq = notices.last_seq + 1 FROM l, k
       WHERE notices.id = l.id AND k.notice_id = l.id AND notices.version = k.version AND notices.run = k.run
      RETURNING notices.id, notices.last_seq, notices.exercise_id, notices.run
    ), r AS (
      INSERT INTO circulation_records AS c (notice_id, country, state, version, created_at, updated_at)
      SELECT n.id, k.country, k.state, k.record_version + 1, k.record_at, k.at FROM n JOIN k ON k.notice_id = n.id
      ON CONFLICT (notice_id, country) DO UPDATE
        SET state = EXCLUDED.state, version = c.version + 1, updated_at = EXCLUDED.updated_at
        WHERE c.version = EXCLUDED.version - 1
      RETURNING notice_id
    ), x AS (
      SELECT id AS exercise_id, run FROM exercises
       WHERE id IN (SELECT n.exercise_id FROM n JOIN r ON r.notice_id = n.id)
       FOR KEY SHARE
    ), e AS (
      INSERT INTO notice_events (${HISTORY_COLUMNS})
      SELECT n.id, n.last_seq, k.type, k.actor_role, k.actor_country, k.participant_id, k.from_state,
             k.to_state, k.entry_country, k.at, k.payload, x.exercise_id, NULL
        FROM n JOIN r ON r.notice_id = n.id JOIN k ON k.notice_id = n.id
        JOIN x ON x.exercise_id = n.exercise_id AND x.run = n.run
      RETURNING 1
    )
    SELECT 1 / (SELECT (count(*) = ${writes.length})::int FROM e) AS written`;
}

/**
 * Why a statement wrote nothing, when it is safe to say so: division by zero (a part matched nothing,
 * and the statement failed whole), a deadlock or a constraint (the statement was undone). Anything else,
 * a lost connection above all, may have committed: that is the caller's answer, never a retry.
 */
const undone = (error: unknown) =>
  ['22012', '40P01'].includes((error as { code?: string }).code ?? '') ||
  error instanceof Prisma.PrismaClientKnownRequestError;

/**
 * Writes that arrive together go as few statements: those asked for in one turn of the event loop are
 * grouped so that no statement holds one notice twice (the first event of each notice in one, the
 * second of each in the next, ...), and a group is one statement. If a group's statement wrote nothing,
 * its events are tried one by one, so that each gets its own answer; on a failure that may have
 * committed, every event of the group gets that failure.
 */
function batchedWrites(run: <R>(sql: Prisma.Sql) => Promise<R[]>) {
  const alone = async (write: RecordWrite): Promise<boolean> => {
    try {
      await run(recordEventAloneSql(write.notice, write.record, write.state, write.entry));
      return true;
    } catch (error) {
      if (undone(error)) return false;
      throw error;
    }
  };
  const together = async (group: readonly RecordWrite[]): Promise<(boolean | Error)[]> => {
    if (group.length === 1) return [await alone(group[0]!).catch((error: Error) => error)];
    try {
      await run(recordEventsSql(group));
      return group.map(() => true);
    } catch (error) {
      if (!undone(error)) return group.map(() => error as Error);
      return Promise.all(group.map((write) => alone(write).catch((failure: Error) => failure)));
    }
  };
  return new DataLoader<RecordWrite, boolean>(
    async (writes) => {
      const groups: RecordWrite[][] = [];
      const seen = new Map<string, number>();
      const placed = writes.map((write) => {
        const index = seen.get(write.notice.id) ?? 0;
        seen.set(write.notice.id, index + 1);
        (groups[index] ??= []).push(write);
        return [index, groups[index].length - 1] as const;
      });
      const outcomes = await Promise.all(groups.map(together));
      return placed.map(([group, at]) => outcomes[group]![at]!);
    },
    { cache: false, maxBatchSize: 64, batchScheduleFn: (callback) => setImmediate(callback) },
  );
}

export function recordHotPath(send: SqlQuery): Pick<NoticeStore, 'peekRecord' | 'writeRecordEventAlone'> {
  const run = <R>(sql: Prisma.Sql) => send<R>(sql.text, sql.values);
  const peeks = batchedPeeks(run);
  const writes = batchedWrites(run);
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

    writeRecordEventAlone: (notice, record, state, entry) => writes.load({ notice, record, state, entry }),
  };
}
