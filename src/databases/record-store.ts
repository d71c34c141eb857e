/**
 * Database records and their history in SQL: each write is one statement that changes the record and
 * appends its history row together, with the exercise's position (src/exercises/exercise-positions.ts):
 * numbered after commit with the notices' events, and refused once a reset has ended the record's run.
 */
import { Prisma, type PrismaClient } from '../generated/prisma/client';
import { runTransaction } from '../db/transaction';
import { takePositionSql } from '../exercises/exercise-positions';
import { actorOf, type Actor, type Role } from '../exercises/exercise-types';
import type { Reader } from '../notices/notice-visibility';
import { IMPORT_BATCH, insertBatch, type ImportEntry, type ImportedRecord } from './record-batch';
import type { RecordKeys } from './record-keys';
import type { RecordKind } from './record-schemas';
import { recordEntryVisibleSql, recordVisibleSql } from './record-visibility';

export interface StoredDbRecord {
  id: string;
  exerciseId: string;
  run: number;
  kind: RecordKind;
  ownerCountry: string;
  recipients: string[] | null;
  data: Record<string, unknown>;
  /** The person it is linked to (person-store.ts), if any. */
  personId: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

export interface RecordHistoryEntry {
  seq: number;
  type: 'CREATE' | 'UPDATE' | 'DELETE';
  actor: Actor;
  participantId: string | null;
  at: Date;
  recordedAt: Date;
  payload: Record<string, unknown>;
}

export type NewRecordEntry = Omit<RecordHistoryEntry, 'seq' | 'recordedAt'>;

/** What a write sets: the record's fields and keys, its recipients, and (DELETE) its deletion. */
export interface RecordWrite {
  data: Record<string, unknown>;
  keys: RecordKeys;
  recipients: string[] | null;
  deleted?: boolean;
}

export interface RecordListQuery {
  run: number;
  reader: Reader;
  kind?: RecordKind | undefined;
  owner?: string | undefined;
  /** Only the records linked to this person. */
  personId?: string | undefined;
  limit: number;
  offset: number;
}

/** Why a change was not made: another writer changed the record first, a reset ended its run, or it is gone. */
export type RefusedChange = 'stale' | 'earlier-run' | 'gone';

export interface RecordStore {
  /**
   * Creates the record in the exercise's current run, with its CREATE entry (and its link to `personId`,
   * by the same actor); null if the exercise is gone.
   */
  create(
    record: { id: string; exerciseId: string; kind: RecordKind; ownerCountry: string; personId?: string } & RecordWrite,
    entry: NewRecordEntry,
    /** Only at this run (that of the person named), when given. */
    run?: number,
  ): Promise<StoredDbRecord | null>;
  /**
   * Creates all the records (one owner's, in the exercise's current run) with their CREATE entries, in
   * one transaction: the number created, or null if the exercise is gone.
   */
  importMany(exerciseId: string, records: ImportedRecord[], entry: ImportEntry, run?: number): Promise<number | null>;
  /** Gathers the records' tables' statistics again (after a large import). */
  analyze(): Promise<void>;
  find(id: string): Promise<StoredDbRecord | null>;
  list(exerciseId: string, query: RecordListQuery): Promise<StoredDbRecord[]>;
  /** Changes the record if it is still at `version` and its run current, appending `entry`. */
  change(record: StoredDbRecord, write: RecordWrite, entry: NewRecordEntry): Promise<StoredDbRecord | RefusedChange>;
  /** The entries `reader` may read (record-visibility.ts: those of when the record went to it). */
  history(id: string, reader: Reader): Promise<RecordHistoryEntry[]>;
}

interface Row {
  id: string;
  exercise_id: string;
  run: number;
  kind: RecordKind;
  owner_country: string;
  recipients: string[] | null;
  data: Record<string, unknown>;
  person_id: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

const COLUMNS = Prisma.sql`r.id, r.exercise_id, r.run, r.kind, r.owner_country, r.recipients, r.data,
  (SELECT l.person_id FROM person_links l WHERE l.record_id = r.id) AS person_id, r.version,
  r.created_at, r.updated_at, r.deleted_at`;

const toRecord = (row: Row): StoredDbRecord => ({
  id: row.id,
  exerciseId: row.exercise_id,
  run: row.run,
  kind: row.kind,
  ownerCountry: row.owner_country,
  recipients: row.recipients,
  data: row.data,
  personId: row.person_id,
  version: row.version,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  deletedAt: row.deleted_at,
});

/** Only the rows (of `alias`, by its id) linked to the person. */
export const linkedSql = (column: 'record_id' | 'hit_id', alias: string, personId: string) =>
  Prisma.sql`AND EXISTS (SELECT 1 FROM person_links l
    WHERE l.${Prisma.raw(column)} = ${Prisma.raw(alias)}.id AND l.person_id = ${personId}::uuid)`;

const jsonb = (value: unknown) => Prisma.sql`${JSON.stringify(value)}::jsonb`;

const recipientsJson = (list: string[] | null) => Prisma.sql`${list === null ? null : JSON.stringify(list)}::jsonb`;

/**
 * The history row of `entry` for the record `r` (a CTE or table with `id` and `last_seq`), placed by `x`,
 * with the recipients before and after the change (who may read it: record-visibility.ts).
 */
const historyInsert = (entry: NewRecordEntry, before: string[] | null, after: string[] | null) => Prisma.sql`
  INSERT INTO record_events (record_id, seq, type, actor_role, actor_country, participant_id, at, payload,
                             recipients, recipients_before, exercise_id, exercise_seq)
  SELECT r.id, r.last_seq, ${entry.type}, ${entry.actor.role}::"Role", ${entry.actor.country ?? null},
         ${entry.participantId}::uuid, ${entry.at}, ${jsonb(entry.payload)}, ${recipientsJson(after)},
         ${recipientsJson(before)}, x.exercise_id, x.position
    FROM r, x`;

/** An import of 100,000 records takes seconds (bench/search.ts): more than a request's transaction may. */
const IMPORT_TRANSACTION = { timeoutMs: 120_000 };

const atRun = (run: number | undefined) => (run === undefined ? undefined : Prisma.sql`${run}`);

export function createRecordStore(prisma: PrismaClient): RecordStore {
  return {
    async create(record, entry, run) {
      const { keys } = record;
      const rows = await prisma.$queryRaw<Row[]>`
        WITH x AS (${takePositionSql(Prisma.sql`${record.exerciseId}::uuid`, atRun(run))}),
        r AS (
          INSERT INTO database_records (id, exercise_id, run, kind, owner_country, recipients, data, name_key,
                                        birth_date, document_key, vin, plate_key, template, version, last_seq,
                                        created_at, updated_at)
          SELECT ${record.id}::uuid, x.exercise_id, x.run, ${record.kind}, ${record.ownerCountry},
                 ${record.recipients === null ? null : JSON.stringify(record.recipients)}::jsonb, ${jsonb(record.data)},
                 ${keys.nameKey}, ${keys.birthDate}, ${keys.documentKey}, ${keys.vin}, ${keys.plateKey},
                 ${keys.template}, 1, 1, now(), now()
            FROM x
          RETURNING *
        ), h AS (${historyInsert(entry, record.recipients, record.recipients)} RETURNING 1),
        p AS (
          INSERT INTO person_links (person_id, record_id)
          SELECT ${record.personId ?? null}::uuid, r.id FROM r WHERE ${record.personId ?? null}::uuid IS NOT NULL
          RETURNING person_id, record_id
        ), e AS (
          INSERT INTO person_events (person_id, type, record_id, reason, actor_role, actor_country, participant_id, at)
          SELECT p.person_id, 'LINK', p.record_id, 'contributed as this person', ${entry.actor.role}::"Role",
                 ${entry.actor.country ?? null}, ${entry.participantId}::uuid, ${entry.at}
            FROM p
        )
        SELECT ${COLUMNS} FROM r, h`;
      // The link is written by this statement, which does not see it: the record is the person's as asked.
      return rows[0] ? { ...toRecord(rows[0]), personId: record.personId ?? null } : null;
    },

    async importMany(exerciseId, records, entry, run) {
      const imported = await runTransaction(
        prisma,
        async (tx) => {
          const position = takePositionSql(Prisma.sql`${exerciseId}::uuid`, atRun(run));
          const [held] = await tx.$queryRaw<{ run: number }[]>`${position}`;
          if (!held) return null;
          for (let i = 0; i < records.length; i += IMPORT_BATCH) {
            await insertBatch(tx, exerciseId, held.run, records.slice(i, i + IMPORT_BATCH), entry);
          }
          return records.length;
        },
        IMPORT_TRANSACTION,
      );
      return imported;
    },

    async analyze() {
      await prisma.$executeRawUnsafe('ANALYZE database_records, record_events');
    },

    async find(id) {
      const rows = await prisma.$queryRaw<Row[]>`SELECT ${COLUMNS} FROM database_records r WHERE r.id = ${id}::uuid`;
      return rows[0] ? toRecord(rows[0]) : null;
    },

    async list(exerciseId, { run, reader, kind, owner, personId, limit, offset }) {
      const rows = await prisma.$queryRaw<Row[]>`
        SELECT ${COLUMNS} FROM database_records r
         WHERE r.exercise_id = ${exerciseId}::uuid AND r.run = ${run} AND ${recordVisibleSql(reader, 'r')}
           ${kind ? Prisma.sql`AND r.kind = ${kind}` : Prisma.empty}
           ${owner ? Prisma.sql`AND r.owner_country = ${owner}` : Prisma.empty}
           ${personId ? linkedSql('record_id', 'r', personId) : Prisma.empty}
         ORDER BY r.created_at, r.id
         LIMIT ${limit} OFFSET ${offset}`;
      return rows.map(toRecord);
    },

    async change(record, write, entry) {
      const { keys } = write;
      // The exercise's row is taken on the record's run: after a reset there is none, and nothing changes.
      const rows = await prisma.$queryRaw<Row[]>`
        WITH x AS (${takePositionSql(Prisma.sql`${record.exerciseId}::uuid`, Prisma.sql`${record.run}`)}),
        r AS (
          UPDATE database_records r
             SET data = ${jsonb(write.data)},
                 recipients = ${write.recipients === null ? null : JSON.stringify(write.recipients)}::jsonb,
                 name_key = ${keys.nameKey}, birth_date = ${keys.birthDate}, document_key = ${keys.documentKey},
                 vin = ${keys.vin}, plate_key = ${keys.plateKey}, template = ${keys.template},
                 version = r.version + 1, last_seq = r.last_seq + 1, updated_at = now(),
                 deleted_at = ${write.deleted ? Prisma.sql`now()` : Prisma.sql`NULL`}
            FROM x
           WHERE r.id = ${record.id}::uuid AND r.version = ${record.version} AND r.deleted_at IS NULL
          RETURNING r.*
        ), h AS (${historyInsert(entry, record.recipients, write.recipients)} RETURNING 1)
        SELECT ${COLUMNS} FROM r, h`;
      if (rows[0]) return toRecord(rows[0]);
      const [now] = await prisma.$queryRaw<{ run: number | null; deleted: boolean | null }[]>`
        SELECT (SELECT run FROM exercises WHERE id = ${record.exerciseId}::uuid) AS run,
               (SELECT deleted_at IS NOT NULL FROM database_records WHERE id = ${record.id}::uuid) AS deleted`;
      if (!now || now.run === null || now.deleted !== false) return 'gone';
      return now.run !== record.run ? 'earlier-run' : 'stale';
    },

    async history(id, reader) {
      const rows = await prisma.$queryRaw<
        {
          seq: number;
          type: RecordHistoryEntry['type'];
          actor_role: Role;
          actor_country: string | null;
          participant_id: string | null;
          at: Date;
          recorded_at: Date;
          payload: Record<string, unknown>;
        }[]
      >`
        SELECT e.seq, e.type, e.actor_role::text AS actor_role, e.actor_country, e.participant_id, e.at,
               e.recorded_at, e.payload
          FROM record_events e JOIN database_records r ON r.id = e.record_id
         WHERE e.record_id = ${id}::uuid AND ${recordEntryVisibleSql(reader, 'r', 'e')}
         ORDER BY e.seq`;
      return rows.map((row) => ({
        seq: row.seq,
        type: row.type,
        actor: actorOf({ role: row.actor_role, country: row.actor_country }),
        participantId: row.participant_id,
        at: row.at,
        recordedAt: row.recorded_at,
        payload: row.payload,
      }));
    },
  };
}
