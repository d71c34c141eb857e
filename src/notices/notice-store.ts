import { Prisma, type PrismaClient } from '../generated/prisma/client';
import type { SqlQuery } from '../db/database';
import { runTransaction } from '../db/transaction';
import { recordDeadlineOperations, recordDeadlinesOf, withDeadlines } from './record-deadline-rows';
import { takePositionSql } from '../exercises/exercise-positions';
import { EarlierRunError } from '../exercises/runs';
import { StaleVersionError } from '../kernel/errors';
import {
  CLOCK_COLUMNS,
  HISTORY_COLUMNS,
  NOTICE_COLUMNS,
  derivedSet,
  historyValues,
  toHistory,
  toLocked,
  toNotice,
  type ClockedRow,
  type NoticeRow,
} from './notice-rows';
import { noticeHotPath } from './notice-hot-path';
import { recordHotPath } from './record-hot-path';
import { noticeVisibleSql } from './notice-visibility';
import type {
  NewHistoryEntry,
  NoticeStore,
  NoticeTx,
  NoticeWrite,
  StoredNotice,
  StoredRecord,
} from './notice-store-type';
import { countsOf, recordCountries, recordOf, recordsOf } from './recipient-records';

type Tx = Prisma.TransactionClient;

/** Where a history row goes: its notice's seq, and the exercise's next position while it is on `run` (if given). */
type HistoryPlace = { exerciseId: string; noticeId: string; seq: number; run?: number };

async function appendHistory(tx: Tx, { exerciseId, noticeId, seq, run }: HistoryPlace, e: NewHistoryEntry) {
  const runSql = run === undefined ? undefined : Prisma.sql`${run}`;
  const inserted = await tx.$executeRaw`
    WITH x AS (${takePositionSql(Prisma.sql`${exerciseId}::uuid`, runSql)})
    INSERT INTO notice_events (${HISTORY_COLUMNS})
    SELECT ${noticeId}::uuid, ${seq}, ${historyValues(e)}, x.exercise_id, x.position FROM x`;
  return inserted === 1;
}

/** Replaces the notice's own deadline rows with `deadlines`, in one statement. */
async function writeDeadlines(tx: Tx, exerciseId: string, noticeId: string, deadlines: NoticeWrite['deadlines']) {
  if (deadlines === undefined) return;
  await tx.$executeRaw`
    WITH gone AS (DELETE FROM deadlines WHERE notice_id = ${noticeId}::uuid AND country IS NULL)
    INSERT INTO deadlines (exercise_id, notice_id, event, due_at)
    SELECT ${exerciseId}::uuid, ${noticeId}::uuid, d.event, d.due_at::timestamptz
      FROM unnest(${deadlines.map((d) => d.event)}::text[], ${deadlines.map((d) => d.dueAt.toISOString())}::text[])
        AS d(event, due_at)`;
}

const json = (value: unknown): Prisma.InputJsonObject => value as Prisma.InputJsonObject;

function txOperations(tx: Tx): NoticeTx {
  return {
    db: tx,
    sql: true,
    ...recordDeadlineOperations(tx),
    // The statements of a circulation event are written in SQL: the hot path of a simulation, where
    // Prisma's query building cost more than the database work (bench/README.md).
    async lock(id) {
      // The exercise's clock comes along, so an event is stamped with the clock as it is now, not as
      // it was when the caller's token was checked.
      const rows = await tx.$queryRaw<ClockedRow[]>`
        SELECT ${NOTICE_COLUMNS}, ${CLOCK_COLUMNS}
          FROM notices n JOIN exercises e ON e.id = n.exercise_id
         WHERE n.id = ${id}::uuid FOR UPDATE OF n`;
      return rows[0] ? toLocked(rows[0]) : null;
    },

    async update(id, expectedVersion, write, entry) {
      const { deadlines, ...columns } = write;
      const rows = await tx.$queryRaw<(NoticeRow & { lastSeq: number })[]>`
        UPDATE notices n SET state = ${columns.state}, snapshot = ${JSON.stringify(columns.snapshot)}::jsonb,
               published_at = ${columns.publishedAt}, expires_at = ${columns.expiresAt}, ${derivedSet(columns)},
               last_event_at = ${entry.at}, version = version + 1, last_seq = last_seq + 1, updated_at = now()
         WHERE n.id = ${id}::uuid AND n.version = ${expectedVersion}
        RETURNING ${NOTICE_COLUMNS}, n.last_seq AS "lastSeq"`;
      const row = rows[0];
      // No row matched id and version: another writer got there first.
      if (!row) return null;
      await writeDeadlines(tx, row.exerciseId, id, deadlines);
      // A reset committed after the lock was taken: the notice's run has ended.
      if (
        !(await appendHistory(tx, { exerciseId: row.exerciseId, noticeId: id, seq: row.lastSeq, run: row.run }, entry))
      ) {
        throw new EarlierRunError('notice', row.run, null);
      }
      return toNotice(row);
    },

    async writeRecordEvent(record, state, entry) {
      // The notice's seq only moves when the record did, so a stale version leaves no gap in the history.
      // A country's first event inserts its record's row (recipient-records.ts); a row inserted meanwhile
      // by a racing first event fails the version guard like any other change.
      const inserted = await tx.$executeRaw`
        WITH r AS (
          INSERT INTO circulation_records AS c (notice_id, country, state, version, created_at, updated_at)
          VALUES (${record.noticeId}::uuid, ${record.country}, ${state}, ${record.version + 1}, ${record.updatedAt},
                  ${entry.at})
          ON CONFLICT (notice_id, country) DO UPDATE
            SET state = EXCLUDED.state, version = c.version + 1, updated_at = EXCLUDED.updated_at
            WHERE c.version = ${record.version}
          RETURNING notice_id
        ), n AS (
          UPDATE notices SET last_seq = last_seq + 1 WHERE id = (SELECT notice_id FROM r)
          RETURNING id, last_seq, exercise_id, run
        ), x AS (${takePositionSql(Prisma.sql`(SELECT exercise_id FROM n)`, Prisma.sql`(SELECT run FROM n)`)})
        INSERT INTO notice_events (${HISTORY_COLUMNS})
        SELECT n.id, n.last_seq, ${historyValues(entry)}, x.exercise_id, x.position FROM n, x`;
      return inserted === 1;
    },

    async findRecord(notice, country) {
      return recordOf(notice, country, await recordRow(tx, notice.id, country));
    },

    async closeCirculation(notice, openStates, closedState, at) {
      // The rows in an open state, and the recipients without a row: those were open (received) too.
      const rows = await tx.$queryRaw<{ country: string }[]>`
        WITH closed AS (
          UPDATE circulation_records SET state = ${closedState}, version = version + 1, updated_at = ${at}
           WHERE notice_id = ${notice.id}::uuid AND state IN (${Prisma.join([...openStates])})
          RETURNING country
        )
        SELECT country FROM closed
        UNION ALL
        SELECT r.country FROM unnest(${recordCountries(notice)}::text[]) AS r(country)
         WHERE NOT EXISTS (
           SELECT 1 FROM circulation_records c WHERE c.notice_id = ${notice.id}::uuid AND c.country = r.country)`;
      return rows.map((r) => r.country).sort();
    },
  };
}

async function recordRow(db: Tx, noticeId: string, country: string): Promise<StoredRecord | null> {
  const rows = await db.$queryRaw<StoredRecord[]>`
    SELECT notice_id AS "noticeId", country, state, version, updated_at AS "updatedAt"
      FROM circulation_records WHERE notice_id = ${noticeId}::uuid AND country = ${country}`;
  return rows[0] ?? null;
}

/** The notice repository on Prisma; Prisma's types stay in here. */
/**
 * `query`: the database's own executor for the hot path (Database.query); Prisma's raw query otherwise,
 * the same SQL.
 */
export function createNoticeStore(prisma: PrismaClient, query?: SqlQuery): NoticeStore {
  const send: SqlQuery =
    query ?? (<R>(text: string, values: readonly unknown[]) => prisma.$queryRawUnsafe<R[]>(text, ...values));
  const store: NoticeStore = {
    ...recordHotPath(send),
    ...noticeHotPath(send),
    async create(notice, history, within) {
      return runTransaction(prisma, async (tx) => {
        const { deadlines, recipients, subject, ...columns } = notice;
        const row = await tx.notice.create({
          data: {
            ...columns,
            subjectNameKey: subject.nameKey,
            subjectBirthDate: subject.birthDate,
            subjectPrints: subject.fingerprints,
            subjectDna: subject.dna,
            snapshot: json(columns.snapshot),
            recipients: recipients === null ? Prisma.DbNull : recipients,
            lastEventAt: history.at,
            lastSeq: 1,
          },
        });
        await writeDeadlines(tx, row.exerciseId, row.id, deadlines);
        await appendHistory(tx, { exerciseId: row.exerciseId, noticeId: row.id, seq: 1 }, history);
        // The exercise's row is held FOR KEY SHARE now (takePositionSql): a reset waits for this
        // transaction, so the exercise's run is the one the notice joins.
        const [{ run }] = await tx.$queryRaw<[{ run: number }]>`
          UPDATE notices n SET run = e.run FROM exercises e
           WHERE e.id = n.exercise_id AND n.id = ${row.id}::uuid RETURNING n.run`;
        const snapshot = row.snapshot as unknown as StoredNotice['snapshot'];
        const created = toNotice({ ...row, run, exerciseRun: run, snapshot });
        await within?.(txOperations(tx), created);
        return created;
      });
    },

    async find(id) {
      const rows = await prisma.$queryRaw<
        NoticeRow[]
      >`SELECT ${NOTICE_COLUMNS} FROM notices n WHERE n.id = ${id}::uuid`;
      return rows[0] ? toNotice(rows[0]) : null;
    },

    async list(exerciseId, filter) {
      const conditions = [
        Prisma.sql`n.exercise_id = ${exerciseId}::uuid`,
        Prisma.sql`n.run = ${filter.run}`,
        ...(filter.state ? [Prisma.sql`n.state = ${filter.state}`] : []),
        ...(filter.type ? [Prisma.sql`n.type = ${filter.type}::"NoticeType"`] : []),
        ...(filter.country ? [Prisma.sql`n.requesting_country = ${filter.country}`] : []),
        noticeVisibleSql(filter.reader, 'n'),
      ];
      const order =
        filter.order === 'published'
          ? Prisma.sql`n.published_at DESC NULLS LAST, n.id`
          : Prisma.sql`n.created_at, n.id`;
      const rows = await prisma.$queryRaw<NoticeRow[]>`
        SELECT ${NOTICE_COLUMNS} FROM notices n WHERE ${Prisma.join(conditions, ' AND ')}
         ORDER BY ${order} LIMIT ${filter.limit} OFFSET ${filter.offset}`;
      return rows.map(toNotice);
    },

    async history(noticeId) {
      const rows = await prisma.noticeEvent.findMany({ where: { noticeId }, orderBy: { seq: 'asc' } });
      // The actors' display names: one more query for the participants the history names.
      const ids = [...new Set(rows.flatMap((r) => (r.participantId ? [r.participantId] : [])))];
      const named = ids.length
        ? await prisma.participant.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })
        : [];
      const names = new Map(named.map((p) => [p.id, p.name]));
      return rows.map((row) => ({
        ...toHistory(row),
        participantName: (row.participantId && names.get(row.participantId)) ?? null,
      }));
    },

    async circulation(noticeId) {
      const [notice, rows, deadlines] = await Promise.all([
        store.find(noticeId),
        prisma.circulationRecord.findMany({
          where: { noticeId },
          select: { noticeId: true, country: true, state: true, version: true, updatedAt: true },
        }),
        recordDeadlinesOf(prisma, noticeId),
      ]);
      return notice ? withDeadlines(recordsOf(notice, rows), deadlines) : [];
    },

    async nextDue(exerciseId, upTo, noticeId) {
      const row = await prisma.deadline.findFirst({
        where: { exerciseId, dueAt: { lte: upTo }, ...(noticeId && { noticeId }) },
        orderBy: [{ dueAt: 'asc' }, { noticeId: 'asc' }, { id: 'asc' }],
        select: { noticeId: true, country: true, event: true, dueAt: true },
      });
      return row;
    },

    async earliestDeadlines() {
      const rows = await prisma.deadline.groupBy({ by: ['exerciseId'], _min: { dueAt: true } });
      return new Map(rows.flatMap((r) => (r._min.dueAt ? [[r.exerciseId, r._min.dueAt] as const] : [])));
    },

    async exerciseHistory(exerciseId, run) {
      const rows = await prisma.noticeEvent.findMany({
        where: { exerciseId, notice: { run } },
        orderBy: [{ at: 'asc' }, { recordedAt: 'asc' }, { noticeId: 'asc' }, { seq: 'asc' }],
      });
      return rows.map((row) => ({ ...toHistory(row), noticeId: row.noticeId }));
    },

    async recordCounts(exerciseId, run) {
      const [rows, notices] = await Promise.all([
        prisma.circulationRecord.groupBy({
          by: ['noticeId', 'state'],
          where: { notice: { exerciseId, run } },
          _count: { _all: true },
        }),
        prisma.$queryRaw<NoticeRow[]>`
          SELECT ${NOTICE_COLUMNS} FROM notices n
           WHERE n.exercise_id = ${exerciseId}::uuid AND n.run = ${run} AND n.published_at IS NOT NULL`,
      ]);
      const stored = new Map<string, Record<string, number>>();
      for (const row of rows) stored.set(row.noticeId, { ...stored.get(row.noticeId), [row.state]: row._count._all });
      const counts = new Map(stored);
      // Rows exist for recipients only (a country's first event writes its own), so the rest are unacted.
      for (const notice of notices.map(toNotice)) {
        const own = stored.get(notice.id) ?? {};
        const rowCount = Object.values(own).reduce((sum, n) => sum + n, 0);
        counts.set(notice.id, countsOf(notice, own, rowCount));
      }
      return counts;
    },

    async transaction(work) {
      try {
        return await runTransaction(prisma, (tx) => work(txOperations(tx)));
      } catch (error) {
        // P2034: PostgreSQL aborted the transaction for a write conflict or deadlock; nothing was written.
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2034') {
          throw new StaleVersionError('A concurrent change got in the way; nothing was written, try again');
        }
        throw error;
      }
    },
  };
  return store;
}
