/**
 * Persons in SQL: a person, its current links (one person at most per record, notice or hit, held by
 * unique keys) and its append-only history, each change in one transaction at the person's run (the
 * exercise's row held FOR KEY SHARE, so that a reset waits for it or refuses it).
 */
import { Prisma, type PrismaClient } from '../generated/prisma/client';
import { runTransaction, type Tx } from '../db/transaction';
import { takePositionSql } from '../exercises/exercise-positions';
import { actorOf, type Actor, type Role } from '../exercises/exercise-types';
import { AppError } from '../kernel/errors';
import { noticeVisibleSql, type Reader } from '../notices/notice-visibility';
import type { LinkTarget } from './person-schemas';
import { personVisibleSql } from './person-visibility';
import { recordVisibleSql } from './record-visibility';
import { hitVisibleSql, type Scripted } from './search-store';

export interface StoredPerson {
  id: string;
  exerciseId: string;
  run: number;
  label: string;
  createdBy: Actor;
  at: Date;
}

export interface PersonEntry {
  type: 'CREATE' | 'LINK' | 'UNLINK';
  target?: LinkTarget | undefined;
  reason: string;
  actor: Actor;
  participantId: string | null;
  at: Date;
}

/** What a link needs to know of its target: the country that may link it, its run, and its person now. */
export interface TargetFacts {
  linker: string | null;
  run: number;
  personId: string | null;
  /** A hit's: what it matched, which a link of the hit links too when no person has it yet. */
  matched?: LinkTarget | undefined;
}

export interface LinkedNotice {
  id: string;
  type: string;
  state: string;
  requestingCountry: string;
}

export type PersonHistoryEntry = Omit<PersonEntry, 'participantId'>;

/** A link to write; an `optional` one (what a hit matched) is left when another person has it meanwhile. */
export interface PersonLink {
  target: LinkTarget;
  optional?: boolean;
}

export interface PersonStore {
  /**
   * The person at run `person.run` with its CREATE entry and its first links: null when the exercise is
   * gone; EARLIER_RUN when a reset has ended that run since it was read.
   */
  create(
    person: StoredPerson,
    entry: PersonEntry,
    links: PersonLink[],
    script?: Scripted,
  ): Promise<StoredPerson | null>;
  find(id: string): Promise<StoredPerson | null>;
  /** Of `ids`, the persons of the exercise's run `run` that `reader` sees (personVisibleSql). */
  visible(exerciseId: string, run: number, reader: Reader, ids?: string[]): Promise<StoredPerson[]>;
  /** The target, if `reader` sees it in the exercise; null otherwise. */
  target(exerciseId: string, reader: Reader, target: LinkTarget): Promise<TargetFacts | null>;
  /** Links each target (those already the person's are left); entries for those that were not. */
  link(person: StoredPerson, links: PersonLink[], entry: PersonEntry): Promise<void>;
  /** Unlinks the target: false when it was not linked to the person. */
  unlink(person: StoredPerson, target: LinkTarget, entry: PersonEntry): Promise<boolean>;
  notices(personId: string, reader: Reader): Promise<LinkedNotice[]>;
  /** The person's entries about what `reader` sees (and its making). */
  history(personId: string, reader: Reader): Promise<PersonHistoryEntry[]>;
}

const ids = (t: LinkTarget | undefined) => ({
  recordId: t && 'recordId' in t ? t.recordId : null,
  noticeId: t && 'noticeId' in t ? t.noticeId : null,
  hitId: t && 'hitId' in t ? t.hitId : null,
});

const targetSql = (t: LinkTarget) => {
  const { recordId, noticeId, hitId } = ids(t);
  return Prisma.sql`${recordId}::uuid, ${noticeId}::uuid, ${hitId}::uuid`;
};

const whereTarget = (alias: string, t: LinkTarget) => {
  const { recordId, noticeId, hitId } = ids(t);
  const col = (name: string) => Prisma.raw(`${alias}.${name}`);
  if (recordId) return Prisma.sql`${col('record_id')} = ${recordId}::uuid`;
  if (noticeId) return Prisma.sql`${col('notice_id')} = ${noticeId}::uuid`;
  return Prisma.sql`${col('hit_id')} = ${hitId}::uuid`;
};

async function appendEntry(tx: Tx, personId: string, e: PersonEntry) {
  await tx.$executeRaw`
    INSERT INTO person_events (person_id, type, record_id, notice_id, hit_id, reason, actor_role, actor_country,
                               participant_id, at)
    VALUES (${personId}::uuid, ${e.type}, ${e.target ? targetSql(e.target) : Prisma.sql`NULL, NULL, NULL`},
            ${e.reason}, ${e.actor.role}::"Role", ${e.actor.country ?? null}, ${e.participantId}::uuid, ${e.at})`;
}

/** Holds the exercise at the person's run for the transaction: a reset since makes the person read-only. */
async function holdRun(tx: Tx, person: Pick<StoredPerson, 'exerciseId' | 'run'>) {
  const held = await tx.$queryRaw<unknown[]>`
    ${takePositionSql(Prisma.sql`${person.exerciseId}::uuid`, Prisma.sql`${person.run}`)}`;
  if (!held.length) {
    throw new AppError('EARLIER_RUN', `The person belongs to run ${person.run}, which a reset has ended`, {
      run: person.run,
    });
  }
}

async function linkAll(tx: Tx, personId: string, links: PersonLink[], entry: PersonEntry) {
  for (const { target, optional } of links) {
    const inserted = await tx.$executeRaw`
      INSERT INTO person_links (person_id, record_id, notice_id, hit_id)
      VALUES (${personId}::uuid, ${targetSql(target)}) ON CONFLICT DO NOTHING`;
    if (inserted === 1) {
      await appendEntry(tx, personId, { ...entry, target });
      continue;
    }
    const [held] = await tx.$queryRaw<{ personId: string }[]>`
      SELECT person_id AS "personId" FROM person_links l WHERE ${whereTarget('l', target)}`;
    if (held && held.personId !== personId && !optional) {
      throw new AppError('ALREADY_LINKED', `${Object.keys(target)[0]} is linked to another person: unlink it there`, {
        personId: held.personId,
      });
    }
  }
}

interface PersonRow {
  id: string;
  exerciseId: string;
  run: number;
  label: string;
  role: Role;
  country: string | null;
  at: Date;
}

const PERSON_COLUMNS = Prisma.sql`p.id, p.exercise_id AS "exerciseId", p.run, p.label,
  p.creator_role::text AS role, p.creator_country AS country, p.at`;

const toPerson = ({ role, country, ...row }: PersonRow): StoredPerson => ({
  ...row,
  createdBy: actorOf({ role, country }),
});

export function createPersonStore(prisma: PrismaClient): PersonStore {
  return {
    async create(person, entry, links, script) {
      return runTransaction(prisma, async (tx) => {
        const rows = await tx.$queryRaw<PersonRow[]>`
          WITH x AS (${takePositionSql(Prisma.sql`${person.exerciseId}::uuid`, Prisma.sql`${person.run}`)})
          INSERT INTO persons AS p (id, exercise_id, run, label, creator_role, creator_country, at, scenario_key)
          SELECT ${person.id}::uuid, x.exercise_id, x.run, ${person.label}, ${person.createdBy.role}::"Role",
                 ${person.createdBy.country ?? null}, ${person.at}, ${script?.key ?? null}
            FROM x
          RETURNING ${PERSON_COLUMNS}`;
        if (!rows[0]) {
          // No row for the exercise at that run: gone (null), or a reset has moved it on since.
          const [exists] = await tx.$queryRaw<unknown[]>`SELECT 1 FROM exercises WHERE id = ${person.exerciseId}::uuid`;
          if (exists) await holdRun(tx, person);
          return null;
        }
        await appendEntry(tx, person.id, entry);
        await linkAll(tx, person.id, links, { ...entry, type: 'LINK' });
        await script?.within(tx);
        return toPerson(rows[0]);
      });
    },

    async find(id) {
      const rows = await prisma.$queryRaw<
        PersonRow[]
      >`SELECT ${PERSON_COLUMNS} FROM persons p WHERE p.id = ${id}::uuid`;
      return rows[0] ? toPerson(rows[0]) : null;
    },

    async visible(exerciseId, run, reader, ids) {
      const rows = await prisma.$queryRaw<PersonRow[]>`
        SELECT ${PERSON_COLUMNS} FROM persons p
         WHERE p.exercise_id = ${exerciseId}::uuid AND p.run = ${run} AND ${personVisibleSql(reader, 'p')}
           ${ids ? Prisma.sql`AND p.id = ANY(${ids}::uuid[])` : Prisma.empty}
         ORDER BY p.created_at, p.id`;
      return rows.map(toPerson);
    },

    async target(exerciseId, reader, target) {
      const { recordId, noticeId, hitId } = ids(target);
      const person = (column: string, id: string) =>
        Prisma.sql`(SELECT l.person_id FROM person_links l WHERE ${Prisma.raw(`l.${column}`)} = ${id}::uuid)`;
      const rows = recordId
        ? await prisma.$queryRaw<TargetFacts[]>`
            SELECT r.owner_country AS linker, r.run, ${person('record_id', recordId)} AS "personId"
              FROM database_records r
             WHERE r.id = ${recordId}::uuid AND r.exercise_id = ${exerciseId}::uuid
               AND ${recordVisibleSql(reader, 'r')}`
        : noticeId
          ? await prisma.$queryRaw<TargetFacts[]>`
            SELECT n.requesting_country AS linker, n.run, ${person('notice_id', noticeId)} AS "personId"
              FROM notices n
             WHERE n.id = ${noticeId}::uuid AND n.exercise_id = ${exerciseId}::uuid
               AND ${noticeVisibleSql(reader, 'n')}`
          : await prisma.$queryRaw<(TargetFacts & { record: string | null; notice: string | null })[]>`
            SELECT h.searcher_country AS linker, h.run, ${person('hit_id', hitId!)} AS "personId",
                   h.record_id AS record, h.notice_id AS notice
              FROM hits h
             WHERE h.id = ${hitId}::uuid AND h.exercise_id = ${exerciseId}::uuid AND ${hitVisibleSql(reader, 'h')}`;
      const row = rows[0] as (TargetFacts & { record?: string | null; notice?: string | null }) | undefined;
      if (!row) return null;
      const { record, notice, ...facts } = row;
      return {
        ...facts,
        ...(record && { matched: { recordId: record } }),
        ...(notice && { matched: { noticeId: notice } }),
      };
    },

    async link(person, links, entry) {
      await runTransaction(prisma, async (tx) => {
        await holdRun(tx, person);
        await linkAll(tx, person.id, links, entry);
      });
    },

    async unlink(person, target, entry) {
      return runTransaction(prisma, async (tx) => {
        await holdRun(tx, person);
        const removed = await tx.$executeRaw`
          DELETE FROM person_links l WHERE l.person_id = ${person.id}::uuid AND ${whereTarget('l', target)}`;
        if (removed === 1) await appendEntry(tx, person.id, { ...entry, target });
        return removed === 1;
      });
    },

    async notices(personId, reader) {
      return prisma.$queryRaw<LinkedNotice[]>`
        SELECT n.id, n.type::text AS type, n.state, n.requesting_country AS "requestingCountry"
          FROM person_links l JOIN notices n ON n.id = l.notice_id
         WHERE l.person_id = ${personId}::uuid AND ${noticeVisibleSql(reader, 'n')}
         ORDER BY n.created_at, n.id`;
    },

    async history(personId, reader) {
      const rows = await prisma.$queryRaw<
        {
          type: PersonEntry['type'];
          recordId: string | null;
          noticeId: string | null;
          hitId: string | null;
          reason: string;
          role: Role;
          country: string | null;
          at: Date;
        }[]
      >`
        SELECT e.type, e.record_id AS "recordId", e.notice_id AS "noticeId", e.hit_id AS "hitId", e.reason,
               e.actor_role::text AS role, e.actor_country AS country, e.at
          FROM person_events e
         WHERE e.person_id = ${personId}::uuid
           AND (e.type = 'CREATE'
                OR EXISTS (SELECT 1 FROM database_records r
                            WHERE r.id = e.record_id AND ${recordVisibleSql(reader, 'r')})
                OR EXISTS (SELECT 1 FROM notices n WHERE n.id = e.notice_id AND ${noticeVisibleSql(reader, 'n')})
                OR EXISTS (SELECT 1 FROM hits h WHERE h.id = e.hit_id AND ${hitVisibleSql(reader, 'h')}))
         ORDER BY e.id`;
      return rows.map(({ role, country, recordId, noticeId, hitId, ...e }) => ({
        ...e,
        actor: actorOf({ role, country }),
        ...((recordId ?? noticeId ?? hitId) && {
          target: (recordId ? { recordId } : noticeId ? { noticeId } : { hitId: hitId! }) as LinkTarget,
        }),
      }));
    },
  };
}
