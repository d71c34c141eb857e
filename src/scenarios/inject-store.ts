import { autocommitWrite, type Tx } from '../db/transaction';
import { Prisma, type PrismaClient } from '../generated/prisma/client';
import type { Role } from '../exercises/exercise-types';
import type { ScenarioInject } from './scenario-schema';

export type InjectStatus = 'pending' | 'done' | 'failed' | 'skipped';

/** A scheduled inject, with the participant it acts as. */
export interface StoredInject {
  id: string;
  exerciseId: string;
  /** The exercise's run it belongs to (src/exercises/runs.ts). */
  run: number;
  seq: number;
  at: Date;
  participant: { id: string; key: string | null; name: string | null; role: Role; country: string | null };
  action: ScenarioInject;
  noticeKey: string;
  status: InjectStatus;
  noticeId: string | null;
  error: InjectError | null;
  firedAt: Date | null;
}

/** The API error an inject met, as the API would have answered it. */
export interface InjectError {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}

/** An inject as scheduled when its exercise is created. */
export interface NewInject {
  seq: number;
  at: Date;
  participantId: string;
  action: ScenarioInject;
  noticeKey: string;
  /** Its participant is played by a team: kept for the report, never fired. */
  skipped: boolean;
}

export interface InjectStore {
  /** Schedules the exercise's injects, in the transaction that creates it. */
  schedule(tx: Tx, exerciseId: string, injects: NewInject[]): Promise<void>;
  /**
   * Marks an inject done, with the change it made (the notice, for a create), in that change's
   * transaction: false when it is no longer pending (another process fired it first) or a reset has
   * ended its run meanwhile (the change would land in the next run).
   */
  complete(tx: Tx, injectId: string, noticeId: string | null): Promise<boolean>;
  /** The earliest pending inject of the exercise's current run due by `upTo` (ties in file order), if any. */
  nextPending(exerciseId: string, upTo: Date): Promise<StoredInject | null>;
  /** The notice a scenario's local key stands for in run `run`, once the inject creating it has fired. */
  noticeIdForKey(exerciseId: string, run: number, key: string): Promise<string | null>;
  /** Records why an inject could not be done; false when it was no longer pending. */
  markFailed(injectId: string, error: InjectError): Promise<boolean>;
  /** The run's injects. */
  list(exerciseId: string, run: number): Promise<StoredInject[]>;
  /**
   * Notice id to local key: for the notices created by injects, and for those a team created by hand
   * in a part whose creates were skipped (its n-th notice of a type takes its n-th skipped create's key).
   */
  noticeKeys(exerciseId: string, run: number): Promise<Map<string, string>>;
  /** Each exercise's earliest pending inject of its current run (the ticker compares it with the clock), by id. */
  earliestPendingInjects(): Promise<Map<string, Date>>;
}

interface InjectRow {
  id: string;
  exercise_id: string;
  run: number;
  seq: number;
  at: Date;
  participant_id: string;
  key: string | null;
  name: string | null;
  role: Role;
  country: string | null;
  action: ScenarioInject;
  notice_key: string;
  status: InjectStatus;
  notice_id: string | null;
  error: InjectError | null;
  fired_at: Date | null;
}

const SELECT = Prisma.sql`
  SELECT i.id, i.exercise_id, i.run, i.seq, i.at, i.participant_id, p.key, p.name, p.role::text AS role, p.country,
         i.action,
         i.notice_key, i.status::text AS status, i.notice_id, i.error, i.fired_at
    FROM injects i JOIN participants p ON p.id = i.participant_id`;

const toInject = (row: InjectRow): StoredInject => ({
  id: row.id,
  exerciseId: row.exercise_id,
  run: row.run,
  seq: row.seq,
  at: new Date(row.at),
  participant: { id: row.participant_id, key: row.key, name: row.name, role: row.role, country: row.country },
  action: row.action,
  noticeKey: row.notice_key,
  status: row.status,
  noticeId: row.notice_id,
  error: row.error,
  firedAt: row.fired_at && new Date(row.fired_at),
});

/**
 * The local keys of an exercise's notices. A scripted create records its notice when it fires; a
 * skipped one (its part is played by a team) stands for the notice that team created by hand: its
 * n-th skipped create of a type for the part's n-th notice of that type.
 */
function keysSql(exerciseId: string, run: number, key?: string): Prisma.Sql {
  return Prisma.sql`
    WITH creates AS (
      SELECT i.notice_key, i.status, i.notice_id, i.participant_id, i.action #>> '{create,request,type}' AS type,
             row_number() OVER (PARTITION BY i.participant_id, i.status, i.action #>> '{create,request,type}'
                                ORDER BY i.seq) AS n
        FROM injects i
       WHERE i.exercise_id = ${exerciseId}::uuid AND i.run = ${run} AND (i.action -> 'create') IS NOT NULL
         AND i.status IN ('done', 'skipped')
    ), made AS (
      SELECT e.notice_id, e.participant_id, e.payload ->> 'noticeType' AS type,
             row_number() OVER (PARTITION BY e.participant_id, e.payload ->> 'noticeType' ORDER BY e.id) AS n
        FROM notice_events e JOIN notices n ON n.id = e.notice_id AND n.run = ${run}
       WHERE e.exercise_id = ${exerciseId}::uuid AND e.type = 'CREATE'
    )
    SELECT c.notice_key, COALESCE(c.notice_id, m.notice_id) AS notice_id
      FROM creates c
      LEFT JOIN made m ON c.status = 'skipped' AND m.participant_id = c.participant_id AND m.type = c.type AND m.n = c.n
     WHERE COALESCE(c.notice_id, m.notice_id) IS NOT NULL
       ${key === undefined ? Prisma.empty : Prisma.sql`AND c.notice_key = ${key}`}`;
}

export function createInjectStore(prisma: PrismaClient): InjectStore {
  return {
    async schedule(tx, exerciseId, injects) {
      await tx.inject.createMany({
        data: injects.map((i) => ({
          exerciseId,
          seq: i.seq,
          at: i.at,
          participantId: i.participantId,
          action: i.action as unknown as Prisma.InputJsonObject,
          noticeKey: i.noticeKey,
          status: i.skipped ? 'skipped' : 'pending',
        })),
      });
    },

    async complete(tx, injectId, noticeId) {
      const done = await tx.$executeRaw`
        UPDATE injects SET status = 'done', notice_id = COALESCE(notice_id, ${noticeId}::uuid), fired_at = now()
         WHERE id = ${injectId}::uuid AND status = 'pending'
           AND run = (SELECT e.run FROM exercises e WHERE e.id = injects.exercise_id)`;
      return done === 1;
    },

    async nextPending(exerciseId, upTo) {
      const rows = await prisma.$queryRaw<InjectRow[]>`${SELECT}
         WHERE i.exercise_id = ${exerciseId}::uuid AND i.status = 'pending' AND i.at <= ${upTo}
           AND i.run = (SELECT x.run FROM exercises x WHERE x.id = i.exercise_id)
         ORDER BY i.at, i.seq LIMIT 1`;
      return rows[0] ? toInject(rows[0]) : null;
    },

    async noticeIdForKey(exerciseId, run, key) {
      const rows = await prisma.$queryRaw<{ notice_id: string }[]>`${keysSql(exerciseId, run, key)}`;
      return rows[0]?.notice_id ?? null;
    },

    async markFailed(injectId, error) {
      const { count } = await autocommitWrite(() =>
        prisma.inject.updateMany({
          where: { id: injectId, status: 'pending' },
          data: { status: 'failed', error: error as unknown as Prisma.InputJsonObject, firedAt: new Date() },
        }),
      );
      return count === 1;
    },

    async list(exerciseId, run) {
      const rows = await prisma.$queryRaw<
        InjectRow[]
      >`${SELECT} WHERE i.exercise_id = ${exerciseId}::uuid AND i.run = ${run} ORDER BY i.at, i.seq`;
      return rows.map(toInject);
    },

    async noticeKeys(exerciseId, run) {
      const rows = await prisma.$queryRaw<{ notice_key: string; notice_id: string }[]>`${keysSql(exerciseId, run)}`;
      return new Map(rows.map((r) => [r.notice_id, r.notice_key]));
    },

    async earliestPendingInjects() {
      const rows = await prisma.$queryRaw<{ exercise_id: string; at: Date }[]>`
        SELECT i.exercise_id, min(i.at) AS at FROM injects i JOIN exercises e ON e.id = i.exercise_id
         WHERE i.status = 'pending' AND i.run = e.run GROUP BY i.exercise_id`;
      return new Map(rows.map((r) => [r.exercise_id, new Date(r.at)]));
    },
  };
}
