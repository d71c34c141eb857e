/**
 * Searches in SQL: the candidates a search may find (the records the searcher may see, by the kind's
 * key under its index), and the search with its hits written in one statement, at the exercise's
 * position (numbered after commit with the other events, so the owners are told on the stream).
 */
import { Prisma, type PrismaClient } from '../generated/prisma/client';
import { runTransaction, type Tx } from '../db/transaction';
import { takePositionSql } from '../exercises/exercise-positions';
import { actorOf, type Actor, type Role } from '../exercises/exercise-types';
import { noticeVisibleSql, type Reader } from '../notices/notice-visibility';
import { FINAL_NOTICE_STATES } from '../notices/notice-types';
import { linkedSql } from './record-store';
import { recordVisibleSql } from './record-visibility';
import type { SearchKind } from './search-schemas';

/** What a search may find: a database record, or the subject of a notice (kind "notice"). */
export interface Candidate {
  kind: string;
  recordId: string | null;
  noticeId: string | null;
  ownerCountry: string;
  /** The person it is linked to, if any. */
  personId: string | null;
  nameKey: string | null;
  birthDate: string | null;
  template: string | null;
}

/** What a search looks for: the key it compares, on the column of that key. */
export type Lookup =
  | { by: 'name'; nameKey: string }
  | { by: 'template'; kind: 'fingerprints' | 'dna'; template: string }
  | { by: 'documentKey' | 'vin' | 'plateKey'; value: string };

export interface NewHit {
  id: string;
  score: number;
  kind: string;
  recordId: string | null;
  noticeId: string | null;
  ownerCountry: string;
  personId: string | null;
  /** The `system` message that tells the owner (none when the owner searched): written with the hit. */
  told?: { messageId: string; subject: string; body: string } | undefined;
}

/** A scenario inject's part in a write: its local key, and its mark, written in the same transaction. */
export interface Scripted {
  key: string;
  within: (tx: Tx) => Promise<void>;
}

export interface StoredHit extends NewHit {
  searchId: string;
  searchKind: SearchKind;
  searcher: Actor;
  at: Date;
  reportedAt: Date | null;
}

export interface SearchStore {
  /** What the search may find in the exercise's current run. */
  candidates(exerciseId: string, reader: Reader, lookup: Lookup): Promise<Candidate[]>;
  /**
   * Writes the search and its hits in the exercise's current run, each hit only if what it matched is
   * still of that run and one the searcher sees (it may have been deleted, restricted or ended by a
   * reset since it was read): the ids of the hits written, or null when the exercise is gone.
   */
  record(
    search: {
      id: string;
      exerciseId: string;
      kind: SearchKind;
      query: Record<string, unknown>;
      searcher: Actor;
      reader: Reader;
      participantId: string | null;
      at: Date;
      /** A scenario inject's: its local key, and its mark written in the same transaction. */
      script?: Scripted | undefined;
    },
    hits: NewHit[],
  ): Promise<Set<string> | null>;
  /** The hits `reader` sees, in the order written; `personId`: only those linked to that person. */
  hits(
    exerciseId: string,
    run: number,
    reader: Reader,
    page: { limit: number; offset: number; personId?: string },
  ): Promise<StoredHit[]>;
}

/** The exercise's current run, in SQL. */
const currentRun = (exerciseId: string) => Prisma.sql`(SELECT e.run FROM exercises e WHERE e.id = ${exerciseId}::uuid)`;

/** The notices whose subjects a search covers: those the reader sees, in run `run`, not ended. */
function noticesSearchedSql(exerciseId: string, run: Prisma.Sql, reader: Reader): Prisma.Sql {
  return Prisma.sql`n.exercise_id = ${exerciseId}::uuid AND n.run = ${run} AND ${noticeVisibleSql(reader, 'n')}
    AND n.state NOT IN (${Prisma.join([...FINAL_NOTICE_STATES])})`;
}

const personOf = (column: string) =>
  Prisma.raw(`(SELECT l.person_id FROM person_links l WHERE l.${column}) AS "personId"`);

const RECORD_COLUMNS = Prisma.sql`r.kind, r.id AS "recordId", NULL::uuid AS "noticeId",
  r.owner_country AS "ownerCountry", ${personOf('record_id = r.id')}, r.name_key AS "nameKey",
  r.birth_date AS "birthDate", r.template`;
const SUBJECT_COLUMNS = Prisma.sql`'notice' AS kind, NULL::uuid AS "recordId", n.id AS "noticeId",
  n.requesting_country AS "ownerCountry", ${personOf('notice_id = n.id')}, n.subject_name_key AS "nameKey",
  n.subject_birth_date AS "birthDate"`;
const SUBJECT_TEMPLATES = { fingerprints: 'subject_prints', dna: 'subject_dna' } as const;

/** Name candidates by trigram similarity of their keys, looser than a hit: the scoring decides. */
const NAME_CANDIDATE_SIMILARITY = 0.25;
const MAX_CANDIDATES = 200;
const KEY_COLUMNS = { documentKey: 'document_key', vin: 'vin', plateKey: 'plate_key' } as const;

/**
 * The person of a hit: the one the hit is linked to, else that of what it matched, while the reader
 * still sees what matched (a record restricted or deleted since, a notice ended, names no person).
 */
function personOfHitSql(reader: Reader): Prisma.Sql {
  return Prisma.sql`coalesce(
    (SELECT l.person_id FROM person_links l WHERE l.hit_id = h.id),
    (SELECT l.person_id FROM person_links l JOIN database_records r ON r.id = l.record_id
      WHERE l.record_id = h.record_id AND ${recordVisibleSql(reader, 'r')}),
    (SELECT l.person_id FROM person_links l JOIN notices n ON n.id = l.notice_id
      WHERE l.notice_id = h.notice_id AND ${noticeVisibleSql(reader, 'n')}))`;
}

/** Who sees a hit: the searching country and the owner of what matched; every role that sees all. */
export function hitVisibleSql(reader: Reader, alias: string): Prisma.Sql {
  if (reader === 'public') return Prisma.sql`FALSE`;
  if (reader.role !== 'ncb') return Prisma.sql`TRUE`;
  const col = (name: string) => Prisma.raw(`${alias}.${name}`);
  const country = reader.country ?? '';
  return Prisma.sql`(${col('searcher_country')} = ${country} OR ${col('owner_country')} = ${country})`;
}

/** The owners' notifications of the hits, as the search's statement reads them. */
const toldOf = (hits: NewHit[]) =>
  hits.flatMap((h) => (h.told ? [{ id: h.id, ownerCountry: h.ownerCountry, ...h.told }] : []));

export function createSearchStore(prisma: PrismaClient): SearchStore {
  return {
    async candidates(exerciseId, reader, lookup) {
      const run = currentRun(exerciseId);
      const visible = recordVisibleSql(reader, 'r');
      const ofRun = Prisma.sql`r.exercise_id = ${exerciseId}::uuid AND r.run = ${run} AND ${visible}`;
      const subjects = noticesSearchedSql(exerciseId, run, reader);
      if (lookup.by === 'name') {
        // `%` takes the index with the session's threshold: set for this transaction only.
        return prisma.$transaction(async (tx) => {
          const threshold = String(NAME_CANDIDATE_SIMILARITY);
          await tx.$executeRaw`SELECT set_config('pg_trgm.similarity_threshold', ${threshold}, true)`;
          // Records and subjects in one statement: a round trip less, on the search's hot path.
          return tx.$queryRaw<Candidate[]>`
            (SELECT ${RECORD_COLUMNS} FROM database_records r
              WHERE ${ofRun} AND r.kind = 'nominal' AND r.name_key % ${lookup.nameKey}
              ORDER BY similarity(r.name_key, ${lookup.nameKey}) DESC, r.id
              LIMIT ${MAX_CANDIDATES})
            UNION ALL
            (SELECT ${SUBJECT_COLUMNS}, NULL AS template FROM notices n
              WHERE ${subjects} AND n.subject_name_key % ${lookup.nameKey}
              ORDER BY similarity(n.subject_name_key, ${lookup.nameKey}) DESC, n.id
              LIMIT ${MAX_CANDIDATES})`;
        });
      }
      const where =
        lookup.by === 'template'
          ? Prisma.sql`r.kind = ${lookup.kind} AND r.template = ${lookup.template}`
          : Prisma.sql`${Prisma.raw(`r.${KEY_COLUMNS[lookup.by]}`)} = ${lookup.value}`;
      const records = Prisma.sql`
        (SELECT ${RECORD_COLUMNS} FROM database_records r WHERE ${ofRun} AND ${where} ORDER BY r.created_at, r.id
          LIMIT ${MAX_CANDIDATES})`;
      if (lookup.by !== 'template') return prisma.$queryRaw<Candidate[]>`${records}`;
      const column = Prisma.raw(`n.${SUBJECT_TEMPLATES[lookup.kind]}`);
      return prisma.$queryRaw<Candidate[]>`${records}
        UNION ALL
        (SELECT ${SUBJECT_COLUMNS}, ${column} AS template FROM notices n
          WHERE ${subjects} AND ${column} = ${lookup.template} ORDER BY n.created_at, n.id
          LIMIT ${MAX_CANDIDATES})`;
    },

    async record(search, hits) {
      const { script } = search;
      const write = (db: Tx) => db.$queryRaw<{ searches: number; hits: string[] }[]>`
        WITH x AS (${takePositionSql(Prisma.sql`${search.exerciseId}::uuid`)}),
        s AS (
          INSERT INTO searches (id, exercise_id, run, kind, query, searcher_role, searcher_country, participant_id, at,
                                scenario_key)
          SELECT ${search.id}::uuid, x.exercise_id, x.run, ${search.kind}, ${JSON.stringify(search.query)}::jsonb,
                 ${search.searcher.role}::"Role", ${search.searcher.country ?? null}, ${search.participantId}::uuid,
                 ${search.at}, ${script?.key ?? null}
            FROM x
          RETURNING id, run
        ), h AS (
          INSERT INTO hits (id, search_id, exercise_id, run, score, matched_kind, record_id, notice_id,
                            owner_country, searcher_role, searcher_country, at, exercise_seq)
          SELECT h.id, s.id, x.exercise_id, s.run, h.score, h.kind, h."recordId", h."noticeId", h."ownerCountry",
                 ${search.searcher.role}::"Role", ${search.searcher.country ?? null}, ${search.at}, x.position
            FROM s, x,
                 json_to_recordset(${JSON.stringify(hits)}::json)
                   AS h(id uuid, score float8, kind text, "recordId" uuid, "noticeId" uuid, "ownerCountry" text)
           WHERE EXISTS (SELECT 1 FROM database_records r
                          WHERE r.id = h."recordId" AND r.run = x.run AND ${recordVisibleSql(search.reader, 'r')})
              OR EXISTS (SELECT 1 FROM notices n
                          WHERE n.id = h."noticeId"
                            AND ${noticesSearchedSql(search.exerciseId, Prisma.sql`x.run`, search.reader)})
          RETURNING id
        ), told AS (
          -- The owner's notification, a system message about the hit (src/messages/message-store.ts writes
          -- the others): in this statement, so that a search keeps its one round trip.
          INSERT INTO messages (id, exercise_id, run, thread_id, sender, sender_role, recipients, priority, subject,
                                body, about_hit_id, at)
          SELECT t."messageId", x.exercise_id, s.run, t."messageId", 'system', 'system'::"Role",
                 ARRAY[t."ownerCountry"], 'routine', t.subject, t.body, t.id, ${search.at}
            FROM s, x, h
            JOIN json_to_recordset(${JSON.stringify(toldOf(hits))}::json)
                   AS t(id uuid, "ownerCountry" text, "messageId" uuid, subject text, body text) ON t.id = h.id
        )
        SELECT (SELECT count(*) FROM s)::int AS searches, coalesce((SELECT array_agg(id::text) FROM h), '{}') AS hits`;
      const rows = script
        ? await runTransaction(prisma, async (tx) => {
            const written = await write(tx);
            if (written[0]?.searches === 1) await script.within(tx);
            return written;
          })
        : await write(prisma);
      return rows[0]?.searches === 1 ? new Set(rows[0].hits) : null;
    },

    async hits(exerciseId, run, reader, { limit, offset, personId }) {
      const ofPerson = personId ? linkedSql('hit_id', 'h', personId) : Prisma.empty;
      const rows = await prisma.$queryRaw<
        {
          id: string;
          score: number;
          kind: string;
          recordId: string | null;
          noticeId: string | null;
          ownerCountry: string;
          personId: string | null;
          reportedAt: Date | null;
          searchId: string;
          searchKind: SearchKind;
          role: Role;
          country: string | null;
          at: Date;
        }[]
      >`
        SELECT h.id, h.score, h.matched_kind AS kind, h.record_id AS "recordId", h.notice_id AS "noticeId",
               h.owner_country AS "ownerCountry", h.reported_at AS "reportedAt",
               ${personOfHitSql(reader)} AS "personId",
               h.search_id AS "searchId", s.kind AS "searchKind", h.searcher_role::text AS role,
               h.searcher_country AS country, h.at
          FROM hits h JOIN searches s ON s.id = h.search_id
         WHERE h.exercise_id = ${exerciseId}::uuid AND h.run = ${run} AND ${hitVisibleSql(reader, 'h')} ${ofPerson}
         ORDER BY h.serial
         LIMIT ${limit} OFFSET ${offset}`;
      return rows.map(({ role, country, ...hit }) => ({ ...hit, searcher: actorOf({ role, country }) }));
    },
  };
}
