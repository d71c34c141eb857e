import { Prisma, type PrismaClient } from '../generated/prisma/client';
import { simulatedNowEpochSql } from '../exercises/clock-sql';
import type { Role } from '../notices/notice-types';
import type { ScenarioInject } from './scenario-schema';

export type InjectStatus = 'pending' | 'done' | 'failed' | 'skipped';

/** A scheduled inject, with the participant it acts as. */
export interface StoredInject {
  id: string;
  exerciseId: string;
  seq: number;
  at: Date;
  participant: { id: string; key: string | null; role: Role; country: string | null };
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

export interface InjectStore {
  /** The exercise's earliest pending inject due by `upTo` (ties in file order), if any. */
  nextPending(exerciseId: string, upTo: Date): Promise<StoredInject | null>;
  /** The notice a scenario's local key stands for, once the inject creating it has fired. */
  noticeIdForKey(exerciseId: string, key: string): Promise<string | null>;
  /** Records why an inject could not be done; false when it was no longer pending. */
  markFailed(injectId: string, error: InjectError): Promise<boolean>;
  list(exerciseId: string): Promise<StoredInject[]>;
  /** Notice id to local key, for the exercise's notices created by injects. */
  noticeKeys(exerciseId: string): Promise<Map<string, string>>;
  /** Exercises whose clock (running or not) has reached a pending inject at wall time `wallNow`. */
  exercisesWithDueInjects(wallNow: Date): Promise<string[]>;
}

interface InjectRow {
  id: string;
  exercise_id: string;
  seq: number;
  at: Date;
  participant_id: string;
  key: string | null;
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
  SELECT i.id, i.exercise_id, i.seq, i.at, i.participant_id, p.key, p.role::text AS role, p.country, i.action,
         i.notice_key, i.status::text AS status, i.notice_id, i.error, i.fired_at
    FROM injects i JOIN participants p ON p.id = i.participant_id`;

const toInject = (row: InjectRow): StoredInject => ({
  id: row.id,
  exerciseId: row.exercise_id,
  seq: row.seq,
  at: new Date(row.at),
  participant: { id: row.participant_id, key: row.key, role: row.role, country: row.country },
  action: row.action,
  noticeKey: row.notice_key,
  status: row.status,
  noticeId: row.notice_id,
  error: row.error,
  firedAt: row.fired_at && new Date(row.fired_at),
});

export function createInjectStore(prisma: PrismaClient): InjectStore {
  return {
    async nextPending(exerciseId, upTo) {
      const rows = await prisma.$queryRaw<InjectRow[]>`${SELECT}
         WHERE i.exercise_id = ${exerciseId}::uuid AND i.status = 'pending' AND i.at <= ${upTo}
         ORDER BY i.at, i.seq LIMIT 1`;
      return rows[0] ? toInject(rows[0]) : null;
    },

    async noticeIdForKey(exerciseId, key) {
      const row = await prisma.inject.findFirst({
        // Created by its inject, or by the team that plays the part whose create was skipped.
        where: { exerciseId, noticeKey: key, noticeId: { not: null }, status: { in: ['done', 'skipped'] } },
        select: { noticeId: true },
      });
      return row?.noticeId ?? null;
    },

    async markFailed(injectId, error) {
      const { count } = await prisma.inject.updateMany({
        where: { id: injectId, status: 'pending' },
        data: { status: 'failed', error: error as unknown as Prisma.InputJsonObject, firedAt: new Date() },
      });
      return count === 1;
    },

    async list(exerciseId) {
      const rows = await prisma.$queryRaw<InjectRow[]>`${SELECT} WHERE i.exercise_id = ${exerciseId}::uuid ORDER BY i.at, i.seq`;
      return rows.map(toInject);
    },

    async noticeKeys(exerciseId) {
      const rows = await prisma.inject.findMany({
        where: { exerciseId, noticeId: { not: null } },
        select: { noticeId: true, noticeKey: true },
      });
      return new Map(rows.map((r) => [r.noticeId!, r.noticeKey]));
    },

    async exercisesWithDueInjects(wallNow) {
      const rows = await prisma.$queryRaw<{ exercise_id: string }[]>`
        SELECT DISTINCT i.exercise_id FROM injects i JOIN exercises e ON e.id = i.exercise_id
         WHERE i.status = 'pending' AND extract(epoch FROM i.at) <= ${simulatedNowEpochSql(wallNow)}`;
      return rows.map((r) => r.exercise_id);
    },
  };
}
