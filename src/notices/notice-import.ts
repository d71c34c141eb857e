/**
 * Notices written in bulk into an exercise, with their history, circulation records and deadlines: a
 * simulated year persisted (src/simulation/persist.ts), hundreds of thousands of rows. Each call writes
 * one batch of each kind of row in one statement per kind (`unnest` of one array per column) and in one
 * transaction, never a request or a statement per event. History rows come numbered (`exerciseSeq`): the
 * exercise is new and only this writer writes to it, so batches may be written in any order or at once,
 * and `setLastEventSeq` moves the exercise's counter past them at the end, where the sequencer
 * (src/exercises/exercise-sequencer.ts) goes on from.
 */
import type { PrismaClient } from '../generated/prisma/client';
import { runTransaction } from '../db/transaction';
import type { NoticeType } from './notice-types';
import type { NewHistoryEntry, NoticeWrite } from './notice-store-type';

export interface ImportedNotice extends Omit<NoticeWrite, 'deadlines'> {
  id: string;
  type: NoticeType;
  requestingCountry: string;
  version: number;
  lastSeq: number;
  lastEventAt: Date;
  deadlines: { event: string; dueAt: Date }[];
}

export interface ImportedEvent {
  noticeId: string;
  seq: number;
  /** Its position in the exercise's history, from 1. */
  exerciseSeq: number;
  entry: NewHistoryEntry;
}

export interface ImportedRecord {
  noticeId: string;
  country: string;
  state: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface ImportBatch {
  notices: ImportedNotice[];
  history: ImportedEvent[];
  records: ImportedRecord[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Writes one batch into `exerciseId` (whose run the notices join), in one transaction. */
export async function importBatch(prisma: PrismaClient, exerciseId: string, batch: ImportBatch): Promise<void> {
  const { notices, history, records } = batch;
  const deadlines = notices.flatMap((n) => n.deadlines.map((d) => ({ noticeId: n.id, ...d })));
  await runTransaction(prisma, async (tx) => {
    if (notices.length) {
      // One JSON document per batch rather than an array per column: the driver escapes every quote of
      // an array's elements, which for the snapshots' JSON cost more than the database's work.
      const rows = notices.map((n) => ({
        id: n.id,
        type: n.type,
        state: n.state,
        country: n.requestingCountry,
        version: n.version,
        last_seq: n.lastSeq,
        snapshot: n.snapshot,
        published_at: iso(n.publishedAt),
        expires_at: iso(n.expiresAt),
        last_event_at: iso(n.lastEventAt),
        name_key: n.subject.nameKey,
        birth_date: n.subject.birthDate,
        prints: n.subject.fingerprints,
        dna: n.subject.dna,
      }));
      await tx.$executeRaw`
        INSERT INTO notices (id, exercise_id, type, state, requesting_country, run, version, last_seq, snapshot,
                             published_at, expires_at, last_event_at, subject_name_key, subject_birth_date,
                             subject_prints, subject_dna)
        SELECT n.id, e.id, n.type::"NoticeType", n.state, n.country, e.run, n.version, n.last_seq, n.snapshot,
               n.published_at, n.expires_at, n.last_event_at, n.name_key, n.birth_date, n.prints, n.dna
          FROM exercises e,
               json_to_recordset(${JSON.stringify(rows)}::json)
                 AS n(id uuid, type text, state text, country text, version int, last_seq int, snapshot jsonb,
                      published_at timestamptz, expires_at timestamptz, last_event_at timestamptz,
                      name_key text, birth_date text, prints text, dna text)
         WHERE e.id = ${exerciseId}::uuid`;
    }
    if (deadlines.length) {
      await tx.$executeRaw`
        INSERT INTO deadlines (exercise_id, notice_id, event, due_at)
        SELECT ${exerciseId}::uuid, d.notice_id, d.event, d.due_at
          FROM unnest(${deadlines.map((d) => d.noticeId)}::uuid[], ${deadlines.map((d) => d.event)}::text[],
                      ${deadlines.map((d) => d.dueAt.toISOString())}::timestamptz[]) AS d(notice_id, event, due_at)`;
    }
    if (records.length) {
      await tx.$executeRaw`
        INSERT INTO circulation_records (notice_id, country, state, version, created_at, updated_at)
        SELECT * FROM unnest(${records.map((r) => r.noticeId)}::uuid[], ${records.map((r) => r.country)}::text[],
                             ${records.map((r) => r.state)}::text[], ${records.map((r) => r.version)}::int[],
                             ${records.map((r) => r.createdAt.toISOString())}::timestamptz[],
                             ${records.map((r) => r.updatedAt.toISOString())}::timestamptz[])`;
    }
    if (history.length) {
      const rows = history.map(({ noticeId, seq, exerciseSeq, entry: e }) => ({
        notice_id: noticeId,
        seq,
        type: e.type,
        role: e.actor.role,
        actor_country: e.actor.country ?? null,
        from_state: e.from,
        to_state: e.to,
        country: e.country,
        at: e.at.toISOString(),
        payload: e.payload,
        exercise_seq: exerciseSeq,
      }));
      await tx.$executeRaw`
        INSERT INTO notice_events (notice_id, seq, type, actor_role, actor_country, participant_id, from_state,
                                   to_state, country, at, payload, exercise_id, exercise_seq)
        SELECT h.notice_id, h.seq, h.type, h.role::"Role", h.actor_country, NULL, h.from_state, h.to_state,
               h.country, h.at, h.payload, ${exerciseId}::uuid, h.exercise_seq
          FROM json_to_recordset(${JSON.stringify(rows)}::json)
               AS h(notice_id uuid, seq int, type text, role text, actor_country text, from_state text,
                    to_state text, country text, at timestamptz, payload jsonb, exercise_seq bigint)`;
    }
  });
}

/** Moves the exercise's history counter to `lastEventSeq`, once every numbered row is written. */
export async function setLastEventSeq(prisma: PrismaClient, exerciseId: string, lastEventSeq: number): Promise<void> {
  await prisma.$executeRaw`UPDATE exercises SET last_event_seq = ${lastEventSeq} WHERE id = ${exerciseId}::uuid`;
}

/**
 * Writes what the write-ahead log holds into the tables and recycles its files. The embedded PGlite
 * needs it between large batches: with no checkpointer process of its own, its log grew past half a
 * gigabyte during a persisted year and a commit then waited for ever in XLogFlush.
 */
export async function checkpoint(prisma: PrismaClient): Promise<void> {
  await prisma.$executeRawUnsafe('CHECKPOINT');
}
