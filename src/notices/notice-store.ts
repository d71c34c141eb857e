import { Prisma } from '../generated/prisma/client';
import { simulatedNowEpochSql } from '../exercises/clock-sql';
import { StaleVersionError } from '../http/errors';
import type { PrismaClient } from '../generated/prisma/client';
import type { Notice as NoticeRow, NoticeEvent as NoticeEventRow } from '../generated/prisma/client';
import { InjectAlreadyFired } from './notice-store-type';
import type {
  HistoryEntry,
  NewHistoryEntry,
  NoticeStore,
  NoticeTx,
  PersistedSnapshot,
  StoredNotice,
  StoredRecord,
} from './notice-store-type';

type Tx = Prisma.TransactionClient;

const toNotice = (row: NoticeRow): StoredNotice => ({
  id: row.id,
  exerciseId: row.exerciseId,
  type: row.type,
  state: row.state,
  requestingCountry: row.requestingCountry,
  version: row.version,
  snapshot: row.snapshot as unknown as PersistedSnapshot,
  publishedAt: row.publishedAt,
  expiresAt: row.expiresAt,
  dueAt: row.dueAt,
  dueEvent: row.dueEvent,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

const toHistory = (row: NoticeEventRow): HistoryEntry => ({
  seq: row.seq,
  type: row.type,
  actor: row.actorCountry ? { role: row.actorRole, country: row.actorCountry } : { role: row.actorRole },
  participantId: row.participantId,
  from: row.fromState,
  to: row.toState,
  country: row.country,
  at: row.at,
  recordedAt: row.recordedAt,
  payload: row.payload as Record<string, unknown>,
});

/**
 * Appends a history row under the notice's seq `seq` and the exercise's next event number. Taking
 * that number locks the exercise's row until the transaction ends, so the exercise's events are
 * numbered gap-free in commit order (the live stream reads by it). Always the last lock a notice
 * transaction takes (after the notice's and its records'), so no lock cycle forms.
 */
async function appendHistory(tx: Tx, exerciseId: string, noticeId: string, seq: number, e: NewHistoryEntry): Promise<void> {
  await tx.$executeRaw`
    WITH x AS (UPDATE exercises SET last_event_seq = last_event_seq + 1 WHERE id = ${exerciseId}::uuid RETURNING last_event_seq)
    INSERT INTO notice_events (notice_id, seq, type, actor_role, actor_country, participant_id, from_state, to_state, country, at, payload, exercise_id, exercise_seq)
    SELECT ${noticeId}::uuid, ${seq}, ${e.type}, ${e.actor.role}::"Role", ${e.actor.country ?? null}, ${e.participantId}::uuid,
           ${e.from}, ${e.to}, ${e.country}, ${e.at}, ${JSON.stringify(e.payload)}::jsonb, ${exerciseId}::uuid, x.last_event_seq
      FROM x`;
}

const json = (snapshot: PersistedSnapshot): Prisma.InputJsonObject => snapshot as unknown as Prisma.InputJsonObject;

function txOperations(tx: Tx): NoticeTx {
  return {
    // The statements of a circulation event are written in SQL: the hot path of a simulation, where
    // Prisma's query building cost more than the database work (bench/README.md).
    async lock(id) {
      // The exercise's clock comes along, so an event is stamped with the clock as it is now, not as
      // it was when the caller's token was checked.
      const rows = await tx.$queryRaw<(NoticeRow & { simEpoch: Date; wallAnchor: Date; speed: number; running: boolean })[]>`
        SELECT n.id, n.exercise_id AS "exerciseId", n.type::text AS type, n.state, n.requesting_country AS "requestingCountry",
               n.version, n.last_seq AS "lastSeq", n.snapshot, n.published_at AS "publishedAt", n.expires_at AS "expiresAt",
               n.due_at AS "dueAt", n.due_event AS "dueEvent", n.created_at AS "createdAt", n.updated_at AS "updatedAt",
               e.sim_epoch AS "simEpoch", e.wall_anchor AS "wallAnchor", e.speed, e.running
          FROM notices n JOIN exercises e ON e.id = n.exercise_id
         WHERE n.id = ${id}::uuid FOR UPDATE OF n`;
      const row = rows[0];
      if (!row) return null;
      const clock = { simEpoch: new Date(row.simEpoch), wallAnchor: new Date(row.wallAnchor), speed: Number(row.speed), running: row.running };
      return { ...toNotice(row), clock };
    },

    async update(id, expectedVersion, write, entry) {
      try {
        const row = await tx.notice.update({
          where: { id, version: expectedVersion },
          data: { ...write, snapshot: json(write.snapshot), version: { increment: 1 }, lastSeq: { increment: 1 } },
        });
        await appendHistory(tx, row.exerciseId, id, row.lastSeq, entry);
        return toNotice(row);
      } catch (error) {
        // P2025: no row matched id and version, so another writer got there first.
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025') return null;
        throw error;
      }
    },

    async writeRecordEvent(record, state, entry) {
      // The notice's seq only moves when the record did, so a stale version leaves no gap in the history.
      const inserted = await tx.$executeRaw`
        WITH r AS (
          UPDATE circulation_records SET state = ${state}, version = version + 1, updated_at = ${entry.at}
           WHERE notice_id = ${record.noticeId}::uuid AND country = ${record.country} AND version = ${record.version}
          RETURNING notice_id
        ), n AS (
          UPDATE notices SET last_seq = last_seq + 1 WHERE id = (SELECT notice_id FROM r) RETURNING id, last_seq, exercise_id
        ), x AS (
          -- The exercise's next event number, as appendHistory takes it
          UPDATE exercises SET last_event_seq = last_event_seq + 1 WHERE id = (SELECT exercise_id FROM n) RETURNING id, last_event_seq
        )
        INSERT INTO notice_events (notice_id, seq, type, actor_role, actor_country, participant_id, from_state, to_state, country, at, payload, exercise_id, exercise_seq)
        SELECT n.id, n.last_seq, ${entry.type}, ${entry.actor.role}::"Role", ${entry.actor.country ?? null}, ${entry.participantId}::uuid,
               ${entry.from}, ${entry.to}, ${entry.country}, ${entry.at}, ${JSON.stringify(entry.payload)}::jsonb, x.id, x.last_event_seq
          FROM n, x`;
      return inserted === 1;
    },

    async findRecord(noticeId, country) {
      const rows = await tx.$queryRaw<StoredRecord[]>`
        SELECT notice_id AS "noticeId", country, state, version, updated_at AS "updatedAt"
          FROM circulation_records WHERE notice_id = ${noticeId}::uuid AND country = ${country}`;
      return rows[0] ?? null;
    },

    async openCirculation(noticeId, countries, state, at) {
      // One statement with the countries as a single array parameter: createMany would bind six
      // parameters per row (1,170 for a full fan-out), and building that query costs more than running it.
      await tx.$executeRaw`
        INSERT INTO circulation_records (notice_id, country, state, version, created_at, updated_at)
        SELECT ${noticeId}::uuid, country, ${state}, 1, ${at}, ${at} FROM unnest(${[...countries]}::text[]) AS country`;
    },

    async closeCirculation(noticeId, openStates, closedState, at) {
      const rows = await tx.circulationRecord.updateManyAndReturn({
        where: { noticeId, state: { in: [...openStates] } },
        data: { state: closedState, version: { increment: 1 }, updatedAt: at },
        select: { country: true },
      });
      return rows.map((r) => r.country).sort();
    },

    async completeInject(injectId, noticeId) {
      const done = await tx.$executeRaw`
        UPDATE injects SET status = 'done', notice_id = COALESCE(${noticeId}::uuid, notice_id), fired_at = now()
         WHERE id = ${injectId}::uuid AND status = 'pending'`;
      return done === 1;
    },
  };
}

/** The notice repository on Prisma; Prisma's types stay in here. */
export function createNoticeStore(prisma: PrismaClient): NoticeStore {
  return {
    async create(notice, history, injectId) {
      return prisma.$transaction(async (tx) => {
        const row = await tx.notice.create({
          data: { ...notice, snapshot: json(notice.snapshot), lastSeq: 1 },
        });
        await appendHistory(tx, row.exerciseId, row.id, 1, history);
        if (injectId && !(await txOperations(tx).completeInject(injectId, row.id))) throw new InjectAlreadyFired(injectId);
        if (!injectId && history.participantId) {
          // A team playing a scripted part creates the notice by hand: it takes the local key of that
          // part's first skipped create of this type, so the script's later injects find it.
          await tx.$executeRaw`
            UPDATE injects SET notice_id = ${row.id}::uuid
             WHERE id = (SELECT id FROM injects
                          WHERE participant_id = ${history.participantId}::uuid AND status = 'skipped' AND notice_id IS NULL
                            AND action->'create'->'request'->>'type' = ${notice.type}
                          ORDER BY seq LIMIT 1)`;
        }
        return toNotice(row);
      });
    },

    async find(id) {
      const row = await prisma.notice.findUnique({ where: { id } });
      return row && toNotice(row);
    },

    async list(exerciseId, filter) {
      const rows = await prisma.notice.findMany({
        where: {
          exerciseId,
          ...(filter.state && { state: filter.state }),
          ...(filter.type && { type: filter.type }),
          ...(filter.country && { requestingCountry: filter.country }),
          ...(filter.visibleTo && {
            OR: [{ requestingCountry: filter.visibleTo }, { circulation: { some: { country: filter.visibleTo } } }],
          }),
        },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: filter.limit,
        skip: filter.offset,
      });
      return rows.map(toNotice);
    },

    async history(noticeId) {
      const rows = await prisma.noticeEvent.findMany({ where: { noticeId }, orderBy: { seq: 'asc' } });
      return rows.map(toHistory);
    },

    async circulation(noticeId) {
      return prisma.circulationRecord.findMany({
        where: { noticeId },
        orderBy: { country: 'asc' },
        select: { noticeId: true, country: true, state: true, version: true, updatedAt: true },
      });
    },

    async hasRecord(noticeId, country) {
      const row = await prisma.circulationRecord.findUnique({
        where: { noticeId_country: { noticeId, country } },
        select: { country: true },
      });
      return row !== null;
    },

    async nextDue(exerciseId, upTo) {
      const row = await prisma.notice.findFirst({
        where: { exerciseId, dueAt: { lte: upTo }, dueEvent: { not: null } },
        orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
        select: { id: true, dueAt: true, dueEvent: true },
      });
      return row?.dueAt && row.dueEvent ? { id: row.id, dueAt: row.dueAt, dueEvent: row.dueEvent } : null;
    },

    async exercisesWithDueDeadlines(wallNow) {
      // Paused clocks count too: a deadline left due by a clock action that failed half-way still fires.
      const rows = await prisma.$queryRaw<{ exercise_id: string }[]>`
        SELECT DISTINCT n.exercise_id FROM notices n JOIN exercises e ON e.id = n.exercise_id
         WHERE n.due_at IS NOT NULL AND extract(epoch FROM n.due_at) <= ${simulatedNowEpochSql(wallNow)}`;
      return rows.map((r) => r.exercise_id);
    },

    async exerciseHistory(exerciseId) {
      const rows = await prisma.noticeEvent.findMany({
        where: { notice: { exerciseId } },
        orderBy: [{ at: 'asc' }, { recordedAt: 'asc' }, { noticeId: 'asc' }, { seq: 'asc' }],
      });
      return rows.map((row) => ({ ...toHistory(row), noticeId: row.noticeId }));
    },

    async recordCounts(exerciseId) {
      const rows = await prisma.circulationRecord.groupBy({
        by: ['noticeId', 'state'],
        where: { notice: { exerciseId } },
        _count: { _all: true },
      });
      const counts = new Map<string, Record<string, number>>();
      for (const row of rows) counts.set(row.noticeId, { ...counts.get(row.noticeId), [row.state]: row._count._all });
      return counts;
    },

    async listPublic(exerciseId, states) {
      const rows = await prisma.notice.findMany({
        where: {
          exerciseId,
          state: { in: [...states] },
          snapshot: { path: ['context', 'request', 'publicExtractConsent'], equals: true },
        },
        orderBy: [{ publishedAt: 'desc' }, { id: 'asc' }],
      });
      return rows.map(toNotice);
    },

    async transaction(work) {
      try {
        return await prisma.$transaction((tx) => work(txOperations(tx)), { maxWait: 10_000, timeout: 20_000 });
      } catch (error) {
        // P2034: PostgreSQL aborted the transaction for a write conflict or deadlock; nothing was written.
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2034') {
          throw new StaleVersionError('A concurrent change got in the way; nothing was written, try again');
        }
        throw error;
      }
    },
  };
}
